"""The metric page (values compared, a chart, the values table) and the metric list."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch

from claims.models import Citation, Metric, Statistic
from claims.selectors.figures import (
    Entry,
    Verdict,
    VerdictGroup,
    _shown_entries,
    load_statistics,
    metric_entries,
    tally,
)
from claims.selectors.passages import _shorten

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


def metric_list():
    return Metric.objects.annotate(
        value_count=Count("statistics", distinct=True),
        period_count=Count("statistics__period_start", distinct=True),
    ).order_by("name")
