"""Read helpers for the public pages.

Each function runs a fixed number of queries whatever the amount of data (the page tests pin
those counts) and hands templates plain objects, so templates never trigger a query.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Func, Max, Min, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.anchoring import anchor_is_valid
from claims.history import public_corrections
from claims.models import (
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import DatePrecision
from sources.models import Source

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


# ---------------------------------------------------------------------------------------------
# Relations between claims
# ---------------------------------------------------------------------------------------------

INVERSE_LABELS = {
    ClaimRelation.Kind.REBUTS: "rebutted by",
    ClaimRelation.Kind.SUPPORTS: "supported by",
    ClaimRelation.Kind.CONTRADICTS: "contradicted by",
    ClaimRelation.Kind.REPEATS: "repeated by",
    ClaimRelation.Kind.QUALIFIES: "qualified by",
}
OPPOSING = {ClaimRelation.Kind.REBUTS, ClaimRelation.Kind.CONTRADICTS}


@dataclass
class RelatedClaim:
    label: str
    kind: str
    claim: Claim
    note: str = ""
    on_board: bool = False
    side: DisputeSide | None = None
    arrow: str = "→"

    @property
    def is_opposing(self) -> bool:
        return self.kind in OPPOSING


def related_claims(claim_ids: Iterable[int]) -> dict[int, list[RelatedClaim]]:
    """Every relation touching the given claims, from each claim's point of view (one query)."""
    ids = set(claim_ids)
    related: dict[int, list[RelatedClaim]] = defaultdict(list)
    if not ids:
        return related
    relations = ClaimRelation.objects.filter(
        Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)
    ).select_related("from_claim__party", "to_claim__party")
    for rel in relations:
        if rel.from_claim_id in ids:
            related[rel.from_claim_id].append(
                RelatedClaim(rel.get_kind_display(), rel.kind, rel.to_claim, rel.note)
            )
        if rel.to_claim_id in ids:
            related[rel.to_claim_id].append(
                RelatedClaim(INVERSE_LABELS[rel.kind], rel.kind, rel.from_claim, rel.note)
            )
    for items in related.values():
        items.sort(key=lambda r: (r.label, r.claim.pk))
    return related


# ---------------------------------------------------------------------------------------------
# Comparing statistics: discrepancy, drift, explained difference
# ---------------------------------------------------------------------------------------------


class Verdict:
    DISAGREEMENT = "disagreement"  # different parties, same stated period, different values
    DRIFT = "drift"  # the same party, different values, periods the same or not stated
    EXPLAINED = "explained"  # values differ but a scope note says why
    CONSISTENT = "consistent"  # values differ but fit the bounds their qualifiers give
    OTHER_UNIT = "other_unit"  # different unit or currency: not the same measure
    OTHER_PERIOD = "other_period"  # values for different stated periods: a series, not a conflict
    PERIOD_UNKNOWN = "period_unknown"  # a period is not stated: cannot be compared


VERDICT_LABELS = {
    Verdict.DISAGREEMENT: "Sources disagree",
    Verdict.DRIFT: "Drift",
    Verdict.EXPLAINED: "Explained by scope note",
    Verdict.CONSISTENT: "Consistent",
    Verdict.OTHER_UNIT: "Different units",
    Verdict.OTHER_PERIOD: "Different periods",
    Verdict.PERIOD_UNKNOWN: "Period not stated",
}
VERDICT_NOTES = {
    Verdict.DISAGREEMENT: "Different parties give different values for the same period.",
    Verdict.DRIFT: "The same party gave different values for this figure in different "
    "statements, without stating different periods; read the scope notes.",
    Verdict.EXPLAINED: "Not counted as a conflict: the scope note explains the difference.",
    Verdict.CONSISTENT: "Not counted as a conflict: the values differ but fit the bounds their "
    "wording gives (“over”, “at least”, “under”, “up to”, “nearly”, “about”).",
    Verdict.OTHER_UNIT: "Not counted as a conflict: the figures use different units.",
    Verdict.OTHER_PERIOD: "Not counted as a conflict: the figures cover different periods.",
    Verdict.PERIOD_UNKNOWN: "Not counted as a conflict: a period is not stated, so the values "
    "cannot be compared.",
}
VERDICT_ORDER = {verdict: index for index, verdict in enumerate(VERDICT_LABELS)}
CONFLICTS = {Verdict.DISAGREEMENT, Verdict.DRIFT}

# Bounds that keep every page's work and output the same size whatever the data: at most
# SHOWN_PER_VERDICT pairs listed per verdict, at most PAIR_BUDGET pairs of distinct values
# compared per page (beyond it the page says the count is a lower bound).
SHOWN_PER_VERDICT = 20
PAIR_BUDGET = 20_000

_YEAR = re.compile(r"[0-9]{4}")


