"""Share images: a 1200×630 PNG of a quote against its counter-quote, drawn with Pillow.

The text comes from sources and analysts, so it is untrusted: it is only ever drawn as
glyphs, never parsed or interpreted. An image is cached under a hash of exactly what it
draws (ShareCard.key), so an edit to a quote, a name or a date gives a new image and an
unchanged card is rendered once.
"""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from PIL import Image, ImageDraw, ImageFont, features

from claims.voices import PointVoices, Voice

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
GUTTER = 48
# Bump when the drawing changes, so cached images of the old layout are not served.
LAYOUT_VERSION = "1"
CACHE_SECONDS = 60 * 60 * 24 * 7

INK = (28, 28, 30)
MUTED = (96, 96, 104)
PAPER = (251, 250, 247)
ACCENTS = ((176, 58, 46), (31, 97, 141))  # left and right columns, as on the dispute board

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Panel:
    """One column of the card: who, when, and what (already in quotation marks if verbatim)."""

    heading: str
    date: str
    text: str


@dataclass(frozen=True)
class ShareCard:
    kicker: str  # the line above the columns: a claim's number, a point's question
    panels: tuple[Panel, ...]  # one (a site or subject card) or two (quote against answer)
    footer: str

    def key(self) -> str:
        """A hash of everything drawn: the cache key and the ETag."""
        drawn = [LAYOUT_VERSION, settings.SHARE_IMAGE_FONT, asdict(self)]
        data = json.dumps(drawn, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @classmethod
    def of_voices(cls, kicker: str, first: Voice, second: Voice | None, footer: str) -> ShareCard:
        panels = [Panel(first.party, first.date, first.quoted(400))]
        if second is not None:
            panels.append(Panel(second.party, second.date, second.quoted(400)))
        return cls(kicker, tuple(panels), footer)

    @classmethod
    def of_point(cls, point: PointVoices, footer: str) -> ShareCard:
        panels = tuple(
            Panel(side.heading, side.voice.date, side.voice.quoted(400))
            if side.voice
            else Panel(side.heading, "Stance", side.stance)
            for side in point.sides[:2]
        )
        return cls(point.point.question, panels or (Panel("", "", point.point.question),), footer)


@cache
def font(size: int) -> Font:
    """The font of SHARE_IMAGE_FONT (a TrueType file), else Pillow's bundled one at a size;
    Pillow's fixed-size bitmap font when it was built without FreeType."""
    if not features.check("freetype2"):
        return ImageFont.load_default()
    if settings.SHARE_IMAGE_FONT:
        return ImageFont.truetype(settings.SHARE_IMAGE_FONT, size)
    return ImageFont.load_default(size=size)


# What to draw for a character the font has no glyph for (Pillow's bundled font covers
# little beyond ASCII and typographic quotes): a dash for a dash, "x" for a multiplier.
_FALLBACKS = {
    "—": " - ",
    "–": "-",
    "‒": "-",
    "−": "-",
    "×": "x",
    "•": "*",
    "€": "EUR ",
    "£": "GBP ",
    "¥": "JPY/CNY ",
}


@cache
def _lacks(character: str) -> bool:
    face = font(24)
    return bytes(face.getmask(character)) == bytes(face.getmask("\uffff"))


def drawable(text: str) -> str:
    """text with each character the font cannot draw replaced by a stand-in ("é" by "e"),
    or kept (drawn as a box) when there is none."""
    out = []
    for character in text:
        if character.isspace():
            out.append(" ")
        elif _lacks(character):
            ascii_form = unicodedata.normalize("NFKD", character).encode("ascii", "ignore")
            out.append(_FALLBACKS.get(character) or ascii_form.decode() or character)
        else:
            out.append(character)
    return "".join(out)


def wrap(text: str, face: Font, width: int, max_lines: int) -> list[str]:
    """Lines of text that fit width, at most max_lines, the last ending in "…" if cut.
    A word longer than a line (a URL) is broken by characters."""
    text = drawable(text)
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while face.getlength(line) > width:  # a single overlong word
            cut = len(line)
            while cut > 1 and face.getlength(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and face.getlength(f"{last}…") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    kept[-1] = f"{last.rstrip(' ,;:')}…"
    return kept


def _fitted(text: str, width: int, height: int, sizes: tuple[int, ...]) -> tuple[Font, list[str]]:
    """The largest of sizes at which text fits the box (else the smallest, cut)."""
    for size in sizes:
        face = font(size)
        lines = wrap(text, face, width, max(1, height // int(size * 1.3)))
        if " ".join(lines) == " ".join(drawable(text).split()):
            return face, lines
    face = font(sizes[-1])
    return face, wrap(text, face, width, max(1, height // int(sizes[-1] * 1.3)))


def _draw_lines(draw: ImageDraw.ImageDraw, xy: tuple[int, int], lines, face: Font, fill) -> int:
    x, y = xy
    step = int(getattr(face, "size", 11) * 1.3)
    for line in lines:
        draw.text((x, y), line, font=face, fill=fill)
        y += step
    return y


def render_png(card: ShareCard) -> bytes:
    """The card drawn as a 1200×630 PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=INK)
    draw.text((MARGIN, 36), "COUNTERPOINT", font=font(26), fill=INK)
    kicker = wrap(card.kicker, font(34), WIDTH - 2 * MARGIN, 2)
    top = _draw_lines(draw, (MARGIN, 84), kicker, font(34), MUTED) + 20
    bottom = HEIGHT - 70
    columns = len(card.panels)
    column_width = (WIDTH - 2 * MARGIN - GUTTER * (columns - 1)) // columns
    for index, panel in enumerate(card.panels):
        x = MARGIN + index * (column_width + GUTTER)
        accent = ACCENTS[index % len(ACCENTS)]
        draw.rectangle((x, top, x + column_width, top + 6), fill=accent)
        y = top + 22
        heading = wrap(panel.heading, font(30), column_width, 2)
        y = _draw_lines(draw, (x, y), heading, font(30), accent)
        if panel.date:
            y = _draw_lines(draw, (x, y), [panel.date], font(24), MUTED) + 10
        sizes = (36, 32, 28, 24) if columns > 1 else (48, 42, 36, 30)
        face, lines = _fitted(panel.text, column_width, bottom - y - 10, sizes)
        _draw_lines(draw, (x, y), lines, face, INK)
    if columns == 2:
        middle = MARGIN + column_width + GUTTER // 2
        draw.line((middle, top + 30, middle, bottom - 20), fill=(210, 208, 200), width=2)
    draw.line((MARGIN, bottom + 8, WIDTH - MARGIN, bottom + 8), fill=(210, 208, 200), width=2)
    _draw_lines(
        draw,
        (MARGIN, bottom + 22),
        wrap(card.footer, font(22), WIDTH - 2 * MARGIN, 1),
        font(22),
        MUTED,
    )
    out = io.BytesIO()
    # zlib level 3 rather than optimize=True (which tries every level and filter): the
    # encoding was two thirds of a card's drawing time, and this is ~5x faster for a file
    # ~10% larger; a card is drawn once per content and then served from caches.
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def cached_png(card: ShareCard) -> tuple[bytes, str]:
    """The card's PNG and its key (the ETag), rendered only when no cached copy exists."""
    key = card.key()
    cache_key = f"share-card:{key}"
    png = django_cache.get(cache_key)
    if png is None:
        png = render_png(card)
        django_cache.set(cache_key, png, CACHE_SECONDS)
    return png, key


def site_card(footer: str) -> ShareCard:
    """The card of pages without a single subject: the home page, the lists, the method."""
    return ShareCard(
        "Claims against evidence",
        (
            Panel(
                "Counterpoint",
                "",
                "Who claimed what, when, on which evidence — and what the other side said.",
            ),
        ),
        footer,
    )
