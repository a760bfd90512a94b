"""Geometry of the metric page's SVG chart: coordinates and labels, no markup (the template
claims/_chart.html draws it)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.utils.text import Truncator

from claims.models import Statistic
from claims.verdicts import Reading


class Entry(Protocol):
    """What the chart reads of a value (claims.comparisons.Entry is one): described here,
    not imported, so that comparisons can build on charts without a circle."""

    reading: Reading
    count: int
    statistic: Statistic | None


E = TypeVar("E", bound=Entry)

CHART_POINTS = 40  # more would be unreadable; the table lists every value
LABEL_SHOWN = 48  # characters of a point's label drawn beside it (its title has it all)


@dataclass
class ChartPoint:
    x: float
    y: float
    statistic: Statistic
    label: str
    label_y: float
    anchor: str  # text-anchor that keeps the label inside the chart

    @property
    def short_label(self) -> str:
        """The label drawn beside the point, cut as the truncatechars filter cuts."""
        return Truncator(self.label).chars(LABEL_SHOWN)


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

    @property
    def description(self) -> str:
        """The chart as text for its <desc>: each point's period and label."""
        return "".join(f"{p.statistic.period_display}: {p.label}. " for p in self.points)


def chart_entries(entries: list[E]) -> tuple[list[E], int]:
    """The entries a chart draws (those whose stated period has dates, in period order, at
    most CHART_POINTS) and how many dated ones it leaves out; none when fewer than two dated
    periods make a series. Picked when a metric's figures change (MetricSummary.chart)."""
    all_dated = [e for e in entries if e.reading.period and e.reading.period.is_dated]
    if len({e.reading.period for e in all_dated}) < 2:
        return [], 0
    return all_dated[:CHART_POINTS], max(len(all_dated) - CHART_POINTS, 0)


def _label(entry: Entry, source_names: Mapping[int, list[str]]) -> str:
    statistic = entry.statistic
    assert statistic is not None
    label = f"{statistic.display_value} — {statistic.claim.party.name}"
    sources = ", ".join(dict.fromkeys(source_names.get(statistic.claim_id, [])))
    if sources:
        label += f" ({sources})"
    if entry.count > 1:
        label += f" ×{entry.count}"
    return label


def metric_chart(
    dated: Sequence[Entry], source_names: Mapping[int, list[str]], left_out: int = 0
) -> Chart | None:
    """A small chart of the entries chart_entries() picked (None when it picked none).

    source_names: per claim id, the names of its sources in citation order (an outlet's
    name, else the source's title shortened), for the labels.
    """
    if not dated:
        return None
    width, height, left, right, top, bottom = 640, 300, 64, 600, 24, 250
    days = [e.reading.period.midpoint.toordinal() for e in dated]  # type: ignore[union-attr]
    values = [float(e.reading.value) for e in dated]
    lo_x, hi_x = min(days), max(days)
    lo_y, hi_y = min([*values, 0.0]), max([*values, 0.0])
    pad = (hi_y - lo_y) * 0.1 or 1.0
    lo_y, hi_y = lo_y - pad, hi_y + pad

    def sx(day: int) -> float:
        return round(left + (day - lo_x) / ((hi_x - lo_x) or 1) * (right - left), 1)

    def sy(value: float) -> float:
        return round(bottom - (value - lo_y) / (hi_y - lo_y) * (bottom - top), 1)

    points = []
    stacked: dict[float, int] = defaultdict(int)
    third = (right - left) / 3
    for entry, day, value in sorted(zip(dated, days, values, strict=True), key=lambda t: t[1]):
        x, y = sx(day), sy(value)
        stack = stacked[x]
        stacked[x] += 1
        anchor = "start" if x < left + third else "end" if x > right - third else "middle"
        assert entry.statistic is not None
        points.append(
            ChartPoint(
                x, y, entry.statistic, _label(entry, source_names), y - 10 - 14 * stack, anchor
            )
        )
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
