"""Cards grouped by year and month on a timeline that honours date precision."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from claims.cards import Card
from claims.models import Claim
from sources.dates import DatePrecision


@dataclass
class TimelineMonth:
    date: datetime.date
    items: list[Card] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.date.strftime("%B %Y")


@dataclass
class TimelineYear:
    year: int
    months: list[TimelineMonth] = field(default_factory=list)
    month_unknown: list[Card] = field(default_factory=list)


@dataclass
class Timeline:
    years: list[TimelineYear]
    unknown: list[Card]

    def __bool__(self) -> bool:
        return bool(self.years or self.unknown)


def _known(card: Card) -> bool:
    claim = card.claim
    return claim.claimed_on is not None and claim.claimed_precision != DatePrecision.UNKNOWN


def build_timeline(cards: Iterable[Card]) -> Timeline:
    """Group cards by year, then month, in the order of ClaimQuerySet.chronological(),
    without inventing precision: a claim known only to the year goes under "<year> (month not
    known)", never on 1 January; one known to the month follows that month's dated claims;
    undated claims come last."""
    rank: dict[str, int] = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1}

    def key(card: Card) -> tuple:
        c = card.claim
        if not _known(card) or c.claimed_on is None:
            return (datetime.MAXYEAR + 1, 0, 0, datetime.date.max, c.pk)
        month = 13 if c.claimed_precision == DatePrecision.YEAR else c.claimed_on.month
        return (c.claimed_on.year, month, rank.get(c.claimed_precision, 2), c.claimed_on, c.pk)

    years: dict[int, TimelineYear] = {}
    unknown: list[Card] = []
    for card in sorted(cards, key=key):
        claimed_on = card.claim.claimed_on
        if not _known(card) or claimed_on is None:
            unknown.append(card)
            continue
        year = years.setdefault(claimed_on.year, TimelineYear(claimed_on.year))
        if card.claim.claimed_precision == DatePrecision.YEAR:
            year.month_unknown.append(card)
            continue
        first_of_month = claimed_on.replace(day=1)
        if not year.months or year.months[-1].date != first_of_month:
            year.months.append(TimelineMonth(first_of_month))
        year.months[-1].items.append(card)
    return Timeline(years=[years[y] for y in sorted(years)], unknown=unknown)


@dataclass
class YearFacet:
    """A year of a paginated timeline: how many claims, and the page where the year starts."""

    year: int | None  # None: the claims whose date is not known, listed last
    count: int
    url: str

    @property
    def label(self) -> str:
        return str(self.year) if self.year is not None else "Date unknown"


def year_facets(
    claims: QuerySet[Claim], per_page: int, url_of: Callable[[int], str]
) -> list[YearFacet]:
    """The years of claims in ClaimQuerySet.chronological() order, each linking to the page of
    that order where it starts (`#tl-<year>`): one GROUP BY over the claims asked for."""
    rows = (
        claims.order_by()
        .annotate(year=ExtractYear("claimed_on"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    counts = sorted(((r["year"], r["n"]) for r in rows), key=lambda r: (r[0] is None, r[0] or 0))
    return facets_of(counts, per_page, url_of)


def facets_of(
    counts: Iterable[tuple[int | None, int] | list], per_page: int, url_of: Callable[[int], str]
) -> list[YearFacet]:
    """The facets of counts per year already in timeline order (undated last), as
    year_facets() counts them or as PartySummary stores them."""
    facets, before = [], 0
    for year, count in counts:
        anchor = f"#tl-{year}" if year is not None else "#tl-unknown"
        facets.append(YearFacet(year, count, url_of(before // per_page + 1) + anchor))
        before += count
    return facets
