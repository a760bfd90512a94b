"""The verdict rules (claims.verdicts) applied to the database, with bounded work per page.

Identical readings of a metric are counted once in SQL (an Entry), so a page compares
distinct values, never every statistic with every other. Pairs across different stated
periods or units are summarised (a series), not listed; each pair is listed once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from claims.models import Citation, Metric, Statistic
from claims.periods import Period
from claims.verdicts import Reading, Verdict, verdict

# At most SHOWN_PER_VERDICT pairs listed per verdict, and at most PAIR_BUDGET pairs of
# distinct values compared per page (beyond it the page says its count is a lower bound).
SHOWN_PER_VERDICT = 20
PAIR_BUDGET = 20_000


@dataclass(eq=False)
class Entry:
    """Identical readings of one metric (same value, qualifier, unit, currency, stated period,
    party and scope note), counted once: they compare the same way with every other value."""

    metric_id: int
    reading: Reading
    first_pk: int  # the statistic shown for the entry: the first recorded
    count: int = 1
    statistic: Statistic | None = None  # loaded for display by load_statistics()

    @classmethod
    def of(cls, statistic: Statistic) -> Entry:
        return cls(statistic.metric_id, Reading.of(statistic), statistic.pk, 1, statistic)

    def sort_key(self) -> tuple:
        period = self.reading.period
        place = period.sort_key() if period else (2, 0, 0, "")
        return (self.metric_id, place, self.reading.value, self.first_pk)


def metric_entries(metric_ids: Iterable[int] | QuerySet) -> dict[int, list[Entry]]:
    """The distinct readings of the given metrics, counted in SQL (one query), in a stable
    order: by period, value and first statistic. metric_ids may be a subquery."""
    merged: dict[tuple, Entry] = {}
    for row in Statistic.objects.filter(metric_id__in=metric_ids).distinct_readings():
        period = Period.stated(row["period_start"], row["period_end"], row["period_label"])
        one_claim = row["claim_lo"] == row["claim_hi"]
        reading = Reading(
            value=Decimal(row["value"]).normalize(),
            unit=row["unit"],
            qualifier=row["qualifier"],
            currency=row["currency"],
            period=period,
            party_id=row["claim__party_id"],
            scope_note=row["scope_note"],
            claim_id=row["claim_lo"] if one_claim else None,
        )
        key: tuple = (row["metric_id"], reading.value, reading.qualifier, reading.unit)
        key += (reading.currency, period, reading.party_id, reading.scope_note)
        if key in merged:  # the same stated period written two ways ("2017" and its dates)
            entry = merged[key]
            entry.count += row["count"]
            entry.first_pk = min(entry.first_pk, row["first_pk"])
            if entry.reading.claim_id != reading.claim_id:
                entry.reading = Reading(**{**entry.reading.__dict__, "claim_id": None})
            continue
        merged[key] = Entry(row["metric_id"], reading, row["first_pk"], row["count"])
    by_metric: dict[int, list[Entry]] = defaultdict(list)
    for entry in sorted(merged.values(), key=Entry.sort_key):
        by_metric[entry.metric_id].append(entry)
    return by_metric


def load_statistics(entries: Iterable[Entry], *, with_sources: bool = False) -> None:
    """Load the statistic each entry shows, with who said it (one or two queries)."""
    entries = list(entries)
    wanted = {e.first_pk for e in entries if e.statistic is None}
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


@dataclass
class Comparison:
    """Two values of one metric and how they relate."""

    first: Statistic
    second: Statistic
    verdict: Verdict
    first_count: int = 1  # how many statements gave each value
    second_count: int = 1

    @property
    def same_party(self) -> bool:
        return self.first.claim.party_id == self.second.claim.party_id

    @classmethod
    def of(cls, first: Entry, second: Entry, found: Verdict) -> Comparison:
        assert first.statistic is not None and second.statistic is not None
        return cls(first.statistic, second.statistic, found, first.count, second.count)


def _pairs_worth_comparing(entries: list[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """Each pair of one metric's entries once, leaving out the pairs across different units
    or different stated periods: those are a series, summarised, not listed."""
    by_unit: dict[tuple[str, str], dict[Period | None, list[Entry]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for entry in entries:
        by_unit[(entry.reading.unit, entry.reading.currency)][entry.reading.period].append(entry)
    for buckets in by_unit.values():
        unstated = buckets.get(None, [])
        for group in buckets.values():
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    yield first, second
        for period, group in buckets.items():
            if period is not None:
                for first in unstated:
                    for second in group:
                        yield first, second


@dataclass
class VerdictGroup:
    """The pairs of one verdict: the first few to show, and how many there are."""

    verdict: Verdict
    pairs: list[tuple[Entry, Entry]] = field(default_factory=list)
    total: int = 0
    complete: bool = True  # False when the pair budget ran out before every pair was seen

    @property
    def comparisons(self) -> list[Comparison]:
        return [Comparison.of(a, b, self.verdict) for a, b in self.pairs]

    @property
    def more(self) -> int:
        return self.total - len(self.pairs)

    @property
    def entries(self) -> list[Entry]:
        return [entry for pair in self.pairs for entry in pair]


def tally(
    entries: list[Entry], *, shown: int = SHOWN_PER_VERDICT, budget: int = PAIR_BUDGET
) -> tuple[dict[Verdict, VerdictGroup], int]:
    """The pairs of one metric's entries by verdict, at most `budget` compared, in page
    order (conflicts first). Returns the groups and the budget left over."""
    groups: dict[Verdict, VerdictGroup] = {}
    for first, second in _pairs_worth_comparing(entries):
        if budget <= 0:
            for group in groups.values():
                group.complete = False
            break
        budget -= 1
        found = verdict(first.reading, second.reading)
        if found is None:
            continue
        group = groups.setdefault(found, VerdictGroup(found))
        group.total += 1
        if len(group.pairs) < shown:
            group.pairs.append((first, second))
    return dict(sorted(groups.items(), key=lambda item: item[0].rank)), budget


@dataclass
class StatisticReport:
    """How the other values of its metric relate to one statistic, conflicts first."""

    statistic: Statistic
    comparisons: list[Comparison]  # the ones shown; `second` is always the other value
    total: int = 0
    conflict_total: int = 0

    @property
    def conflicts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict.is_conflict]

    @property
    def more(self) -> int:
        return self.total - len(self.comparisons)


def statistic_reports(
    own: Iterable[Statistic], *, shown: int = SHOWN_PER_VERDICT
) -> list[StatisticReport]:
    """For each statistic (loaded with its claim), how the distinct values of its metric
    relate to it: linear in the metric's distinct values, not pairwise (two queries)."""
    own = list(own)
    if not own:
        return []
    entries = metric_entries({s.metric_id for s in own})
    found_by_statistic = []
    for statistic in own:
        mine = Reading.of(statistic)
        found = [
            (v, other)
            for other in entries[statistic.metric_id]
            if (v := verdict(mine, other.reading)) is not None
        ]
        found.sort(key=lambda item: item[0].rank)
        found_by_statistic.append((statistic, found))
    load_statistics(e for _, found in found_by_statistic for _, e in found[:shown])
    return [
        StatisticReport(
            statistic,
            [Comparison(statistic, e.statistic, v, 1, e.count) for v, e in found[:shown]],  # type: ignore[arg-type]
            total=len(found),
            conflict_total=sum(1 for v, _ in found if v.is_conflict),
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
    """Figures whose values conflict (sources disagree, or drift), one line each, for the
    home page. Only metrics with more than one distinct value are read (filtered in SQL);
    "periods not stated", series, units and explained differences never appear here."""
    varied = (
        Metric.objects.annotate(distinct_values=Count("statistics__value", distinct=True))
        .filter(distinct_values__gt=1)
        .values("pk")
    )
    budget = PAIR_BUDGET
    found: list[tuple[Entry, Entry, Verdict, int, bool]] = []
    for entries in metric_entries(varied).values():
        groups, budget = tally(entries, shown=1, budget=budget)
        conflicting = [g for g in groups.values() if g.verdict.is_conflict]
        if conflicting:
            first = conflicting[0]
            total = sum(g.total for g in conflicting)
            found.append((*first.pairs[0], first.verdict, total, first.complete))
        if budget <= 0:
            break
    found.sort(key=lambda item: (item[2].rank, item[0].metric_id))
    found = found[:limit]
    load_statistics(entry for first, second, *_ in found for entry in (first, second))
    return [
        Discrepancy(Comparison.of(a, b, v), total, complete) for a, b, v, total, complete in found
    ]
