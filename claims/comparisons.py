"""The verdict rules (claims.verdicts) applied to the database, with bounded work per page.

Per metric, what the rules find is stored (MetricSummary) when a figure changes, so the home
page and the metric page read it instead of comparing values per request; a claim's own
figures (statistic_reports) are compared per request, linear in its metric's values, and a
page may cap that by the stored count of distinct readings (compare_up_to).

Identical readings of a metric are counted once in SQL (an Entry), so a page compares
distinct values, never every statistic with every other. Pairs across different stated
periods or units are summarised (a series), not listed; each pair is listed once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from claims.charts import chart_entries
from claims.links import PagePaths
from claims.models import Metric, MetricSummary, MetricValueOrder, Statistic
from claims.periods import Period
from claims.verdicts import Reading, Verdict, verdict

# At most SHOWN_PER_VERDICT pairs listed per verdict, and at most PAIR_BUDGET pairs of
# distinct values compared per page (beyond it the page says its count is a lower bound).
SHOWN_PER_VERDICT = 20
PAIR_BUDGET = 20_000
PERIODS_STORED = 13  # a metric page names the first 12 stated periods of a series
REFRESH_BATCH = 200  # metrics recomputed per query and transaction by refresh_all_verdicts


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


def load_statistics(entries: Iterable[Entry]) -> None:
    """Load the statistic each entry shows, with who said it (one query)."""
    entries = list(entries)
    wanted = {e.first_pk for e in entries if e.statistic is None}
    if not wanted:
        return
    loaded = stored_statistics(wanted)
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
    # Distinct other readings left to the metric's page (compare_up_to); 0: all compared.
    not_compared: int = 0

    @property
    def conflicts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict.is_conflict]

    @property
    def more(self) -> int:
        return self.total - len(self.comparisons)


def stored_entry_count(statistic: Statistic) -> int | None:
    """Its metric's distinct readings as last stored (None: no summary loaded or stored)."""
    try:
        return statistic.metric.summary.entry_count
    except MetricSummary.DoesNotExist:
        return None


def statistic_reports(
    own: Iterable[Statistic], *, shown: int = SHOWN_PER_VERDICT, compare_up_to: int | None = None
) -> list[StatisticReport]:
    """For each statistic (loaded with its claim), how the distinct values of its metric
    relate to it: linear in the metric's distinct values, not pairwise (two queries).

    With compare_up_to (the statistics loaded with metric__summary), a metric with more
    distinct readings than that is not compared here: its report says how many others there
    are and the page links to the metric's page, so a page's work does not grow with one
    metric's values."""
    own = list(own)
    if not own:
        return []
    too_many: dict[int, int] = {}
    if compare_up_to is not None:
        for s in own:
            count = stored_entry_count(s)
            if count is not None and count > compare_up_to:
                too_many[s.metric_id] = count
    entries = metric_entries({s.metric_id for s in own} - too_many.keys())
    found_by_statistic: list[tuple[Statistic, list[tuple[Verdict, Entry]]]] = []
    for statistic in own:
        if statistic.metric_id in too_many:
            found_by_statistic.append((statistic, []))
            continue
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
            not_compared=max(too_many.get(statistic.metric_id, 0) - 1, 0),
        )
        for statistic, found in found_by_statistic
    ]


@dataclass
class Discrepancy:
    """A figure whose values conflict: the first conflict, and how many conflicts it has."""

    comparison: Comparison
    total: int
    complete: bool
    # The paths the home page links: the metric, each value's claim.
    metric_href: str
    first_href: str
    second_href: str

    @property
    def more(self) -> int:
        return self.total - 1


def open_discrepancies(limit: int = 10, paths: PagePaths | None = None) -> list[Discrepancy]:
    """Figures whose values conflict (sources disagree, or drift), one line each, for the
    home page, read from the stored summaries (two queries): "periods not stated", series,
    units and explained differences never appear here."""
    # Only the home page's line: not the tally, chart and periods the metric page reads.
    line = ("metric_id", "conflict_rank", "conflict_pair", "conflict_total", "complete")
    summaries = list(MetricSummary.objects.conflicting().only(*line)[:limit])
    paths = paths or PagePaths()
    rank_of = {v.rank: v for v in Verdict}
    pairs = [(s, rank_of[s.conflict_rank], *s.conflict_pair) for s in summaries]
    loaded = stored_statistics(pk for *_, a, b, _ac, _bc in pairs for pk in (a, b))
    return [
        Discrepancy(
            Comparison(loaded[a], loaded[b], found, a_count, b_count),
            summary.conflict_total,
            summary.complete,
            metric_href=paths.metric(loaded[a].metric),
            first_href=paths.claim(loaded[a].claim),
            second_href=paths.claim(loaded[b].claim),
        )
        for summary, found, a, b, a_count, b_count in pairs
        if a in loaded and b in loaded  # a pair deleted by bulk SQL before its refresh
    ]


