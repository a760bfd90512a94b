"""Plain-text rules shared by the extractor, the pages and the admin: sentences, shortening,
comparable words. One definition each; nothing here knows about models or HTML."""

import re
from collections.abc import Sequence

_ABBREVIATIONS = {"u.s", "u.k", "mr", "mrs", "ms", "dr", "inc", "ltd", "co", "st", "no", "vs"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(A-Z0-9])")


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Sentence spans: split at line breaks and at terminal punctuation before a capital,
    not after a known abbreviation ("U.S.", "Mr."). Offsets index body; spans are trimmed."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", body):
        cursor = line.start()
        for end in _SENTENCE_END.finditer(body, line.start(), line.end()):
            word = re.search(r"([\w.]+)[.!?…]*$", body[cursor : end.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            spans.append(trimmed(body, cursor, end.end()))
            cursor = end.end()
        if body[cursor : line.end()].strip():
            spans.append(trimmed(body, cursor, line.end()))
    return spans


def trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at either end."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def sentence_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The span that contains offset, or an empty span at offset."""
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return offset, offset


def sentences_around(body: str, start: int, end: int, *, count: int = 2) -> tuple[int, int]:
    """The span from `count` sentences before [start, end) to `count` sentences after it."""
    spans = sentence_spans(body)
    before = [s for s in spans if s[1] <= start]
    after = [s for s in spans if s[0] >= end]
    first = before[-count][0] if len(before) >= count else (before[0][0] if before else 0)
    last = after[count - 1][1] if len(after) >= count else (after[-1][1] if after else len(body))
    return min(first, start), max(last, end)


def shorten(text: str, limit: int) -> str:
    """Text on one line, cut at a word boundary to at most limit characters with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def comparable_words(text: str) -> str:
    """The words of text, case-folded, for comparing two texts that differ only in
    punctuation or spacing (a quote that is merely the headline)."""
    return " ".join(re.findall(r"\w+", text.casefold()))


# Explicit directional formatting: embeddings and overrides (U+202A–U+202E), isolates
# (U+2066–U+2069) and the marks U+200E/U+200F. Published text that carries them must be
# shown isolated, or an unclosed override reverses the page around it.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def has_bidi_control(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)
