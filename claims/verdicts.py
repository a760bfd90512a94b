"""The rules for two values of one metric: the one place that says whether figures conflict.

Pure domain code: no queries, no HTML. claims.comparisons applies these rules to the
database (bounded work per page); pages show the Verdict's own label and note.

The rules, in order:
1. The same claim's values are not compared with each other.
2. Different units or currencies are not the same measure.
3. Equal values agree: several sources corroborate the figure (unless both state periods
   and the periods differ: then the figure held steady over a series).
4. Both periods stated and different: a series over time, not a conflict.
5. Values whose wording allows both ("over 1,000" and 1,606) are consistent.
6. Either period not stated: the values cannot be compared, whoever gave them. They are
   shown side by side with their scope notes, never counted as a conflict.
7. Same stated period, a scope note on either: the note is the explanation.
8. Same stated period, nothing explaining the difference: drift when one party gave both
   values, sources disagree when different parties did. Only these two are conflicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models

from claims.models import Statistic
from claims.periods import Period

if TYPE_CHECKING:
    from collections.abc import Iterable


class Verdict(models.TextChoices):
    # Declared in the order pages list them: conflicts first, agreement last.
    DISAGREEMENT = "disagreement", "Sources disagree"
    DRIFT = "drift", "Drift"
    PERIOD_UNKNOWN = "period_unknown", "Periods not stated"
    EXPLAINED = "explained", "Explained by scope note"
    CONSISTENT = "consistent", "Consistent"
    OTHER_PERIOD = "other_period", "Different periods"
    OTHER_UNIT = "other_unit", "Different units"
    AGREE = "agree", "Agree"

    @property
    def is_conflict(self) -> bool:
        return self in (Verdict.DISAGREEMENT, Verdict.DRIFT)

    @property
    def note(self) -> str:
        return _NOTES[self]

    @property
    def rank(self) -> int:
        """Position in the page order (conflicts first)."""
        return list(Verdict).index(self)


_NOTES = {
    Verdict.DISAGREEMENT: "Different parties give different values for the same stated period.",
    Verdict.DRIFT: "The same party gave different values for the same stated period.",
    Verdict.PERIOD_UNKNOWN: "Not counted as a conflict: a period is not stated in the text, "
    "so the values cannot be compared. Read the scope notes beside them.",
    Verdict.EXPLAINED: "Not counted as a conflict: the scope note explains the difference.",
    Verdict.CONSISTENT: "Not counted as a conflict: the values differ but fit the bounds their "
    "wording gives (“over”, “at least”, “under”, “up to”, “nearly”, “about”).",
    Verdict.OTHER_PERIOD: "Not counted as a conflict: the figures cover different stated periods.",
    Verdict.OTHER_UNIT: "Not counted as a conflict: the figures use different units.",
    Verdict.AGREE: "The same value, reported independently: the figure is corroborated.",
}


@dataclass(frozen=True)
class Reading:
    """One value of a metric as the rules see it."""

    value: Decimal
    unit: str
    qualifier: str = ""
    currency: str = ""
    period: Period | None = None
    party_id: int | None = None
    scope_note: str = ""
    claim_id: int | None = None  # None when several claims gave this same reading

    @classmethod
    def of(cls, statistic: Statistic) -> Reading:
        """The reading of a statistic loaded with its claim."""
        return cls(
            value=Decimal(statistic.value),
            unit=statistic.unit,
            qualifier=statistic.qualifier,
            currency=statistic.currency,
            period=statistic.period,
            party_id=statistic.claim.party_id,
            scope_note=statistic.scope_note,
            claim_id=statistic.claim_id,
        )

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return Statistic.Qualifier(self.qualifier).bounds(self.value)


def _fit(first: Reading, second: Reading) -> bool:
    """Whether the ranges the two values' wordings allow overlap."""
    (lo1, hi1), (lo2, hi2) = first.bounds, second.bounds
    lows = [b for b in (lo1, lo2) if b is not None]
    highs = [b for b in (hi1, hi2) if b is not None]
    return not lows or not highs or max(lows) <= min(highs)


def verdict(first: Reading, second: Reading) -> Verdict | None:
    """How two values of the same metric relate (rules 1–8 above); None for one claim's."""
    if first.claim_id is not None and first.claim_id == second.claim_id:
        return None
    if (first.unit, first.currency) != (second.unit, second.currency):
        return Verdict.OTHER_UNIT
    both_stated = first.period is not None and second.period is not None
    differing_periods = both_stated and first.period != second.period
    if first.value == second.value and first.qualifier == second.qualifier:
        return Verdict.OTHER_PERIOD if differing_periods else Verdict.AGREE
    if differing_periods:
        return Verdict.OTHER_PERIOD
    if _fit(first, second):
        return Verdict.CONSISTENT
    if not both_stated:
        return Verdict.PERIOD_UNKNOWN
    if first.scope_note or second.scope_note:
        return Verdict.EXPLAINED
    return Verdict.DRIFT if first.party_id == second.party_id else Verdict.DISAGREEMENT


def conflicts(verdicts: Iterable[Verdict | None]) -> int:
    """How many of the verdicts are conflicts."""
    return sum(1 for v in verdicts if v is not None and v.is_conflict)
