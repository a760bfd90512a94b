"""Finding a quote in a source body: the anchor every citation is checked against.

Both texts are compared as claims.textmatch folds them: in one Unicode normal form (NFC),
without soft hyphens and zero-width characters, and tolerating only typographic
differences — curly versus straight quotes and apostrophes, dash variants, and runs of
whitespace. A match maps back onto the original body, whose own characters are stored;
one that begins or ends inside a word or a grapheme cluster is refused, and so is anything
else (a changed word, a dropped comma). An exact occurrence wins over a folded one.
The anchor follows the W3C Web Annotation TextQuoteSelector: exact text plus a short
prefix and suffix, so a corrected body can be searched again later.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

from claims.textmatch import fold, folded_body, whole_word_hits

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote is not in the body; carries the closest passage to help the analyst."""

    def __init__(self, quote: str, closest: str, score: float) -> None:
        self.quote = quote
        self.closest = closest
        self.score = score
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.closest:
            return "The quote is not in the source text, and nothing in it comes close."
        return (
            "The quote is not in the source text. Copy it exactly as published; "
            f"the closest passage is: “{self.closest}”"
        )


def normalise(text: str) -> str:
    """text as matching compares it: NFC, invisible characters dropped, typographic quotes
    and dashes plain, whitespace collapsed (claims.textmatch.fold)."""
    return fold(text).text.strip()


def make_anchor(body: str, start: int, end: int) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        exact=body[start:end],
        prefix=body[max(0, start - CONTEXT_CHARS) : start],
        suffix=body[end : end + CONTEXT_CHARS],
    )


def _pick(spans: list[tuple[int, int]], body: str, prefix: str, suffix: str) -> tuple[int, int]:
    """Among several occurrences, prefer the one whose surroundings match the old anchor."""
    if len(spans) == 1 or not (prefix or suffix):
        return spans[0]

    def context_score(span: tuple[int, int]) -> float:
        start, end = span
        before = body[max(0, start - len(prefix)) : start]
        after = body[end : end + len(suffix)]
        return fuzz.ratio(normalise(before), normalise(prefix)) + fuzz.ratio(
            normalise(after), normalise(suffix)
        )

    return max(spans, key=context_score)


def find_quote(body: str, quote: str, *, prefix: str = "", suffix: str = "") -> Anchor:
    """Locate quote in body; raise QuoteNotFound with the closest passage if absent.

    A quote that begins or ends with a letter or digit must begin or end a word of the body
    there too, and every match begins and ends on a grapheme boundary of the body.
    """
    needle = quote.strip()
    if not needle:
        raise QuoteNotFound(quote, "", 0.0)
    refuse_overlong_quote(needle)

    folded, folded_needle = folded_body(body), normalise(needle)
    hits = whole_word_hits(folded.text, folded_needle) if folded_needle else []
    # Map each hit back onto the body, unless it would begin or end inside a grapheme.
    spans = [folded.original_span(*hit) for hit in hits if folded.is_aligned(*hit)]
    if spans:
        # The quote as published, character for character, wins over a folded match.
        exact = [span for span in spans if body[span[0] : span[1]] == needle]
        return make_anchor(body, *_pick(exact or spans, body, prefix, suffix))

    raise QuoteNotFound(quote, *closest_passage(body, needle))


def closest_passage(body: str, quote: str) -> tuple[str, float]:
    """The passage of body most like quote, widened to whole words, with its score."""
    body, quote = bounded_search(body, quote)
    alignment = fuzz.partial_ratio_alignment(normalise(quote), body)
    if alignment is None or alignment.score < 40:
        return "", 0.0
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    while end < len(body) and not body[end].isspace():
        end += 1
    return body[start:end].strip(), alignment.score


def anchor_is_valid(body: str, start: int, end: int, quote: str) -> bool:
    return 0 <= start < end <= len(body) and body[start:end] == quote


# ---------------------------------------------------------------------------------------
# Bounded work: no request makes the fuzzy search run for long
# ---------------------------------------------------------------------------------------

# A quote is a passage, not an article; a longer paste is a mistake, and refused before any
# matching (rapidfuzz's work grows with the quote's length times the body's).
MAX_QUOTE_CHARS = 5_000
# The closest-passage search compares at most this much of the quote (its start) with at
# most this much of the body: about a tenth of a second on a 2 MB body.
SEARCH_QUOTE_CHARS = 200
SEARCH_BODY_CHARS = 2 * 1024 * 1024


class QuoteTooLong(QuoteNotFound):
    """The quote is longer than any passage worth citing; nothing was searched."""

    def __init__(self, quote: str) -> None:
        super().__init__(quote, "", 0.0)

    @property
    def message(self) -> str:
        return (
            f"The quote is {len(self.quote):,} characters long; a citation quotes at most "
            f"{MAX_QUOTE_CHARS:,}. Quote only the passage that reports the claim."
        )


def refuse_overlong_quote(quote: str) -> None:
    if len(quote) > MAX_QUOTE_CHARS:
        raise QuoteTooLong(quote)


def bounded_search(body: str, quote: str) -> tuple[str, str]:
    """The parts of body and quote the closest-passage search looks at."""
    return body[:SEARCH_BODY_CHARS], quote.strip()[:SEARCH_QUOTE_CHARS]
