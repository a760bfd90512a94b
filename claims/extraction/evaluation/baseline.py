"""The every-sentence baseline the extractor is measured against: what a proposer with no
grammar at all would score.

Every sentence is a reported quote given to the first known party named in it; every
number token is a figure whose value is its digits (unsigned, no qualifier), with the first
known metric of the unit the characters around it suggest, or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.text import sentence_spans

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PERCENT_AFTER = re.compile(r"\s?(?:%|per ?cent\b|percent\b)", re.I)
_TIMES_AFTER = re.compile(r"[\s-]times?\b", re.I)
_SCALE = r"(?:\s?(?:trillion|billion|million|thousand|bn|mn|m|k)\b)?"
_CURRENCY_AFTER = re.compile(
    rf"{_SCALE}\s+(?:(?:U\.?S\.?\s+)?dollars?|euros?|pounds?|yuan|francs?|yen)\b", re.I
)
_SYMBOL_BEFORE = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CODE_BEFORE = re.compile(r"\b(USD|EUR|GBP|CNY|RMB|JPY|CHF)\s?$")
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yuan": "CNY", "yen": "JPY"}


def baseline(
    body: str,
    *,
    parties: Sequence[KnownParty] = (),
    metrics: Sequence[KnownMetric] = (),
    published: object = None,
) -> list[Proposal]:
    # published is accepted, as extract() takes it, and ignored: the baseline reads no periods.
    proposals = [_sentence(body, start, end, parties) for start, end in sentence_spans(body)]
    proposals += [_number(body, m, metrics) for m in _NUMBER.finditer(body)]
    return proposals


def _sentence(body: str, start: int, end: int, parties: Sequence[KnownParty]) -> Proposal:
    text = body[start:end]
    named = []
    for party in parties:
        if not party.name:
            continue
        found = re.search(rf"(?<!\w){re.escape(party.name)}(?!\w)", text, re.I)
        if found:
            named.append((found.start(), -len(party.name), party))
    first = min(named, key=lambda t: (t[0], t[1]))[2] if named else None
    return Proposal(
        kind="quote",
        text=text,
        start=start,
        end=end,
        party=first.name if first else "",
        party_id=first.id if first else None,
        sentence=text,
        sentence_start=start,
        sentence_end=end,
        form="reported",
    )


def _number(body: str, m: re.Match, metrics: Sequence[KnownMetric]) -> Proposal:
    after, before = body[m.end() : m.end() + 40], body[max(0, m.start() - 4) : m.start()]
    currency = ""
    if _PERCENT_AFTER.match(after):
        unit = "percent"
    elif _TIMES_AFTER.match(after):
        unit = "multiplier"
    elif before[-1:] in _SYMBOL_BEFORE:
        unit, currency = "currency", _SYMBOL_BEFORE[before[-1]]
    elif code := _CODE_BEFORE.search(before):
        unit, currency = "currency", code.group(1).upper().replace("RMB", "CNY")
    elif word := _CURRENCY_AFTER.match(after):
        unit = "currency"
        currency = next(c for w, c in _CURRENCY_WORDS.items() if w in word.group().lower())
    else:
        unit = "count"
    metric = next((k for k in metrics if k.unit == unit), None)
    return Proposal(
        kind="figure",
        text=m.group(),
        start=m.start(),
        end=m.end(),
        value=Decimal(m.group().replace(",", "")),
        unit=unit,
        currency=currency,
        metric=metric.name if metric else "",
        metric_id=metric.id if metric else None,
    )
