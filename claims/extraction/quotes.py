"""Direct quotes: passages between quotation marks, proposed with their speaker."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claims.extraction.attribution import Attributor
from claims.extraction.types import Proposal
from claims.text import sentence_at

MAX_QUOTE_CHARS = 2500
_TRAILING = " \t\n,;:"


def _curly_double_quotes(body: str) -> Iterable[tuple[int, int]]:
    """Spans inside “…”. An opening mark left open at the end of a paragraph, followed by a
    paragraph that opens again, is one quote running over several paragraphs."""
    cursor = 0
    while (opening := body.find("“", cursor)) != -1:
        closing = body.find("”", opening + 1)
        if closing == -1:
            return
        start = opening + 1
        reopened = body.find("“", start)
        while 0 <= reopened < closing:
            if "\n" in body[start:reopened] and body[:reopened].rstrip(" \t").endswith("\n"):
                reopened = body.find("“", reopened + 1)  # continuation paragraph
                continue
            start = reopened + 1  # an orphan opening mark: the quote starts at the next one
            reopened = body.find("“", start)
        if closing - start <= MAX_QUOTE_CHARS:
            yield start, closing
        cursor = closing + 1


_STRAIGHT_DOUBLE = re.compile(rf'"([^"]{{1,{MAX_QUOTE_CHARS}}})"')
_SINGLE = re.compile(r"(?<![\w’'])([‘'])(?=\w)([^\n]{1,400}?)(?<=[\w.,!?…])([’'])(?![\w])")


def quote_spans(body: str) -> list[tuple[int, int]]:
    spans = list(_curly_double_quotes(body))
    spans += [(m.start(1), m.end(1)) for m in _STRAIGHT_DOUBLE.finditer(body)]
    doubles = list(spans)
    for m in _SINGLE.finditer(body):
        if (m.group(1) == "‘") != (m.group(3) == "’"):
            continue
        start, end = m.start(2), m.end(2)
        if any(s <= start and end <= e for s, e in doubles):
            continue  # a quote within a quote belongs to the outer speaker's words
        spans.append((start, end))
    result = []
    for start, end in sorted(set(spans)):
        while end > start and body[end - 1] in _TRAILING:
            end -= 1
        while start < end and body[start].isspace():
            start += 1
        if end > start:
            result.append((start, end))
    return result


def quote_proposal(
    body: str, sentences: list[tuple[int, int]], attributor: Attributor, start: int, end: int
) -> Proposal:
    # A multi-paragraph quote is attributed from its last sentence (“… .” – Name).
    last = sentence_at(sentences, max(start, end - 1))
    first = sentence_at(sentences, start)
    who = attributor.attribute(first, last, start, end)
    return Proposal(
        kind="quote",
        text=body[start:end],
        start=start,
        end=end,
        **who.proposal_fields(),
        sentence=body[first[0] : max(last[1], end)],
        sentence_start=first[0],
        sentence_end=max(last[1], end),
        form="direct",
    )
