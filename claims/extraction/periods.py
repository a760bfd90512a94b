"""The period a figure covers, read from its sentence and the article's date: "in 2017",
"last year", "since mid-2017", "September 2015 to August 2016", "the first half of 2018"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH = "|".join(m.capitalize() for m in _MONTHS)
_YEAR = r"(?:19|20)\d\d"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}


@dataclass(frozen=True)
class Period:
    label: str = ""
    start: date | None = None
    end: date | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(label: str, year: int) -> Period:
    return Period(label, date(year, 1, 1), date(year, 12, 31))


def _range(m: re.Match) -> Period:
    m1, y1, m2, y2 = m.group("m1"), int(m.group("y1")), m.group("m2"), int(m.group("y2"))
    start = date(y1, _MONTHS[m1.lower()], 1)
    end = _month_end(y2, _MONTHS[m2.lower()])
    return Period(f"{m1} {y1} to {m2} {y2}", start, end) if start <= end else Period()


def _half(m: re.Match) -> Period:
    return _half_of(m.group("n").lower(), int(m.group("y")))


def _half_of(half: str, year: int) -> Period:
    months = (1, 6) if half == "first" else (7, 12)
    return Period(f"{half} half of {year}", date(year, months[0], 1), _month_end(year, months[1]))


def _quarter(m: re.Match) -> Period:
    return _quarter_of(m.group("n").lower(), int(m.group("y")))


def _quarter_of(ordinal: str, year: int) -> Period:
    first = 3 * _ORDINAL[ordinal] - 2
    return Period(f"{ordinal} quarter of {year}", date(year, first, 1), _month_end(year, first + 2))


def _months_of(m: re.Match) -> Period:
    year, count = int(m.group("y")), int(_WORD_COUNTS.get(m.group("n").lower(), m.group("n")))
    if not 1 <= count <= 12:
        return Period()
    label = f"first {m.group('n')} months of {year}"
    return Period(label, date(year, 1, 1), _month_end(year, count))


def _months_to(m: re.Match) -> Period:
    year, month = int(m.group("y")), _MONTHS[m.group("m").lower()]
    start = date(year, 1, 1) if month == 12 else date(year - 1, month + 1, 1)
    return Period(f"12 months to {m.group('m')} {year}", start, _month_end(year, month))


def _since(m: re.Match, published: date | None) -> Period:
    year = int(m.group("y"))
    mid = bool(m.group("mid"))
    start = date(year, 7 if mid else 1, 1)
    label = f"since {'mid-' if mid else ''}{year}"
    if published and start <= published:
        return Period(label, start, published)
    return Period(label)


def _financial(m: re.Match) -> Period:
    return Period(f"{m.group('y')}-{m.group('y2')}")


_WORD_COUNTS = {"three": "3", "six": "6", "nine": "9"}
_PATTERNS = [
    (
        re.compile(
            rf"\b(?:from|between)\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})\s+(?:to|and|until)\s+"
            rf"(?P<m2>{_MONTH})\s+(?P<y2>{_YEAR})\b"
        ),
        _range,
    ),
    (re.compile(rf"\b(?P<n>first|second)\s+half\s+of\s+(?P<y>{_YEAR})\b", re.I), _half),
    (
        re.compile(rf"\b(?P<n>first|second|third|fourth)\s+quarter\s+of\s+(?P<y>{_YEAR})\b", re.I),
        _quarter,
    ),
    (
        re.compile(rf"\bfirst\s+(?P<n>\d{{1,2}}|three|six|nine)\s+months\s+of\s+(?P<y>{_YEAR})\b"),
        _months_of,
    ),
    (re.compile(rf"\b12\s+months\s+to\s+(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b"), _months_to),
    (re.compile(rf"\b(?P<y>{_YEAR})[-–/](?P<y2>\d\d)\b"), _financial),
]
# "in the second quarter", "the first half of the year": the article's year, or the year
# before when that part of the article's year had not ended by its date.
_PART_OF_YEAR = re.compile(
    r"\b(?P<n>first|second|third|fourth)\s+(?P<part>half|quarter)"
    r"(?:\s+of\s+(?:the|this)\s+year)?\b(?!\s+of\s+\d)",
    re.I,
)
_SINCE = re.compile(rf"\bsince\s+(?P<mid>mid-)?(?P<y>{_YEAR})\b")
_IN_YEAR = re.compile(rf"(?<![\w$£€-])(?P<y>{_YEAR})(?![\w%-])")
_LAST_YEAR = re.compile(r"\blast year(?:['’]s)?\b|\bthe previous 12 months\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)
_YEAR_BEFORE = re.compile(
    r"\b(?:the\s+previous|the\s+prior|a)\s+year(?:\s+(?:earlier|before|ago))?\b|"
    r"\ba\s+year\s+(?:earlier|before|ago)\b",
    re.I,
)


def _part_of_year(m: re.Match, published: date) -> Period:
    n, part = m.group("n").lower(), m.group("part").lower()
    if part == "half" and n not in {"first", "second"}:
        return Period()
    for year in (published.year, published.year - 1):
        period = _half_of(n, year) if part == "half" else _quarter_of(n, year)
        if period.end and period.end <= published:
            return period
    return Period()


def periods_in(sentence: str, published: date | None) -> list[tuple[int, int, Period, bool]]:
    """Every period the sentence names: (start, end, period, relative to another figure)."""
    found: list[tuple[int, int, Period, bool]] = []

    def add(m: re.Match, period: Period, relative: bool = False) -> None:
        if period.label and not any(s < m.end() and m.start() < e for s, e, _, _ in found):
            found.append((m.start(), m.end(), period, relative))

    for pattern, build in _PATTERNS:
        for m in pattern.finditer(sentence):
            add(m, build(m))
    for m in _SINCE.finditer(sentence):
        add(m, _since(m, published))
    for m in _IN_YEAR.finditer(sentence):
        add(m, _year(m.group("y"), int(m.group("y"))))
    if published:
        for m in _LAST_YEAR.finditer(sentence):
            add(m, _year(str(published.year - 1), published.year - 1))
        for m in _THIS_YEAR.finditer(sentence):
            add(m, _year(str(published.year), published.year))
        for m in _PART_OF_YEAR.finditer(sentence):
            add(m, _part_of_year(m, published))
    for m in _YEAR_BEFORE.finditer(sentence):
        add(m, Period("the previous year"), relative=True)
    return sorted(found, key=lambda f: f[0])


def period_for(
    sentence: str,
    at: int,
    others: list[int],
    published: date | None,
) -> Period:
    """The period of the figure at offset `at` of its sentence: the nearest period named in
    its own stretch of the sentence (between the figures either side of it), else the
    sentence's only one. "The previous year" is the year before the other figure's."""
    found = periods_in(sentence, published)
    if not found:
        return Period()
    low = max((o for o in others if o < at), default=-1)
    high = min((o for o in others if o > at), default=len(sentence) + 1)
    own = [f for f in found if low < f[0] < high]
    if own:
        choice = min(own, key=lambda f: (f[0] < at, abs(f[0] - at)))
    elif others:
        return Period()
    else:
        choice = found[0]
    start, _, period, relative = choice
    if relative:
        base = [f[2] for f in found if not f[3] and f[2].start and f[0] < start]
        if base and base[-1].start:
            year = base[-1].start.year - 1
            return _year(str(year), year)
        if published:
            return _year(str(published.year - 1), published.year - 1)
        return Period(period.label)
    return period
