"""Claims grouped by year and month on a timeline that honours date precision."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from claims.models import Claim
from sources.dates import DatePrecision

# ---------------------------------------------------------------------------------------------
# Timelines that honour date precision
# ---------------------------------------------------------------------------------------------


@dataclass
class TimelineMonth:
    date: datetime.date
    items: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.date.strftime("%B %Y")


@dataclass
class TimelineYear:
    year: int
    months: list[TimelineMonth] = field(default_factory=list)
    month_unknown: list = field(default_factory=list)


@dataclass
class Timeline:
    years: list[TimelineYear]
    unknown: list

    def __bool__(self) -> bool:
        return bool(self.years or self.unknown)


def build_timeline(claims: Iterable[Claim]) -> Timeline:
    """Group claims by year, then month, in date order, without inventing precision.

    A claim known only to the year goes under "<year> (month not known)", never on 1 January;
    a claim known to the month follows the dated claims of that month; undated claims come last.
    """
    rank = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1}
    years: dict[int, TimelineYear] = {}
    unknown: list = []

    def key(c: Claim) -> tuple:
        if c.claimed_on is None or c.claimed_precision == DatePrecision.UNKNOWN:
            return (datetime.MAXYEAR + 1, 0, 0, datetime.date.max, c.pk)
        month = 13 if c.claimed_precision == DatePrecision.YEAR else c.claimed_on.month
        return (c.claimed_on.year, month, rank.get(c.claimed_precision, 2), c.claimed_on, c.pk)

    ordered = sorted(claims, key=key)
    for claim in ordered:
        if claim.claimed_on is None or claim.claimed_precision == DatePrecision.UNKNOWN:
            unknown.append(claim)
            continue
        year = years.setdefault(claim.claimed_on.year, TimelineYear(claim.claimed_on.year))
        if claim.claimed_precision == DatePrecision.YEAR:
            year.month_unknown.append(claim)
            continue
        first_of_month = claim.claimed_on.replace(day=1)
        if not year.months or year.months[-1].date != first_of_month:
            year.months.append(TimelineMonth(first_of_month))
        year.months[-1].items.append(claim)
    return Timeline(years=[years[y] for y in sorted(years)], unknown=unknown)
