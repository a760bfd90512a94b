"""A page's <head> metadata: canonical link, Open Graph and Twitter tags, the share image,
oEmbed discovery and the JSON-LD. Each page's assembly builds one PageMeta;
templates/includes/meta.html renders it, so every page declares the same things the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from claims.share_images import HEIGHT, WIDTH
from claims.structured_data.pages import Entry, collection_ld
from claims.text import shorten
from claims.voices import Voice

SITE_NAME = "Counterpoint"
TITLE_LIMIT = 70
DESCRIPTION_LIMIT = 160
ALT_LIMIT = 300
SITE_DESCRIPTION = "Who claimed what, when, on which evidence, and what the other side said."


def absolute(path: str) -> str:
    """A site path as a full URL on SITE_URL (link previews need absolute URLs)."""
    return f"{settings.SITE_URL}{path}"


def site_card_url() -> str:
    return absolute(reverse("share:site_card"))


def names_party(summary: str, party: str) -> bool:
    """Whether the summary already says who: it starts with the party's name, or with an
    acronym of it ("USTR" for "Office of the United States Trade Representative")."""
    if summary.casefold().startswith(party.casefold()):
        return True
    first = re.sub(r"[’'].*$", "", summary.split(" ", 1)[0])
    if len(first) < 2 or not first.isupper() or not first.isalpha():
        return False
    initials = iter(word[0] for word in party.split() if word[:1].isupper())
    return all(letter in initials for letter in first)  # in order, as a subsequence


def share_title(party: str, summary: str) -> str:
    """ "Party: summary" within TITLE_LIMIT, cut at a word; a summary that already names
    the party is not prefixed with it again."""
    if names_party(summary, party):
        return shorten(summary, TITLE_LIMIT)
    return shorten(f"{party}: {summary}", TITLE_LIMIT)


def exchange(first: Voice, second: Voice | None, *, label: str = "") -> str:
    """A description that carries the quote and the other side's: "A: “…” — B: “…”",
    within DESCRIPTION_LIMIT (long names give up the label, then the answer).

    Quotation marks only around verbatim quotes; a summary is given as our words."""
    alone = f"{first.party}: {first.quoted(DESCRIPTION_LIMIT - len(first.party) - 2)}"
    if second is None:
        return alone
    for intro in (f"{label.capitalize()} {second.party}".strip(), second.party):
        budget = DESCRIPTION_LIMIT - len(first.party) - len(intro) - 7  # ": ", " — ", ": "
        if budget < 40:
            continue
        own = first.quoted(max(24, budget // 2))
        answer = second.quoted(budget - len(own))
        return f"{first.party}: {own} — {intro}: {answer}"
    return alone


@dataclass(frozen=True)
class OEmbedLink:
    href: str
    title: str

    @classmethod
    def to(cls, url: str, title: str) -> OEmbedLink:
        query = urlencode({"url": url, "format": "json"})
        return cls(f"{absolute(reverse('share:oembed'))}?{query}", shorten(title, TITLE_LIMIT))


@dataclass(frozen=True)
class PageMeta:
    """What one page tells browsers, search engines and link previews about itself."""

    title: str  # og:title and twitter:title, within TITLE_LIMIT
    description: str  # within DESCRIPTION_LIMIT
    canonical_url: str
    image_url: str  # a 1200×630 PNG
    image_alt: str
    og_type: str = "website"
    json_ld: list[dict] = field(default_factory=list)
    oembeds: tuple[OEmbedLink, ...] = ()  # discovery links of what the page lets embed
    image_width: int = WIDTH
    image_height: int = HEIGHT
    site_name: str = SITE_NAME

    @classmethod
    def collection(
        cls, *, title: str, description: str, path: str, entries: list[Entry]
    ) -> PageMeta:
        """A list page: a CollectionPage of what it lists, with the site card."""
        return cls.page(
            title=title,
            description=description,
            path=path,
            json_ld=collection_ld(title, path, entries, description),
        )

    @classmethod
    def page(
        cls,
        *,
        title: str,
        description: str,
        path: str,
        json_ld: list[dict],
        image_url: str = "",
        image_alt: str = "",
        og_type: str = "website",
        embeddable: tuple[tuple[str, str], ...] = (),
    ) -> PageMeta:
        """Metadata for the page at path; without an image, the site card. embeddable:
        (url, title) of each thing on the page that oEmbed can embed."""
        canonical = absolute(path)
        return cls(
            title=shorten(title, TITLE_LIMIT),
            description=shorten(description, DESCRIPTION_LIMIT),
            canonical_url=canonical,
            image_url=image_url or site_card_url(),
            image_alt=shorten(image_alt or f"{SITE_NAME}: {SITE_DESCRIPTION}", ALT_LIMIT),
            og_type=og_type,
            json_ld=json_ld,
            oembeds=tuple(OEmbedLink.to(url, title) for url, title in embeddable),
        )


def card_alt(first: Voice, second: Voice | None) -> str:
    """The share image's alt text: what it shows, in words."""
    shown = f"{first.party} ({first.date}): {first.quoted(140)}"
    if second is not None:
        shown += f", against {second.party} ({second.date}): {second.quoted(140)}"
    return shorten(shown, ALT_LIMIT)
