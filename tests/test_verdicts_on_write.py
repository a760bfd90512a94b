"""The verdicts on differing figures are stored per metric (MetricSummary) and kept current on
every write, so the home page and the metric page never compare values per request."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.comparisons import open_discrepancies, refresh_all_verdicts
from claims.models import MetricSummary, Statistic
from claims.verdicts import Verdict
from tests.factories import make_claim, make_metric, make_party, make_statistic

pytestmark = pytest.mark.django_db

Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}


def figure(metric, value, party, **kwargs) -> Statistic:
    return make_statistic(claim=make_claim(party=party), metric=metric, value=value, **kwargs)


def test_saving_a_conflicting_figure_stores_the_disagreement(client):
    metric = make_metric(name="Takedowns")
    figure(metric, -25, make_party(), **Y2017)
    assert MetricSummary.objects.get(metric=metric).conflict_rank is None
    figure(metric, -42, make_party(), **Y2017)
    summary = MetricSummary.objects.get(metric=metric)
    assert summary.conflict_rank == Verdict.DISAGREEMENT.rank and summary.conflict_total == 1
    assert "Takedowns" in client.get(reverse("home")).content.decode()


def test_deleting_a_figure_clears_the_discrepancy():
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    second = figure(metric, -42, make_party(), **Y2017)
    assert open_discrepancies()
    second.delete()
    assert open_discrepancies() == []
    assert MetricSummary.objects.get(metric=metric).value_count == 1


def test_changing_a_claims_party_turns_a_disagreement_into_drift():
    metric, company = make_metric(), make_party()
    figure(metric, -25, company, **Y2017)
    other = figure(metric, -42, make_party(), **Y2017)
    claim = other.claim
    claim.party = company
    claim.save()
    assert open_discrepancies()[0].comparison.verdict == Verdict.DRIFT


def test_moving_a_figure_to_another_metric_refreshes_both():
    first, second = make_metric(), make_metric()
    figure(first, -25, make_party(), **Y2017)
    moved = figure(first, -42, make_party(), **Y2017)
    moved.metric = second
    moved.save()
    assert MetricSummary.objects.get(metric=first).value_count == 1
    assert MetricSummary.objects.get(metric=second).value_count == 1
    assert open_discrepancies() == []


def test_a_bulk_load_is_stored_by_refresh_all_verdicts():
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    claim = make_claim(party=make_party())
    Statistic.objects.bulk_create(
        [Statistic(claim=claim, metric=metric, value=Decimal(-42), unit="percent", **Y2017)]
    )
    assert open_discrepancies() == []  # bulk_create sends no signal
    assert refresh_all_verdicts() == 1
    assert open_discrepancies()[0].comparison.verdict == Verdict.DISAGREEMENT


def test_the_pages_compare_no_values_per_request(client, django_assert_num_queries):
    metric = make_metric()
    for value in range(30):
        figure(metric, value, make_party(), **Y2017)
    # Home: newest claims with citations and figures (3), disputes (1: none, so no sides),
    # the stored discrepancies and their statistics (2). None reads every statistic.
    with django_assert_num_queries(6):
        client.get(reverse("home"))
    response = client.get(metric.get_absolute_url())
    assert "Sources disagree" in response.content.decode()


def test_a_metric_without_a_stored_summary_is_computed_on_its_first_view(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    figure(metric, -42, make_party(), **Y2017)
    MetricSummary.objects.all().delete()
    assert "Sources disagree" in client.get(metric.get_absolute_url()).content.decode()
    assert MetricSummary.objects.filter(metric=metric).exists()