def stated_period(
    period_start: datetime.date | None, period_end: datetime.date | None, period_label: str
) -> tuple[datetime.date, datetime.date] | str | None:
    """The period a value is said to cover: its dates, else its label, else None.

    A label that is exactly a year ("2017") is that year's dates, so it equals a value dated
    1 Jan–31 Dec 2017. Other labels are equal when their words are ("the previous 12 months").
    """
    if period_start is not None and period_end is not None:
        return (period_start, period_end)
    label = " ".join(period_label.split()).lower()
    if _YEAR.fullmatch(label) and int(label) >= datetime.MINYEAR:
        year = int(label)
        return (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return label or None


def _bounds(value: Decimal, qualifier: str) -> tuple[Decimal | None, Decimal | None]:
    """The range a value's wording allows: "over 1,000" is 1,000 or more, "nearly 1,000" is
    900 to 1,000, "about 1,000" is 900 to 1,100; None is an open end."""
    q = Statistic.Qualifier
    tenth = abs(value) / 10
    if qualifier in (q.OVER, q.AT_LEAST):
        return (value, None)
    if qualifier in (q.UNDER, q.UP_TO):
        return (None, value)
    if qualifier == q.NEARLY:  # just short of the value, whatever its sign
        return (value - tenth, value) if value >= 0 else (value, value + tenth)
    if qualifier == q.ABOUT:
        return (value - tenth, value + tenth)
    return (value, value)


@dataclass(eq=False)
class Entry:
    """Identical values of one figure, counted once.

    Identical means the same value, qualifier, unit, currency, stated period, party and scope
    note: they compare the same way with every other value, so they are compared once.
    """

    metric_id: int
    value: Decimal
    qualifier: str
    unit: str
    currency: str
    period: object  # stated_period()
    party_id: int
    scope_note: str
    first_pk: int  # the statistic shown for the entry: the first recorded
    count: int = 1
    claim_id: int | None = None  # the claim, when every value comes from one claim
    statistic: Statistic | None = None  # loaded for display

    @classmethod
    def of(cls, statistic: Statistic) -> "Entry":
        return cls(
            metric_id=statistic.metric_id,
            value=Decimal(statistic.value),
            qualifier=statistic.qualifier,
            unit=statistic.unit,
            currency=statistic.currency,
            period=stated_period(
                statistic.period_start, statistic.period_end, statistic.period_label
            ),
            party_id=statistic.claim.party_id,
            scope_note=statistic.scope_note,
            first_pk=statistic.pk,
            claim_id=statistic.claim_id,
            statistic=statistic,
        )

    def __post_init__(self) -> None:
        self.bounds = _bounds(self.value, self.qualifier)


def _fit(first: Entry, second: Entry) -> bool:
    """Whether the ranges the two values' wordings allow overlap."""
    if not first.qualifier and not second.qualifier:
        return first.value == second.value
    (lo1, hi1), (lo2, hi2) = first.bounds, second.bounds
    lows = [b for b in (lo1, lo2) if b is not None]
    highs = [b for b in (hi1, hi2) if b is not None]
    return not lows or not highs or max(lows) <= min(highs)


def verdict(first: Entry, second: Entry) -> str | None:
    """How two values of the same metric relate; None when they agree or are one statement's.

    A conflict is the same figure for the same period with nothing explaining the difference
    (parties disagree), or one party giving different values without saying which different
    periods they cover (drift). Values for stated, different periods form a series. Values
    whose wording allows both ("over 1,000" and 1,606) are consistent.
    """
    if first.metric_id != second.metric_id:
        return None
    if first.claim_id is not None and first.claim_id == second.claim_id:
        return None
    if (first.unit, first.currency) != (second.unit, second.currency):
        return Verdict.OTHER_UNIT
    if first.value == second.value and first.qualifier == second.qualifier:
        return None
    stated = first.period is not None and second.period is not None
    if stated and first.period != second.period:
        # Both say which period they cover and the periods differ: a series, not a conflict.
        return Verdict.OTHER_PERIOD
    if _fit(first, second):
        return Verdict.CONSISTENT
    same_party = first.party_id == second.party_id
    if stated:
        # Same figure, same stated period: only a scope note (another definition) explains it.
        if first.scope_note or second.scope_note:
            return Verdict.EXPLAINED
        return Verdict.DRIFT if same_party else Verdict.DISAGREEMENT
    # A party that gives two values for its own figure without saying which periods they
    # cover has changed its story as far as a reader can tell; scope notes are shown beside.
    return Verdict.DRIFT if same_party else Verdict.PERIOD_UNKNOWN


class HasVerdict:
    """Labels for anything that carries a `verdict` (a pair of values, a group of pairs)."""

    verdict: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def explanation(self) -> str:
        return VERDICT_NOTES[self.verdict]

    @property
    def is_conflict(self) -> bool:
        return self.verdict in CONFLICTS


@dataclass
class Comparison(HasVerdict):
    first: Statistic
    second: Statistic
    verdict: str
    first_count: int = 1  # how many statements gave each value
    second_count: int = 1

    @property
    def same_party(self) -> bool:
        return self.first.claim.party_id == self.second.claim.party_id

    @property
    def scope_notes(self) -> list[str]:
        return [s.scope_note for s in (self.first, self.second) if s.scope_note]

    def other(self, statistic: Statistic) -> Statistic:
        return self.second if statistic.pk == self.first.pk else self.first


def compare(first: Statistic, second: Statistic) -> Comparison | None:
    """How two loaded statistics (with their claims) relate; see verdict()."""
    if first.claim_id == second.claim_id:
        return None
    found = verdict(Entry.of(first), Entry.of(second))
    return Comparison(first, second, found) if found else None


def metric_entries(metric_ids) -> dict[int, list[Entry]]:
    """The distinct values of the given metrics, counted, in SQL (one query).

    metric_ids may be a list or a subquery. Entries come in a stable order: by period, value
    and first statistic.
    """
    rows = (
        Statistic.objects.filter(metric_id__in=metric_ids)
        .values(
            "metric_id",
            "value",
            "qualifier",
            "unit",
            "currency",
            "period_label",
            "period_start",
            "period_end",
            "claim__party_id",
            "scope_note",
        )
        .annotate(
            count=Count("pk"),
            first_pk=Min("pk"),
            claim_lo=Min("claim_id"),
            claim_hi=Max("claim_id"),
        )
        .order_by()
    )
    merged: dict[tuple, Entry] = {}
    for row in rows:
        period = stated_period(row["period_start"], row["period_end"], row["period_label"])
        value = Decimal(row["value"])
        key = (
            row["metric_id"],
            value.normalize(),
            row["qualifier"],
            row["unit"],
            row["currency"],
            period,
            row["claim__party_id"],
            row["scope_note"],
        )
        claim_id = row["claim_lo"] if row["claim_lo"] == row["claim_hi"] else None
        if key in merged:  # the same stated period written two ways ("2017" and its dates)
            entry = merged[key]
            entry.count += row["count"]
            entry.first_pk = min(entry.first_pk, row["first_pk"])
            entry.claim_id = entry.claim_id if entry.claim_id == claim_id else None
            continue
        merged[key] = Entry(
            metric_id=row["metric_id"],
            value=value,
            qualifier=row["qualifier"],
            unit=row["unit"],
            currency=row["currency"],
            period=period,
            party_id=row["claim__party_id"],
            scope_note=row["scope_note"],
            first_pk=row["first_pk"],
            count=row["count"],
            claim_id=claim_id,
        )
    by_metric: dict[int, list[Entry]] = defaultdict(list)
    for entry in sorted(merged.values(), key=_entry_order):
        by_metric[entry.metric_id].append(entry)
    return by_metric


def _entry_order(entry: Entry) -> tuple:
    period = entry.period
    if isinstance(period, tuple):
        place = (0, period[0].toordinal(), period[1].toordinal(), "")
    elif period:
        place = (1, 0, 0, period)
    else:
        place = (2, 0, 0, "")
    return (entry.metric_id, place, entry.value, entry.first_pk)


def load_statistics(entries: Iterable[Entry], *, with_sources: bool = False) -> None:
    """Load the statistic each entry shows, with who said it (one or two queries)."""
    entries = list(entries)
    wanted = {e.first_pk: e for e in entries if e.statistic is None}
    if not wanted:
        return
    found = Statistic.objects.filter(pk__in=wanted).select_related("metric", "claim__party")
    if with_sources:
        found = found.prefetch_related(
            Prefetch(
                "claim__citations",
                queryset=Citation.objects.select_related("source__outlet").defer("source__body"),
            )
        )
    loaded = {s.pk: s for s in found}
    for entry in entries:
        if entry.statistic is None:
            entry.statistic = loaded[entry.first_pk]


def _pairs_worth_comparing(entries: list[Entry]) -> Iterable[tuple[Entry, Entry]]:
    """Pairs of one metric's entries that may conflict, without the pairs across different
    units or different stated periods: those are a series, summarised, not listed."""
    by_unit: dict[tuple[str, str], dict[object, list[Entry]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for entry in entries:
        by_unit[(entry.unit, entry.currency)][entry.period].append(entry)
    for buckets in by_unit.values():
        unstated = buckets.get(None, [])
        for group in buckets.values():
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    yield first, second
        for period, group in buckets.items():
            if period is None:
                continue
            for first in unstated:
                for second in group:
                    yield first, second


@dataclass
class VerdictGroup(HasVerdict):
    """The pairs of one verdict: the first few to show, and how many there are."""

    verdict: str
    pairs: list[tuple[Entry, Entry]] = field(default_factory=list)
    total: int = 0
    complete: bool = True  # False when the pair budget ran out before every pair was seen

    @property
    def comparisons(self) -> list[Comparison]:
        return [
            Comparison(a.statistic, b.statistic, self.verdict, a.count, b.count)
            for a, b in self.pairs
        ]

    @property
    def more(self) -> int:
        return self.total - len(self.pairs)

    @property
    def more_text(self) -> str:
        if not self.more and self.complete:
            return ""
        at_least = "" if self.complete else "at least "
        return f"and {at_least}{self.more:,} more pair{pluralize(self.more)} not listed"


def tally(
    entries: list[Entry], *, shown: int = SHOWN_PER_VERDICT, budget: int = PAIR_BUDGET
) -> tuple[dict[str, VerdictGroup], int]:
    """The differing pairs of one metric's entries by verdict, at most `budget` compared.

    Returns the groups and the budget left over.
    """
    groups: dict[str, VerdictGroup] = {}
    for first, second in _pairs_worth_comparing(entries):
        if budget <= 0:
            for group in groups.values():
                group.complete = False
            break
        budget -= 1
        found = verdict(first, second)
        if found is None:
            continue
        group = groups.setdefault(found, VerdictGroup(found))
        group.total += 1
        if len(group.pairs) < shown:
            group.pairs.append((first, second))
    ordered = dict(sorted(groups.items(), key=lambda item: VERDICT_ORDER[item[0]]))
    return ordered, budget


def _shown_entries(groups: Iterable[VerdictGroup]) -> list[Entry]:
    return [entry for group in groups for pair in group.pairs for entry in pair]


@dataclass
class StatisticReport:
    """How the other values of its metric relate to one statistic, conflicts first."""

    statistic: Statistic
    comparisons: list[Comparison]  # the ones shown
    total: int = 0
    conflict_total: int = 0

    @property
    def conflicts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.is_conflict]

    @property
    def more_conflicts(self) -> int:
        return self.conflict_total - len(self.conflicts)

    @property
    def entries(self) -> list[tuple[Comparison, Statistic]]:
        """Each comparison shown with the other statistic."""
        return [(c, c.second) for c in self.comparisons]

    @property
    def more(self) -> int:
        return self.total - len(self.comparisons)


def statistic_reports(
    own: Iterable[Statistic], *, shown: int = SHOWN_PER_VERDICT
) -> list[StatisticReport]:
    """For each statistic (loaded with its claim), how the other values of its metric relate.

    Compares each with the distinct values of its metric (linear, not pairwise), keeps the
    first `shown` comparisons, conflicts first, and counts the rest (two queries).
    """
    own = list(own)
    if not own:
        return []
    entries = metric_entries({s.metric_id for s in own})
    found_by_statistic = []
    for statistic in own:
        mine = Entry.of(statistic)
        found = [
            (v, other) for other in entries[statistic.metric_id] if (v := verdict(mine, other))
        ]
        found.sort(key=lambda item: VERDICT_ORDER[item[0]])
        found_by_statistic.append((statistic, found))
    load_statistics(e for _, found in found_by_statistic for _, e in found[:shown])
    return [
        StatisticReport(
            statistic,
            [Comparison(statistic, e.statistic, v, 1, e.count) for v, e in found[:shown]],
            total=len(found),
            conflict_total=sum(1 for v, _ in found if v in CONFLICTS),
        )
        for statistic, found in found_by_statistic
    ]


@dataclass
class Discrepancy:
    """A figure whose values conflict: the first conflict, and how many conflicts it has."""

    comparison: Comparison
    total: int
    complete: bool

    @property
    def more(self) -> int:
        return self.total - 1


def open_discrepancies(limit: int = 10) -> list[Discrepancy]:
    """Figures whose values conflict (disagreement or drift), one line each, for the home page.

    Only metrics with more than one distinct value are read (filtered in SQL); a series over
    different periods, units, and explained or consistent differences are left out.
    """
    varied = (
        Metric.objects.annotate(distinct_values=Count("statistics__value", distinct=True))
        .filter(distinct_values__gt=1)
        .values("pk")
    )
    entries = metric_entries(varied)
    budget = PAIR_BUDGET
    found: list[tuple[Entry, Entry, VerdictGroup]] = []
    for metric_entries_ in entries.values():
        groups, budget = tally(metric_entries_, shown=1, budget=budget)
        conflicts = [g for g in groups.values() if g.is_conflict]
        if conflicts:
            total = sum(g.total for g in conflicts)
            first = conflicts[0]
            found.append(
                (*first.pairs[0], VerdictGroup(first.verdict, total=total, complete=first.complete))
            )
        if budget <= 0:
            break
    found.sort(key=lambda item: (VERDICT_ORDER[item[2].verdict], item[0].metric_id))
    found = found[:limit]
    load_statistics(entry for first, second, _ in found for entry in (first, second))
    return [
        Discrepancy(
            Comparison(a.statistic, b.statistic, group.verdict, a.count, b.count),
            group.total,
            group.complete,
        )
        for a, b, group in found
    ]


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


CLAIMS_PER_CELL = 8  # a dispute cell lists this many claims, then links to the rest
CONFLICT_NOTES_PER_FIGURE = 3
FIGURE_ROWS_SHOWN = 3  # other values listed per row of a dispute's figures table


@dataclass
class BoardClaim:
    claim: Claim
    anchor: bool  # the first appearance on the board carries the id="claim-<pk>" target


@dataclass
class Cell:
    side: DisputeSide
    claims: list[BoardClaim]
    total: int = 0  # every claim of this side on this point; the first CLAIMS_PER_CELL shown
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.claims)


@dataclass
class ConflictNote:
    label: str
    value: str
    party: str


@dataclass
class Row:
    point: object
    cells: list[Cell]


@dataclass
class DisputeBoard:
    dispute: Dispute
    sides: list[DisputeSide]
    rows: list[Row]
    claims: list[Claim]
    side_of: dict[int, DisputeSide]
    related: dict[int, list[RelatedClaim]]
    statistics: list[StatisticReport]
    timeline: Timeline

    @property
    def hidden_count(self) -> int:
        """Placements beyond CLAIMS_PER_CELL, listed in the claims list instead."""
        return sum(cell.more for row in self.rows for cell in row.cells)


def dispute_board(dispute: Dispute) -> DisputeBoard:
    """The side-by-side view: one column per side, one row per point.

    Each cell shows its first CLAIMS_PER_CELL claims (picked in SQL with a window function)
    and links to the claims list for the rest, so the page stays the same size.
    """
    sides = list(dispute.sides.select_related("party"))
    points = list(dispute.points.all())
    in_cell_order = [
        F("order").asc(),
        F("claim__claimed_on").asc(nulls_last=True),
        F("pk").asc(),
    ]
    cell = [F("point_id"), F("side_id")]
    placements = list(
        PointClaim.objects.filter(point__dispute=dispute)
        .annotate(
            place=Window(RowNumber(), partition_by=cell, order_by=in_cell_order),
        )
        .filter(place__lte=CLAIMS_PER_CELL)
        .prefetch_related(Prefetch("claim", queryset=Claim.objects.with_related()))
        .order_by("point__order", "point_id", *in_cell_order)
    )
    # A separate GROUP BY is cheaper here than a COUNT window over every placement.
    totals = {
        (row["point_id"], row["side_id"]): row["n"]
        for row in PointClaim.objects.filter(point__dispute=dispute)
        .values("point_id", "side_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_cell: dict[tuple[int, int], list[BoardClaim]] = defaultdict(list)
    claims: dict[int, Claim] = {}
    side_of: dict[int, DisputeSide] = {}
    sides_by_id = {side.pk: side for side in sides}
    for placement in placements:
        first = placement.claim_id not in claims
        by_cell[(placement.point_id, placement.side_id)].append(
            BoardClaim(placement.claim, anchor=first)
        )
        claims.setdefault(placement.claim_id, placement.claim)
        side_of.setdefault(placement.claim_id, sides_by_id[placement.side_id])
    more_url = reverse("claims:list") + "?"
    rows = [
        Row(
            point,
            [
                Cell(
                    side,
                    by_cell[(point.pk, side.pk)],
                    totals.get((point.pk, side.pk), 0),
                    more_url + urlencode({"dispute": dispute.slug, "party": side.party.slug}),
                )
                for side in sides
            ],
        )
        for point in points
    ]
    related = related_claims(claims)
    column = {side.pk: index for index, side in enumerate(sides)}
    for claim_id, claim in claims.items():
        # On the board only rebuttals and contradictions are drawn, pointing at the column
        # where the other claim sits; the claim page lists every relation.
        claim.board_related = [r for r in related.get(claim_id, []) if r.is_opposing]
        for rel in claim.board_related:
            rel.on_board = rel.claim.pk in claims
            rel.side = side_of.get(rel.claim.pk)
            if rel.side:
                here, there = column[side_of[claim_id].pk], column[rel.side.pk]
                rel.arrow = "←" if there < here else "→" if there > here else "↕"
    reports = statistic_reports(
        (s for c in claims.values() for s in c.card_statistics), shown=FIGURE_ROWS_SHOWN
    )
    by_statistic = {report.statistic.pk: report for report in reports}
    for claim in claims.values():
        for statistic in claim.card_statistics:
            report = by_statistic.get(statistic.pk)
            conflicts = report.conflicts[:CONFLICT_NOTES_PER_FIGURE] if report else []
            statistic.board_conflicts = [
                ConflictNote(c.label, c.second.display_value, c.second.claim.party.name)
                for c in conflicts
            ]
            statistic.board_conflicts_more = report.conflict_total - len(conflicts) if report else 0
    return DisputeBoard(
        dispute=dispute,
        sides=sides,
        rows=rows,
        claims=list(claims.values()),
        side_of=side_of,
        related=related,
        statistics=reports,
        timeline=build_timeline(claims.values()),
    )


def dispute_list():
    return (
        Dispute.objects.annotate(
            point_count=Count("points", distinct=True),
            claim_count=Count("points__placements", distinct=True),
        )
        .order_by("title")
        .prefetch_related(Prefetch("sides", queryset=DisputeSide.objects.select_related("party")))
    )


def withdrawn_claim(pk: int) -> dict | None:
    """What a removed claim's permalink shows, from its history; None if it never existed."""
    last = Claim.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        return None
    return {
        "summary": last.summary,
        "claim_id": pk,
        "party": Party.objects.filter(pk=last.party_id).first(),
        "claimed_display": last.instance.claimed_display,
        "withdrawn_on": last.history_date,
    }


def claim_for_page(pk: int) -> Claim:
    """One claim with everything its permalink shows; raises Claim.DoesNotExist."""
    return (
        Claim.objects.select_related("party__affiliation", "speaker__affiliation")
        .prefetch_related(
            Prefetch(
                "citations",
                # Earliest report first; undated sources last on every database.
                queryset=Citation.objects.select_related("source__outlet").order_by(
                    F("source__published_on").asc(nulls_last=True), "pk"
                ),
            ),
            Prefetch("statistics", queryset=Statistic.objects.select_related("metric")),
            Prefetch(
                "placements",
                queryset=PointClaim.objects.select_related("point__dispute", "side__party"),
            ),
        )
        .get(pk=pk)
    )


def published_assessment(claim: Claim):
    """The claim's assessment if an editor has published it, with its evidence."""
    from claims.models import Assessment

    return (
        Assessment.objects.filter(claim=claim, is_published=True)
        .prefetch_related(Prefetch("evidence", queryset=Citation.objects.select_related("source")))
        .first()
    )


def party_list():
    """Every party with the number of its claims, as ClaimQuerySet.by_party counts them."""
    counted = (
        Claim.objects.by_party(OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return (
        Party.objects.select_related("affiliation")
        .annotate(claim_count=Subquery(counted))
        .order_by("name")
    )


def metric_list():
    return Metric.objects.annotate(
        value_count=Count("statistics", distinct=True),
        period_count=Count("statistics__period_start", distinct=True),
    ).order_by("name")


def source_list():
    return (
        Source.objects.with_outlet()
        .annotate(citation_count=Count("citations"))
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )


# ---------------------------------------------------------------------------------------------
# Metric page: values, comparisons and a chart
# ---------------------------------------------------------------------------------------------

CHART_POINTS = 40  # more would be unreadable; the table lists every value
VALUES_PER_PAGE = 50


@dataclass
class ChartPoint:
    x: float
    y: float
    statistic: Statistic
    label: str
    label_y: float
    anchor: str  # text-anchor that keeps the label inside the chart


@dataclass
class Chart:
    width: int
    height: int
    points: list[ChartPoint]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    baseline: float
    left: int
    right: int
    top: int
    bottom: int
    left_out: int = 0  # dated values not drawn (beyond CHART_POINTS)


def _dated(entries: Iterable[Entry]) -> list[Entry]:
    """Entries whose stated period has dates, in period order."""
    return [e for e in entries if isinstance(e.period, tuple)]


def metric_chart(entries: list[Entry]) -> Chart | None:
    """A small SVG chart when a metric has values for two or more known periods.

    Expects the dated entries' statistics loaded with their sources (load_statistics).
    """
    dated = _dated(entries)
    if len({e.period for e in dated}) < 2:
        return None
    left_out = max(0, len(dated) - CHART_POINTS)
    dated = dated[:CHART_POINTS]
    width, height, left, right, top, bottom = 640, 300, 64, 600, 24, 250
    days = [(e.period[0] + (e.period[1] - e.period[0]) / 2).toordinal() for e in dated]
    values = [float(e.value) for e in dated]
    lo_x, hi_x = min(days), max(days)
    lo_y, hi_y = min([*values, 0.0]), max([*values, 0.0])
    pad = (hi_y - lo_y) * 0.1 or 1.0
    lo_y, hi_y = lo_y - pad, hi_y + pad

    def sx(day: int) -> float:
        return round(left + (day - lo_x) / ((hi_x - lo_x) or 1) * (right - left), 1)

    def sy(value: float) -> float:
        return round(bottom - (value - lo_y) / (hi_y - lo_y) * (bottom - top), 1)

    points = []
    seen: dict[float, int] = defaultdict(int)
    for entry, day, value in sorted(zip(dated, days, values, strict=True), key=lambda t: t[1]):
        statistic = entry.statistic
        x, y = sx(day), sy(value)
        stack = seen[x]
        seen[x] += 1
        label = f"{statistic.display_value} — {statistic.claim.party.name}"
        sources = ", ".join(
            dict.fromkeys(
                c.source.outlet.name if c.source.outlet else _shorten(c.source.title, 30)
                for c in statistic.claim.citations.all()
            )
        )
        if sources:
            label += f" ({sources})"
        if entry.count > 1:
            label += f" ×{entry.count}"
        third = (right - left) / 3
        anchor = "start" if x < left + third else "end" if x > right - third else "middle"
        points.append(ChartPoint(x, y, statistic, label, y - 10 - 14 * stack, anchor))
    years = sorted({datetime.date.fromordinal(d).year for d in days})
    x_ticks = [
        (sx(datetime.date(year, 7, 1).toordinal()), str(year))
        for year in years
        if lo_x <= datetime.date(year, 7, 1).toordinal() <= hi_x or len(years) == 1
    ]
    step = (hi_y - lo_y) / 4
    y_ticks = [(sy(lo_y + step * i), f"{lo_y + step * i:,.0f}") for i in range(5)]
    return Chart(
        width, height, points, x_ticks, y_ticks, sy(0.0), left, right, top, bottom, left_out
    )


@dataclass
class MetricReport:
    metric: Metric
    groups: list[VerdictGroup]
    value_count: int  # every reported value
    entry_count: int  # distinct values
    periods: list[str]  # the distinct stated periods, when there are several: a series
    unit_count: int
    chart: Chart | None
    page_obj: Page  # the values table, paginated

    @property
    def disagreements(self) -> VerdictGroup | None:
        return next((g for g in self.groups if g.verdict == Verdict.DISAGREEMENT), None)

    @property
    def drifts(self) -> VerdictGroup | None:
        return next((g for g in self.groups if g.verdict == Verdict.DRIFT), None)

    @property
    def explained(self) -> list[VerdictGroup]:
        return [g for g in self.groups if not g.is_conflict]

    @property
    def has_differences(self) -> bool:
        return bool(self.groups or self.periods or self.unit_count > 1)


def _period_text(period: object) -> str:
    if isinstance(period, tuple):
        start, end = period
        if start.year == end.year and (start.month, start.day, end.month, end.day) == (
            1,
            1,
            12,
            31,
        ):
            return str(start.year)
        return f"{start:%-d %b %Y} – {end:%-d %b %Y}"
    return str(period)


def metric_report(metric: Metric, page_number: str | None = None) -> MetricReport:
    """The metric page: distinct values compared pair by pair within a stated period (and
    against values whose period is not stated), series and units summarised, the values
    table paginated. A fixed number of queries; work bounded by PAIR_BUDGET."""
    entries = metric_entries([metric.pk])[metric.pk]
    groups, _ = tally(entries)
    dated = _dated(entries)[:CHART_POINTS]
    load_statistics(_shown_entries(groups.values()) + dated, with_sources=True)
    periods = list(dict.fromkeys(e.period for e in entries if e.period is not None))
    values = (
        Statistic.objects.filter(metric=metric)
        .select_related("claim__party")
        .prefetch_related(
            Prefetch(
                "claim__citations",
                queryset=Citation.objects.select_related("source").defer("source__body"),
            )
        )
        .order_by(
            F("period_start").asc(nulls_last=True),
            F("claim__claimed_on").asc(nulls_last=True),
            "pk",
        )
    )
    return MetricReport(
        metric=metric,
        groups=list(groups.values()),
        value_count=sum(e.count for e in entries),
        entry_count=len(entries),
        periods=[_period_text(p) for p in periods] if len(periods) > 1 else [],
        unit_count=len({(e.unit, e.currency) for e in entries}),
        chart=metric_chart(entries),
        page_obj=Paginator(values, VALUES_PER_PAGE).get_page(page_number),
    )


# ---------------------------------------------------------------------------------------------
# Source text: highlighted passages and passages in context
# ---------------------------------------------------------------------------------------------


def anchored(citations: Iterable[Citation], body: str) -> list[Citation]:
    """Citations whose stored offsets still point at their quote in this body."""
    return [
        c
        for c in citations
        if not c.needs_review and anchor_is_valid(body, c.start, c.end, c.quote)
    ]


def highlight_body(body: str, citations: Iterable[Citation]) -> SafeString:
    """The untrusted body, escaped, with each anchored citation wrapped in <mark>.

    Marks nest when passages nest; when two passages cross, the inner mark is closed and
    reopened (without an id) so the markup stays well formed. The first mark of each
    citation carries id="citation-<pk>"; a numbered link to its claim follows its end.
    """
    spans = sorted(anchored(citations, body), key=lambda c: (c.start, -c.end, c.pk))
    numbers = {c.pk: i for i, c in enumerate(spans, start=1)}
    boundaries = sorted({c.start for c in spans} | {c.end for c in spans})
    starting: dict[int, list[Citation]] = defaultdict(list)
    for c in spans:
        starting[c.start].append(c)
    out: list[str] = []
    stack: list[Citation] = []
    position = 0
    for boundary in boundaries:
        out.append(escape(body[position:boundary]))
        position = boundary
        ending = {c.pk for c in stack if c.end == boundary}
        reopen: list[Citation] = []
        while ending & {c.pk for c in stack}:
            top = stack.pop()
            out.append("</mark>")
            if top.pk in ending:
                out.append(
                    format_html(
                        '<a class="cite-ref" href="{}" aria-label="Claim {}: {}">[{}]</a>',
                        top.claim.get_absolute_url(),
                        numbers[top.pk],
                        top.claim.summary,
                        numbers[top.pk],
                    )
                )
            else:
                reopen.append(top)
        for c in reversed(reopen):
            out.append('<mark class="cite cite--cont">')
            stack.append(c)
        for c in starting.get(boundary, []):
            out.append(format_html('<mark class="cite" id="citation-{}">', c.pk))
            stack.append(c)
    out.append(escape(body[position:]))
    return mark_safe("".join(out))  # every piece of body text above went through escape()


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def passage_in_context(citation: Citation, sentences: int = 2, limit: int = 400) -> SafeString:
    """A few sentences around the quote, escaped, with the quote itself in <mark>.

    When the citation is no longer anchored, only the stored quote is shown, unmarked.
    """
    body = citation.source.body
    if citation.needs_review or not anchor_is_valid(
        body, citation.start, citation.end, citation.quote
    ):
        return format_html("{}", citation.quote)
    before_text = body[max(0, citation.start - limit) : citation.start]
    ends = list(_SENTENCE_END.finditer(before_text))
    if len(ends) >= sentences:
        before_text = before_text[ends[-sentences].end() :]
    elif citation.start > limit:
        before_text = "…" + before_text.split(" ", 1)[-1]
    after_text = body[citation.end : citation.end + limit]
    ends = list(_SENTENCE_END.finditer(after_text))
    if len(ends) >= sentences:
        after_text = after_text[: ends[sentences - 1].end()].rstrip()
    elif citation.end + limit < len(body):
        after_text = after_text.rsplit(" ", 1)[0] + "…"
    return format_html("{}<mark>{}</mark>{}", before_text, citation.quote, after_text)


# ---------------------------------------------------------------------------------------------
# Page assemblies
# ---------------------------------------------------------------------------------------------


@dataclass
class CitationView:
    citation: Citation
    context: SafeString
    is_anchored: bool


def _party_ld(party: Party) -> dict:
    kind = "Person" if party.is_person else "Organization"
    return {"@type": kind, "name": party.name, **({"url": party.url} if party.url else {})}


def _appearance(citation: Citation, site_url: str) -> dict:
    source = citation.source
    found = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or f"{site_url}{citation.get_absolute_url()}",
    }
    if published := _source_iso(source):
        found["datePublished"] = published
    if source.outlet:
        found["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return found


def claim_json_ld(
    claim: Claim, canonical: str, site_url: str, citations: list[Citation], assessment
) -> list:
    """schema.org Claim, plus ClaimReview when an editor's assessment is published.

    text is the representative quote (see representative_citation); each source appears
    once, the earliest first.
    """
    by_source = {c.source_id: c for c in reversed(citations)}  # the first citation per source
    appearances = [_appearance(c, site_url) for c in citations if by_source[c.source_id] is c]
    quoted = representative_citation(citations)
    item = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": canonical,
        "url": canonical,
        "name": claim.summary,
        "author": _party_ld(claim.speaker or claim.party),
        **({"text": quoted.quote} if quoted else {}),
        **({"dateCreated": claim.claimed_iso} if claim.claimed_iso else {}),
        **({"firstAppearance": appearances[0], "appearance": appearances} if appearances else {}),
    }
    if not assessment:
        return [item]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{canonical}#assessment",
        "claimReviewed": claim.summary,
        "itemReviewed": {"@id": canonical},
        "author": {"@type": "Organization", "name": "Counterpoint"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": assessment.get_rating_display(),
            **(
                {"ratingValue": assessment.rating_value, "bestRating": 5, "worstRating": 1}
                if assessment.rating_value
                else {}
            ),
        },
        **(
            {"datePublished": assessment.published_at.date().isoformat()}
            if assessment.published_at
            else {}
        ),
    }
    return [item, review]


def _source_iso(source: Source) -> str:
    from sources.dates import iso_precise_date

    return iso_precise_date(source.published_on, source.published_precision)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class OtherSide:
    """What another side of a dispute said on a point where this claim stands."""

    point: DisputePoint
    heading: str
    claims: list[Claim]


def other_sides(claim: Claim) -> list[OtherSide]:
    """Claims placed on the same dispute points as claim, under the other sides (one query)."""
    placements = list(claim.placements.all())
    if not placements:
        return []
    own_sides = {p.side_id for p in placements}
    points = {p.point_id: p.point for p in placements}
    facing = (
        PointClaim.objects.filter(point_id__in=points)
        .exclude(side_id__in=own_sides)
        .select_related("side__party", "claim__party", "claim__speaker")
        .order_by("point__order", "side__order", "order", "pk")
    )
    grouped: dict[tuple[int, int], OtherSide] = {}
    for placement in facing:
        key = (placement.point_id, placement.side_id)
        if key not in grouped:
            grouped[key] = OtherSide(points[placement.point_id], placement.side.heading, [])
        grouped[key].claims.append(placement.claim)
    return list(grouped.values())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def representative_citation(citations: Iterable[Citation]) -> Citation | None:
    """The citation whose quote stands for the claim in link previews and JSON-LD: the first
    that is anchored in its source and is not merely the source's title (a headline)."""
    return next(
        (
            c
            for c in citations
            if not c.needs_review
            and anchor_is_valid(c.source.body, c.start, c.end, c.quote)
            and _words(c.quote) != _words(c.source.title)
        ),
        None,
    )


def claim_page(claim: Claim, site_url: str) -> dict:
    """Everything the claim permalink shows, from a claim loaded by claim_for_page()."""
    citations = list(claim.citations.all())
    canonical = f"{site_url}{claim.get_absolute_url()}"
    related = related_claims([claim.pk]).get(claim.pk, [])
    counter = next((r for r in related if r.is_opposing), None)
    facing = other_sides(claim)
    assessment = published_assessment(claim)
    quoted = representative_citation(citations)
    quote = quoted.quote if quoted else claim.summary
    description = f"{claim.party.name}: “{_shorten(quote, 160)}”"
    if counter:
        counter_quote = _shorten(counter.claim.summary, 120)
        description += (
            f" — {counter.label.capitalize()} {counter.claim.party.name}: “{counter_quote}”"
        )
    elif facing:
        answer = facing[0].claims[0]
        description += f" — {answer.party.name}: “{_shorten(answer.summary, 120)}”"
    cite_text = (
        f"{claim.party.name}, “{claim.summary}” ({claim.claimed_display}). "
        f"Counterpoint, claim {claim.pk}. {canonical}"
    )
    return {
        "claim": claim,
        "corrections": public_corrections(claim),
        "citations": [
            CitationView(c, passage_in_context(c), bool(anchored([c], c.source.body)))
            for c in citations
        ],
        "corroboration": len({c.source_id for c in citations}),
        "related": related,
        "other_sides": facing,
        "statistics": statistic_reports(claim.statistics.all()),
        "assessment": assessment,
        "placements": list(claim.placements.all()),
        "canonical_url": canonical,
        "meta_description": description,
        "cite_text": cite_text,
        "json_ld": claim_json_ld(claim, canonical, site_url, citations, assessment),
    }


CLAIMS_PER_PARTY_PAGE = 50


def party_page(party: Party, page_number: str | None = None) -> dict:
    """The party, its people, and its claims on a timeline with their rebuttals, paginated
    in timeline order."""
    claims = Claim.objects.by_party(party).with_related().chronological()
    page = Paginator(claims, CLAIMS_PER_PARTY_PAGE).get_page(page_number)
    shown = list(page.object_list)
    related = related_claims(c.pk for c in shown)
    for claim in shown:
        # As on a dispute board: the timeline draws rebuttals and contradictions.
        claim.board_related = [r for r in related.get(claim.pk, []) if r.is_opposing]
    return {
        "party": party,
        "members": list(party.members.all()),
        "claims": shown,
        "claim_count": page.paginator.count,
        "page_obj": page,
        "timeline": build_timeline(shown),
        "sides": list(party.dispute_sides.select_related("dispute")),
    }


def source_page(source: Source) -> dict:
    citations = list(source.citations.select_related("claim__party").order_by("start", "pk"))
    highlighted = anchored(citations, source.body)
    highlighted_ids = {c.pk for c in highlighted}
    return {
        "source": source,
        "body_html": highlight_body(source.body, highlighted),
        "citations": highlighted,
        "unverified": [c for c in citations if c.pk not in highlighted_ids],
    }
