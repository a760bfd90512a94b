"""Comparing statistics: verdicts on pairs of values, statistic reports, discrepancies."""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Prefetch
from django.template.defaultfilters import pluralize

from claims.models import Citation, Metric, Statistic

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