def stored_statistics(pks: Iterable[int]) -> dict[int, Statistic]:
    """The statistics a stored summary names, loaded for display with their metric, claim
    and party (one query); the metric page names their sources itself."""
    wanted = set(pks)
    if not wanted:
        return {}
    found = Statistic.objects.filter(pk__in=wanted).select_related("metric", "claim__party")
    return {s.pk: s for s in found.order_by()}


def stored_entry(statistic: Statistic, count: int) -> Entry:
    """A stored reading as an Entry, shown through its first statistic."""
    return Entry(statistic.metric_id, Reading.of(statistic), statistic.pk, count, statistic)


def summarise(metric_id: int, entries: list[Entry]) -> MetricSummary:
    """What the verdict rules find among one metric's distinct readings (the work a page did
    per request before, now done once per change: at most PAIR_BUDGET pairs)."""
    groups, _ = tally(entries)
    periods = list(dict.fromkeys(e.reading.period for e in entries if e.reading.period))
    dated, left_out = chart_entries(entries)
    conflicting = [g for g in groups.values() if g.verdict.is_conflict]
    first = conflicting[0] if conflicting else None
    shown = (
        [(a.first_pk, b.first_pk, a.count, b.count) for a, b in first.pairs[:1]] if first else []
    )
    return MetricSummary(
        metric_id=metric_id,
        value_count=sum(e.count for e in entries),
        entry_count=len(entries),
        unit_count=len({(e.reading.unit, e.reading.currency) for e in entries}),
        period_count=len(periods),
        periods=[p.text for p in periods[:PERIODS_STORED]],
        groups=[
            {
                "verdict": g.verdict.value,
                "total": g.total,
                "complete": g.complete,
                "pairs": [[a.first_pk, b.first_pk, a.count, b.count] for a, b in g.pairs],
            }
            for g in groups.values()
        ],
        chart=[[e.first_pk, e.count] for e in dated],
        chart_left_out=left_out,
        conflict_rank=first.verdict.rank if first else None,
        conflict_pair=list(shown[0]) if shown else [],
        conflict_total=sum(g.total for g in conflicting),
        complete=all(g.complete for g in groups.values()),
    )


def _store(metric_ids: list[int]) -> int:
    entries = metric_entries(metric_ids)
    summaries = [summarise(pk, entries.get(pk, [])) for pk in metric_ids]
    MetricSummary.objects.filter(metric_id__in=metric_ids).delete()
    MetricSummary.objects.bulk_create(summaries)
    MetricValueOrder.objects.filter(metric_id__in=metric_ids).delete()
    MetricValueOrder.objects.bulk_create(MetricValueOrder.of_metrics(metric_ids))
    return len(summaries)


@transaction.atomic
def refresh_metric_summaries(metric_ids: Iterable[int]) -> int:
    """Recompute the stored verdicts of these metrics (after one of their figures, claims or
    the metric changed). The metric rows are locked first, so two analysts saving figures of
    one metric at once store the verdicts of both changes, not of whichever read first."""
    ids = sorted(
        Metric.objects.select_for_update()
        .filter(pk__in=set(metric_ids))
        .values_list("pk", flat=True)
    )
    return _store(ids) if ids else 0


def refresh_all_verdicts() -> int:
    """Recompute every stored verdict, in batches of metrics: for bulk loaders that write
    with bulk_create or update(), which send no signals. Returns how many metrics."""
    done = 0
    ids = list(Metric.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_BATCH):
        with transaction.atomic():
            done += _store(ids[start : start + REFRESH_BATCH])
    MetricSummary.objects.exclude(metric_id__in=Metric.objects.values("pk")).delete()
    MetricValueOrder.objects.exclude(metric_id__in=Metric.objects.values("pk")).delete()
    return done
