"""The accept form's first draft of a claim: its summary, and what the article says of when
the statement was made. Pure text work on a proposal and its source; no queries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from claims.extraction.types import Proposal
from claims.text import shorten
from sources.dates import DatePrecision

SUMMARY_CHARS = 140

# A list marker at the start of a line: bullets, dashes, or "1." / "2)".
_BULLET = re.compile(r"(?m)^[ \t]*(?:[•·▪‣◦*●■–—-]|\d{1,2}[.)])[ \t]+")
# Clause boundaries inside a sentence; a figure's clause is the words about that figure.
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas)\s+")
_EDGES = " .“”\"'‘’«»"
_LEADING = re.compile(r"^(?:and|but|while|whereas|with|of which)\s+", re.IGNORECASE)


def without_bullets(text: str) -> str:
    return " ".join(_BULLET.sub("", text).split())


def quote_summary(proposal: Proposal) -> str:
    """ "Who: what they said", the words shortened, list markers dropped."""
    return _with_who(proposal, shorten(without_bullets(proposal.text), SUMMARY_CHARS))


def figure_summary(proposal: Proposal, siblings: Sequence[Proposal] = ()) -> str:
    """ "Who: the clause that holds the figure" — unique per figure of a sentence.

    The clause is the stretch of the sentence between commas, semicolons or conjunctions
    that contains the figure ("Takedown requests fell 25% last year"). When another figure of
    the sentence shares it ("rose from 180,000 to 240,000"), the figure leads.
    """
    start = proposal.start - proposal.sentence_start
    end = proposal.end - proposal.sentence_start
    sentence = proposal.sentence
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence) if m.end() <= start)]
    clause_start = max(cuts)
    after = [m.start() for m in _CLAUSE.finditer(sentence, end)]
    clause_end = min(after) if after else len(sentence)
    clause = _LEADING.sub("", without_bullets(sentence[clause_start:clause_end]).strip(_EDGES))
    shared = [
        s
        for s in siblings
        if s.key != proposal.key and clause_start <= s.start - proposal.sentence_start < clause_end
    ]
    text = shorten(clause, SUMMARY_CHARS)
    if shared or proposal.text not in text:
        text = f"{proposal.text} — {shorten(clause, SUMMARY_CHARS - len(proposal.text) - 3)}"
    return _with_who(proposal, text[:1].upper() + text[1:])


def _with_who(proposal: Proposal, text: str) -> str:
    who = proposal.party or proposal.speaker or getattr(proposal, "new_party", "")
    if who and not re.search(rf"\b{re.escape(who)}\b", text, re.IGNORECASE):
        return f"{who}: {text}"
    return text


# ---------------------------------------------------------------------------------------
# When the statement was made
# ---------------------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WHEN = (
    rf"(?:(?:on|in|since)\s+(?:(?:{_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{4}})"
    r"|last\s+(?:week|month|year|spring|summer|autumn|fall|winter)"
    r"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:earlier\s+this|this\s+past)\s+(?:week|month|year))"
)
_SAID = r"(?:said|says|told|announced|stated|wrote|added|declared|testified|warned)"
# The date attached to the verb of saying dates the statement: right after it ("said in
# March", "told reporters on Tuesday") or opening the sentence ("On Tuesday, the ministry
# said"). A date elsewhere in the sentence dates what is said ("fell 25% in 2018").
_DATED_STATEMENT = re.compile(
    rf"\b{_SAID}\b(?:\s+[\w’'-]+){{0,3}}?\s+(?P<after>{_WHEN})\b"
    rf"|^\W*(?P<before>{_WHEN}),?\s+(?:[\w’'.-]+\s+){{1,5}}{_SAID}\b",
    re.IGNORECASE,
)


def statement_dating(
    proposal: Proposal, published_on: datetime.date | None, published_precision: str
) -> str:
    """The words that date the statement differently from the source, or "".

    A phrase inside a direct quote is left out: it is what was said, not when.
    """
    sentence = proposal.sentence or proposal.text
    offset = proposal.sentence_start if proposal.sentence else proposal.start
    for match in _DATED_STATEMENT.finditer(sentence):
        start, end = match.start() + offset, match.end() + offset
        if proposal.form == "direct" and proposal.start <= start and end <= proposal.end:
            continue
        phrase = match.group("after") or match.group("before") or ""
        if not _same_as_published(phrase, published_on, published_precision):
            return phrase
    return ""


def _same_as_published(phrase: str, published_on: datetime.date | None, precision: str) -> bool:
    """Whether an explicit month or year names the source's own month or year."""
    if published_on is None or precision == DatePrecision.UNKNOWN:
        return False
    year = re.search(r"\d{4}", phrase)
    month = re.search(_MONTHS, phrase, re.IGNORECASE)
    if not year and not month:
        return False  # "last month", "on Tuesday": relative to the article, another day
    if year and int(year.group()) != published_on.year:
        return False
    if month and precision != DatePrecision.YEAR:
        names = _MONTHS.split("|")
        return names.index(month.group().capitalize()) + 1 == published_on.month
    return True
