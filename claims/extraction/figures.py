"""Figures: percentages, counts, amounts of money and multipliers, with their qualifiers,
proposed with their sentence, speaker and guessed metric."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from claims.extraction.attribution import Attribution
from claims.extraction.metrics import guess_metric
from claims.extraction.periods import Period
from claims.extraction.types import KnownMetric, Proposal

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
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "nz$": "NZD",
    "c$": "CAD",
    "s$": "SGD",
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
    "just short of": "nearly",
    "as much as": "up_to",
    "as many as": "up_to",
    "as high as": "up_to",
    "in excess of": "over",
    "close to": "nearly",
    "over": "over",
    "more than": "over",
    # "no more than 620,000 tonnes" is a ceiling, "no fewer than" a floor
    "no more than": "up_to",
    "not more than": "up_to",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
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
_Q = rf"(?:(?P<qual>(?i:{_QUAL}))\s+)?"
_NOT_AFTER_DIGIT = r"(?<![\w.,$£€¥/-])"

_PERCENT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM})\s?(?P<unit>%|per ?cent\b|percent\b)", re.I
)
_MONEY_SYMBOL = re.compile(
    rf"{_Q}(?P<cur>US\$|HK\$|AU?\$|NZ\$|C\$|S\$|\$|€|£|¥|RMB|CNY|USD|EUR|GBP|AUD)\s?(?P<num>{_NUM})"
    r"(?:\s?(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m|b|k)\b)?"
)
_MONEY_WORDS = re.compile(
    rf"{_Q}(?P<num>{_NUM}|half a|a|one)\s+(?P<scale>trillion|billion|million|thousand)\s+"
    r"(?:US\s+)?(?P<cur>dollars?|yuan|euros?|pounds?)\b",
    re.I,
)
_MULTIPLIER = re.compile(
    rf"{_Q}(?:(?P<num>{_NUM}|{_WORDNUM})(?:[\s-]times?\b|[\s-]?fold\b)"
    r"|\b(?P<verb>doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing)|quadrupl(?:e|ed|es|ing)))\b",
    re.I,
)
# "1.49 per 10,000 orders": a rate, its value and the base it is counted over.
_RATE = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM})\s+(?:\w+\s+)?per\s+(?P<base>{_NUM})\b"
    r"(?:\s+(?P<noun>(?!in\b|the\b|of\b|a\b)[a-z]+))?"
)
# "1 in 5 members": a share, recorded as a percentage.
_ONE_IN = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}) in (?P<base>\d{1,4})(?= [a-z])")
# "1.3 million" standing alone, as in "compared with 1.3 million the previous year".
_SCALED = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM})\s+(?P<scale>million|billion|trillion)\b"
)
# The second figure of a pair: "…, compared with 79,400 a year earlier", "up from 2,100".
_PAIR = re.compile(
    rf"\b(?:compared\s+(?:with|to)|up\s+from|down\s+from|from|against|versus|vs\.?)\s+"
    rf"{_Q}(?P<cur>US\$|A\$|\$|€|£)?(?P<num>{_NUM})"
    r"(?:\s?(?P<scale>million|billion|m|bn)\b)?(?!\s?%|\s?per\s?cent|[\d,])"
)
# Words of a change, for the sign of a percentage: the nearest one before it in its clause.
_FALL = re.compile(
    r"\b(?:declin\w*|fell|fall(?:en|s|ing)?|down|drop\w*|decreas\w*|reduc\w*|lower\w*|"
    r"cut\w*|shr[iu]nk\w*|slump\w*|slid\w*|slip\w*|lost|los[es]\w*|plung\w*|tumbl\w*|"
    r"sank|sunk|dipp?\w*|contract\w*)\b",
    re.I,
)
_RISE = re.compile(
    r"\b(?:ris\w*|rose|up|increas\w*|gr[eo]w\w*|rais\w*|climb\w*|jump\w*|soar\w*|"
    r"gain\w*|lift\w*|surg\w*|higher|boost\w*|expand\w*|more)\b",
    re.I,
)
_FALL_AFTER = re.compile(r"^\s*(?:fewer|lower|less|down|decrease|drop|fall|decline)\b", re.I)
_TIME_UNITS = (
    r"(?:hours?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|decades?|"
    r"am|pm|per|times?|th|st|nd|rd)\b"
)
_SCALE_WORDS = r"(?:million|billion|thousand|trillion)\b"
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)
_STOP = r"(?:the|a|an|to|of|and|or|in|on|at|by|for|from|with|was|were|is|are|be|has|had)\b"
_COUNT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM}|\b(?i:{_WORDNUM}))"
    rf"(?:\s+(?P<scale>million|billion|thousand))?"
    rf"(?![\w,.-]\d|[-–]\w)"
    # "2,300 Taranese boats": a capitalised modifier (not a month) before the noun
    rf"\s+(?P<noun>(?:(?:19|20)\d\d\s+|[A-Z]{{2,}}\s+|(?!{_MONTHS})[A-Z][a-z]+\s+(?=[a-z]))?"
    rf"(?!{_TIME_UNITS}|{_STOP}|{_SCALE_WORDS})"
    rf"[a-z][\w’'-]*"
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
    rate_base: Decimal | None = None
    alt_value: Decimal | None = None
    alt_currency: str = ""


def _scaled(value: Decimal, scale: str | None) -> Decimal:
    return value * _SCALES[scale.lower()] if scale else value


def _sign(body: str, start: int, end: int) -> int:
    """-1 when the words of its clause say a percentage is a fall ("fell 7.5%", "42% fewer",
    "cut … by as much as 5 percent"); a level ("slipped to 11 per cent", "from 14 per
    cent") keeps its sign."""
    if _FALL_AFTER.match(body[end : end + 12]):
        return -1
    clause = re.split(r"[,;:(.\n]|\band\b|\bwhile\b|\bbut\b", body[max(0, start - 80) : start])[-1]
    if re.search(r"\b(?:to|from|at|of)\s*$", clause):
        return 1
    changes = [(m.start(), -1) for m in _FALL.finditer(clause)]
    changes += [(m.start(), 1) for m in _RISE.finditer(clause)]
    return max(changes)[1] if changes else 1


def _money(match: re.Match) -> tuple[Decimal, str]:
    currency = _CURRENCIES[match.group("cur").lower()]
    return _scaled(_number(match.group("num")), match.group("scale")), currency


def find_figures(body: str) -> list[Figure]:
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []  # spans used up by another figure ("($675m)")

    def add(figure: Figure) -> None:
        spans = [(f.start, f.end) for f in found] + taken
        if not any(s < figure.end and figure.start < e for s, e in spans):
            found.append(figure)

    def qualifier(match: re.Match) -> str:
        qual = match.groupdict().get("qual")
        return _QUALIFIERS[qual.lower()] if qual else ""

    for m in _RATE.finditer(body):
        add(
            Figure(m.start(), m.end(), _number(m.group("num")), "rate", "", qualifier(m),
                   m.group("noun") or "", rate_base=_number(m.group("base")))
        )  # fmt: skip
    for m in _ONE_IN.finditer(body):
        num, base = int(m.group("num")), int(m.group("base"))
        if 0 < num < base:
            share = (Decimal(num) * 100 / Decimal(base)).quantize(Decimal("0.1")).normalize()
            add(Figure(m.start(), m.end(), share, "percent"))
    for m in _PERCENT.finditer(body):
        value = _number(m.group("num")) * _sign(body, m.start(), m.end())
        add(Figure(m.start(), m.end(), value, "percent", qualifier=qualifier(m)))
    for m in [*_MONEY_SYMBOL.finditer(body), *_MONEY_WORDS.finditer(body)]:
        value, currency = _money(m)
        figure = Figure(m.start(), m.end(), value, "currency", currency, qualifier(m))
        after = re.match(r"\s*\((?:about\s+|around\s+|~)?", body[m.end() : m.end() + 16])
        alt = _MONEY_SYMBOL.match(body, m.end() + after.end()) if after else None
        if alt and body[alt.end() : alt.end() + 1] == ")":
            figure.alt_value, figure.alt_currency = _money(alt)
            taken.append((alt.start(), alt.end()))
        add(figure)
    for m in _MULTIPLIER.finditer(body):
        if m.group("verb"):
            verb = m.group("verb").lower()
            value = Decimal(2 if verb.startswith("doubl") else 3 if verb.startswith("tripl") else 4)
        else:
            value = _number(m.group("num"))
        add(Figure(m.start(), m.end(), value, "multiplier", "", qualifier(m)))
    for m in _COUNT.finditer(body):
        raw = m.group("num")
        if _YEAR.match(raw) and not m.group("scale"):
            continue
        value = _scaled(_number(raw), m.group("scale"))
        noun = m.group("noun")
        end = m.start("noun") + len(noun.split()[0]) if noun else m.end()
        # Stretch the figure over its noun up to the first plural ("offline ... locations").
        for word in re.finditer(r"\S+", noun):
            end = m.start("noun") + word.end()
            if word.group().endswith("s"):
                break
        add(Figure(m.start(), end, value, "count", "", qualifier(m), body[m.start("noun") : end]))
    for m in _SCALED.finditer(body):
        add(Figure(m.start(), m.end(), _scaled(_number(m.group("num")), m.group("scale")), "count",
                   "", qualifier(m)))  # fmt: skip
    for m in _PAIR.finditer(body):
        if _YEAR.match(m.group("num")) and not m.group("scale"):
            continue
        start = min(m.start(g) for g in ("qual", "cur", "num") if m.group(g))
        before = [f for f in found if f.end <= m.start() and m.start() - f.end < 120]
        first = max(before, default=None, key=lambda f: f.end)
        if first is None or re.search(r"[.;\n]", body[first.end : m.start()]):
            continue
        value = _scaled(_number(m.group("num")), m.group("scale"))
        currency = _CURRENCIES[m.group("cur").lower()] if m.group("cur") else first.currency
        add(Figure(start, m.end(), value, first.unit, currency if first.unit == "currency" else "",
                   qualifier(m), first.noun, rate_base=first.rate_base))  # fmt: skip
    return sorted(found, key=lambda f: f.start)


def figure_proposal(
    body: str,
    sentence: tuple[int, int],
    figure: Figure,
    who: Attribution,
    metrics: Sequence[KnownMetric],
    period: Period,
) -> Proposal:
    s_start, s_end = sentence
    metric = guess_metric(
        noun=figure.noun,
        near=body[max(s_start, figure.start - 60) : min(s_end, figure.end + 60)],
        context=body[s_start:s_end],
        unit=figure.unit,
        metrics=metrics,
    )
    return Proposal(
        kind="figure",
        text=body[figure.start : figure.end],
        start=figure.start,
        end=figure.end,
        **who.proposal_fields(),
        sentence=body[s_start:s_end],
        sentence_start=s_start,
        sentence_end=s_end,
        value=figure.value,
        unit=figure.unit,
        currency=figure.currency,
        qualifier=figure.qualifier,
        metric=metric.name if metric else "",
        metric_id=metric.id if metric else None,
        rate_base=figure.rate_base,
        alt_value=figure.alt_value,
        alt_currency=figure.alt_currency,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
    )
