"""Figures: percentages, counts, amounts of money and multipliers, with their qualifiers,
proposed with their sentence, speaker and guessed metric."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from claims.extraction.attribution import Attribution, Attributor
from claims.extraction.metrics import DECLINE, guess_metric
from claims.extraction.types import KnownMetric, Proposal
from claims.text import sentence_at

_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "dozens": 24,
}
_SCALES = {
    "thousand": Decimal(1000),
    "k": Decimal(1000),
    "million": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "hk$": "HKD",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
}
_QUALIFIERS = {
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "over": "over",
    "more than": "over",
    "just over": "over",
    "well over": "over",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "up to": "up_to",
    "at least": "at_least",
    "under": "under",
    "less than": "under",
    "fewer than": "under",
    "just under": "under",
}
_QUAL = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_Q = rf"(?:(?P<qual>{_QUAL})\s+)?"
_NOT_AFTER_DIGIT = r"(?<![\w.,$£€¥/-])"

_PERCENT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM})\s?(?P<unit>%|per ?cent\b|percent\b)", re.I
)
_MONEY_SYMBOL = re.compile(
    rf"{_Q}(?P<cur>US\$|HK\$|\$|€|£|¥|RMB|CNY|USD|EUR|GBP)\s?(?P<num>{_NUM})"
    r"(?:\s?(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m|b|k)\b)?"
)
_MONEY_WORDS = re.compile(
    rf"{_Q}(?P<num>{_NUM}|half a|a|one)\s+(?P<scale>trillion|billion|million|thousand)\s+"
    r"(?:US\s+)?(?P<cur>dollars?|yuan|euros?|pounds?)\b",
    re.I,
)
_MULTIPLIER = re.compile(
    rf"{_Q}(?P<num>{_NUM}|{_WORDNUM})[\s-]times?\b"
    r"|\b(?P<verb>doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing)|quadrupl(?:e|ed|es|ing))\b",
    re.I,
)
_TIME_UNITS = (
    r"(?:hours?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|decades?|"
    r"am|pm|per|times?|th|st|nd|rd)\b"
)
_STOP = r"(?:the|a|an|to|of|and|or|in|on|at|by|for|from|with|was|were|is|are|be|has|had)\b"
_COUNT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM}|\b(?:{_WORDNUM}))"
    rf"(?:\s+(?P<scale>million|billion|thousand))?"
    rf"(?![\w,.-]\d|[-–]\w)"
    rf"\s+(?P<noun>(?:(?:19|20)\d\d\s+|[A-Z]{{2,}}\s+)?(?!{_TIME_UNITS}|{_STOP})[a-z][\w’'-]*"
    rf"(?:\s+(?!{_STOP})[a-z][\w’'-]*){{0,3}})",
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _number(text: str) -> Decimal:
    text = text.lower().strip()
    if text in _WORD_NUMBERS:
        return Decimal(_WORD_NUMBERS[text])
    if text in {"a", "one"}:
        return Decimal(1)
    if text == "half a":
        return Decimal("0.5")
    return Decimal(text.replace(",", ""))


@dataclass
class Figure:
    start: int
    end: int
    value: Decimal
    unit: str
    currency: str = ""
    qualifier: str = ""
    noun: str = ""


def _scaled(value: Decimal, scale: str | None) -> Decimal:
    return value * _SCALES[scale.lower()] if scale else value


def find_figures(body: str) -> list[Figure]:
    found: list[Figure] = []

    def add(figure: Figure) -> None:
        if not any(f.start < figure.end and figure.start < f.end for f in found):
            found.append(figure)

    def qualifier(match: re.Match) -> str:
        qual = match.groupdict().get("qual")
        return _QUALIFIERS[qual.lower()] if qual else ""

    for m in _PERCENT.finditer(body):
        value = _number(m.group("num"))
        window = body[max(0, m.start() - 30) : m.end() + 14]
        if DECLINE.search(window):
            value = -value
        add(Figure(m.start(), m.end(), value, "percent", qualifier=qualifier(m)))
    for m in [*_MONEY_SYMBOL.finditer(body), *_MONEY_WORDS.finditer(body)]:
        currency = _CURRENCIES[m.group("cur").lower()]
        value = _scaled(_number(m.group("num")), m.group("scale"))
        add(Figure(m.start(), m.end(), value, "currency", currency, qualifier(m)))
    for m in _MULTIPLIER.finditer(body):
        if m.group("verb"):
            verb = m.group("verb").lower()
            value = Decimal(2 if verb.startswith("doubl") else 3 if verb.startswith("tripl") else 4)
            add(Figure(m.start(), m.end(), value, "multiplier"))
        else:
            add(Figure(m.start(), m.end(), _number(m.group("num")), "multiplier", "", qualifier(m)))
    for m in _COUNT.finditer(body):
        raw = m.group("num")
        if _YEAR.match(raw) and not m.group("scale"):
            continue
        value = _scaled(_number(raw), m.group("scale"))
        noun = m.group("noun")
        end = m.start("noun") + len(noun.split()[0]) if noun else m.end()
        # Stretch the figure over its noun up to the first plural ("offline ... locations").
        words = list(re.finditer(r"\S+", noun))
        for word in words:
            end = m.start("noun") + word.end()
            if word.group().endswith("s"):
                break
        add(Figure(m.start(), end, value, "count", "", qualifier(m), noun))
    return sorted(found, key=lambda f: f.start)


def figure_proposal(
    body: str,
    sentences: list[tuple[int, int]],
    attributor: Attributor,
    figure: Figure,
    quotes: list[Proposal],
    metrics: Sequence[KnownMetric],
) -> Proposal:
    s_start, s_end = sentence_at(sentences, figure.start)
    inside = next((q for q in quotes if q.start <= figure.start < q.end), None)
    if inside:
        who = Attribution(inside.speaker, inside.party, inside.speaker_id, inside.party_id)
    else:
        span = (s_start, s_end)
        who = attributor.attribute(span, span, figure.start, figure.end, is_quote=False)
    metric = guess_metric(
        noun=figure.noun,
        near=body[max(s_start, figure.start - 40) : min(s_end, figure.end + 40)],
        context=body[s_start:s_end],
        unit=figure.unit,
        metrics=metrics,
    )
    return Proposal(
        kind="figure",
        text=body[figure.start : figure.end],
        start=figure.start,
        end=figure.end,
        speaker=who.speaker,
        party=who.party,
        speaker_id=who.speaker_id,
        party_id=who.party_id,
        sentence=body[s_start:s_end],
        sentence_start=s_start,
        sentence_end=s_end,
        value=figure.value,
        unit=figure.unit,
        currency=figure.currency,
        qualifier=figure.qualifier,
        metric=metric.name if metric else "",
        metric_id=metric.id if metric else None,
    )
