"""The rules for two values of one metric, tested directly (claims.verdicts), not via HTML."""

import datetime
from decimal import Decimal

import pytest

from claims.periods import Period
from claims.verdicts import Reading, Verdict, verdict

Y2016 = Period(datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
Y2017 = Period(datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))
COMPANY, AGENCY = 1, 2


def reading(value, *, period=Y2017, party=COMPANY, claim=None, **kwargs) -> Reading:
    return Reading(
        value=Decimal(value), unit=kwargs.pop("unit", "percent"), period=period,
        party_id=party, claim_id=claim, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # same stated period, different values: the only two conflicts
        (reading(-25, party=COMPANY), reading(-42, party=AGENCY), Verdict.DISAGREEMENT),
        (reading(-25, party=COMPANY), reading(-42, party=COMPANY), Verdict.DRIFT),
        # a period not stated on either side: cannot be compared, whoever gave them
        (reading(-25, period=None), reading(-42, party=AGENCY), Verdict.PERIOD_UNKNOWN),
        (reading(-25, period=None), reading(-42, period=None), Verdict.PERIOD_UNKNOWN),
        (reading(97, period=None), reading(95, period=Y2017), Verdict.PERIOD_UNKNOWN),
        # different stated periods: a series
        (reading(-25, period=Y2016), reading(-42, period=Y2017), Verdict.OTHER_PERIOD),
        (reading(18, period=Y2016), reading(18, period=Y2017), Verdict.OTHER_PERIOD),
        # equal values agree: corroboration, not a series
        (reading(-25, party=COMPANY), reading(-25, party=AGENCY), Verdict.AGREE),
        (reading(-25, period=None), reading(-25, period=None), Verdict.AGREE),
        (reading(-25, party=COMPANY), reading(-25, party=COMPANY), Verdict.AGREE),
        # wording that allows both values
        (reading(1000, qualifier="over"), reading(1606), Verdict.CONSISTENT),
        (reading(1000, qualifier="nearly"), reading(950), Verdict.CONSISTENT),
        (reading(1000, qualifier="nearly"), reading(1328), Verdict.DRIFT),
        (reading(1000, qualifier="nearly", period=None), reading(1328), Verdict.PERIOD_UNKNOWN),
        # a scope note on a same-period pair is the explanation
        (reading(-25), reading(-42, party=AGENCY, scope_note="Tmall only"), Verdict.EXPLAINED),
        # different units or currencies are not the same measure
        (reading(5, unit="count"), reading(5, unit="percent"), Verdict.OTHER_UNIT),
        (
            reading(4, unit="currency", currency="CNY"),
            reading(4, unit="currency", currency="USD"),
            Verdict.OTHER_UNIT,
        ),
        # "2017" in words and 1 Jan–31 Dec 2017 in dates are one period
        (
            reading(-25, period=Period.stated(None, None, "2017")),
            reading(-42, party=AGENCY),
            Verdict.DISAGREEMENT,
        ),
        # one claim's own values are not compared
        (reading(-25, claim=7), reading(-42, claim=7), None),
    ],
    ids=[
        "same period, different parties: sources disagree",
        "same period, same party: drift",
        "one period not stated, different parties",
        "neither period stated",
        "one period not stated, same party: not drift",
        "different stated periods: series",
        "equal values for different stated periods: series",
        "equal values, different parties: agree",
        "equal values, periods not stated: agree",
        "equal values, same party: agree",
        "over 1,000 and 1,606: consistent",
        "nearly 1,000 and 950: consistent",
        "nearly 1,000 and 1,328 same period, same party: drift",
        "nearly 1,000 and 1,328, a period not stated",
        "scope note explains",
        "different units",
        "different currencies",
        "year label equals that year's dates",
        "same claim",
    ],
)
def test_verdict_table(first, second, expected):
    assert verdict(first, second) == expected
    assert verdict(second, first) == expected  # the rules are symmetric


@pytest.mark.parametrize("kind", list(Verdict))
def test_only_disagreement_and_drift_are_conflicts(kind):
    assert kind.is_conflict == (kind in {Verdict.DISAGREEMENT, Verdict.DRIFT})
    assert kind.label and kind.note  # every verdict says what it means


def test_conflicts_come_first_in_page_order():
    ranks = sorted(Verdict, key=lambda v: v.rank)
    assert ranks[:2] == [Verdict.DISAGREEMENT, Verdict.DRIFT]
