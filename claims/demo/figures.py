"""Metrics and the figures claims give for them: per period one true value, which most
parties repeat (agreements), some misstate (discrepancies), some hedge ("about"), some give
without a period; several periods make a series."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from claims.demo.vocabulary import GOODS, METRIC_SUBJECTS, pick
from claims.models import Metric, Statistic

SCOPE_NOTES = [
    "Counts only the company's own marketplaces, not those of its affiliates.",
    "Covers test purchases in three cities only.",
    "Excludes parcels seized under the low-value exemption.",
]


@dataclass(frozen=True)
class Figure:
    """One statistic to be written, before its claim exists."""

    value: Decimal
    qualifier: str
    year: int | None  # None: the source does not state the period
    scope_note: str

    def statistic(self, *, claim_id: int, metric: Metric) -> Statistic:
        year = self.year
        return Statistic(
            claim_id=claim_id,
            metric=metric,
            value=self.value,
            unit=metric.unit,
            currency="USD" if metric.unit == Metric.Unit.CURRENCY else "",
            qualifier=self.qualifier,
            period_label=str(year) if year else "",
            period_start=datetime.date(year, 1, 1) if year else None,
            period_end=datetime.date(year, 12, 31) if year else None,
            scope_note=self.scope_note,
        )

    def words(self, metric: Metric) -> str:
        """The figure as a quote gives it: "about USD 1,200,000 in 2019"."""
        shown = Metric.Unit(metric.unit).render_value(
            self.value, "USD" if metric.unit == Metric.Unit.CURRENCY else ""
        )
        qualifier = Statistic.Qualifier(self.qualifier).label if self.qualifier else ""
        when = f" in {self.year}" if self.year else ""
        return f"{qualifier} {shown}{when}".strip()


def metric_record(rng: random.Random) -> tuple[str, str, str]:
    """(name, unit, definition) of a new metric."""
    subject, unit, definition = METRIC_SUBJECTS[rng.randrange(len(METRIC_SUBJECTS))]
    goods = pick(rng, GOODS)
    name = subject.format(goods=goods)
    return name[0].upper() + name[1:], unit, f"{definition.format(goods=goods)}, per year."


def _rounded(unit: str, value: float) -> Decimal:
    if unit in (Metric.Unit.PERCENT, Metric.Unit.MULTIPLIER):
        return Decimal(f"{value:.1f}")
    return Decimal(round(value))


def _base(rng: random.Random, unit: str) -> float:
    if unit == Metric.Unit.PERCENT:
        return rng.uniform(2, 60)
    if unit == Metric.Unit.MULTIPLIER:
        return rng.uniform(1.5, 30)
    if unit == Metric.Unit.CURRENCY:
        return rng.randint(1, 900) * 10.0 ** rng.choice([5, 6, 7, 8, 9])
    return float(rng.randint(500, 5_000_000))


def figures(rng: random.Random, unit: str, count: int) -> list[Figure]:
    """count figures for one metric in unit, within what the unit allows."""
    years = sorted(rng.sample(range(2012, 2025), k=rng.randint(2, 6)))
    base, growth = _base(rng, unit), rng.uniform(0.85, 1.3)
    truth = {year: _rounded(unit, base * growth**i) for i, year in enumerate(years)}
    low, high = Metric.Unit(unit).value_range()
    result = []
    for _ in range(count):
        year: int | None = years[rng.randrange(len(years))]
        assert year is not None
        value, qualifier, note = truth[year], "", ""
        roll = rng.random()
        if roll < 0.25:  # a different figure for the same period: a discrepancy
            value = _rounded(unit, float(value) * rng.uniform(0.6, 1.4))
        elif roll < 0.35:
            qualifier = rng.choice(["about", "over", "nearly"])
        elif roll < 0.45:
            year = None
        elif roll < 0.5:
            note = pick(rng, SCOPE_NOTES)
        result.append(Figure(min(max(value, low), high), qualifier, year, note))
    return result
