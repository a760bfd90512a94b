"""A metric's values table is read in index order from the figures' stored copy of their
claim's date (Statistic.claim_claimed_on): every write keeps the copy equal to the claim's
date, and the table lists the values as the join on the claim would order them."""

import datetime

import pytest
from django.db.models import F

from claims.models import Statistic
from sources.dates import DatePrecision as D
from tests.factories import make_claim, make_metric, make_statistic

pytestmark = pytest.mark.django_db


def copies_match() -> bool:
    return all(
        copy == claimed_on
        for copy, claimed_on in Statistic.objects.values_list(
            "claim_claimed_on", "claim__claimed_on"
        )
    )


def test_the_copy_follows_the_claims_date_and_the_table_orders_as_the_join_would():
    metric = make_metric()
    claims = [
        make_claim(claimed_on=datetime.date(2019, 1, 1), claimed_precision=D.YEAR),
        make_claim(claimed_on=None, claimed_precision=D.UNKNOWN),
        make_claim(claimed_on=datetime.date(2017, 3, 1), claimed_precision=D.MONTH),
    ]
    for claim in claims:
        make_statistic(claim=claim, metric=metric)
    assert copies_match()
    claims[1].claimed_on, claims[1].claimed_precision = datetime.date(2016, 5, 2), D.DAY
    claims[1].save()
    claims[0].claimed_on, claims[0].claimed_precision = None, D.UNKNOWN
    claims[0].save(update_fields=["claimed_on", "claimed_precision"])
    assert copies_match()
    joined = Statistic.objects.filter(metric=metric).order_by(
        F("period_start").asc(nulls_last=True), F("claim__claimed_on").asc(nulls_last=True), "pk"
    )
    table = Statistic.objects.filter(metric=metric).in_table_order()
    assert list(table) == list(joined)
    Statistic.objects.update(claim_claimed_on=None)
    Statistic.objects.refresh_claim_dates()
    assert copies_match()
