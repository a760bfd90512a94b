import datetime

import pytest
from django.urls import reverse

from tests.factories import make_claim, make_metric, make_party, make_statistic

pytestmark = pytest.mark.django_db

Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}
Y2016 = {"period_start": datetime.date(2016, 1, 1), "period_end": datetime.date(2016, 12, 31)}
QUOTE = "Takedown requests fell 25% last year"


def figure(metric, value, party, **kwargs):
    claim = make_claim(quote=QUOTE, party=party)
    return make_statistic(claim=claim, metric=metric, value=value, **kwargs)


def page(client, metric) -> str:
    response = client.get(metric.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    start = html.index('id="verdict-heading"')
    return html[start : html.index('id="values-heading"')]


def test_different_parties_same_period_different_values_is_a_disagreement(client):
    metric = make_metric(name="Takedown requests")
    figure(metric, -25, make_party(name="Company"), **Y2017)
    figure(metric, -42, make_party(name="Newspaper"), **Y2017)
    verdict = section(page(client, metric))
    assert "Sources disagree" in verdict
    assert "Drift" not in verdict
    assert "-25%" in verdict and "-42%" in verdict


def test_same_party_changing_its_figure_for_the_same_period_is_drift(client):
    metric = make_metric()
    company = make_party(name="Company")
    figure(metric, 1000, company, unit="count", **Y2017)
    figure(metric, 1606, company, unit="count", **Y2017)
    verdict = section(page(client, metric))
    assert "Drift: a party's own figure changed" in verdict
    assert "Sources disagree" not in verdict
    assert "1,000" in verdict and "1,606" in verdict


def test_a_scope_note_explains_the_difference_instead_of_a_conflict(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    figure(metric, -42, make_party(), scope_note="Counts only Taobao, not Tmall.", **Y2017)
    verdict = section(page(client, metric))
    assert "Sources disagree" not in verdict and "Drift" not in verdict
    assert "Explained by scope note" in verdict
    assert "Counts only Taobao, not Tmall." in verdict


def test_values_for_different_periods_are_not_a_conflict(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2016)
    figure(metric, -42, make_party(), **Y2017)
    verdict = section(page(client, metric))
    assert "Different periods" in verdict and "Sources disagree" not in verdict


def test_an_unstated_period_is_said_so_not_called_a_conflict(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    figure(metric, -42, make_party())
    verdict = section(page(client, metric))
    assert "Period not stated" in verdict and "Sources disagree" not in verdict


def test_one_party_giving_two_values_without_stating_periods_is_drift(client):
    metric = make_metric()
    company = make_party(name="Company")
    figure(metric, -25, company, scope_note="Other coverage puts this at Sep 2016 to Aug 2017.")
    figure(metric, -42, company, period_label="2017", **Y2017)
    verdict = section(page(client, metric))
    assert "Drift: a party's own figure changed" in verdict
    assert "Other coverage puts this at Sep 2016 to Aug 2017." in verdict


def test_values_whose_periods_are_stated_only_in_words_form_a_series(client):
    metric = make_metric()
    company = make_party()
    figure(metric, 180000, company, unit="count", period_label="the previous 12 months")
    figure(metric, 240000, company, unit="count", period_label="2017", **Y2017)
    verdict = section(page(client, metric))
    assert "Different periods" in verdict and "Drift" not in verdict


def test_agreeing_values_raise_nothing(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    figure(metric, -25, make_party(), **Y2017)
    assert "nothing here conflicts" in section(page(client, metric))


def test_every_value_is_listed_with_party_and_source(client):
    metric = make_metric()
    statistic = figure(metric, -25, make_party(name="Company"), **Y2017)
    html = page(client, metric)
    table = html[html.index('id="values-table"') :]
    assert "-25%" in table and "Company" in table and "2017" in table
    assert statistic.claim.citations.get().source.title in table


def test_several_periods_draw_an_svg_chart_with_labelled_points(client):
    metric = make_metric()
    figure(metric, -25, make_party(name="Company"), **Y2016)
    figure(metric, -42, make_party(name="Agency"), **Y2017)
    html = page(client, metric)
    assert '<svg viewBox="0 0 640 300" role="img" aria-labelledby="chart-title chart-desc"' in html
    assert html.count('<circle class="chart__point"') == 2
    assert "-25% — Company" in html and "-42% — Agency" in html


def test_a_single_period_draws_no_chart(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    assert "<svg" not in page(client, metric).split('id="main"')[1]


def test_metric_list_counts_values(client):
    metric = make_metric(name="Stores closed")
    figure(metric, 5, make_party(), unit="count")
    html = client.get(reverse("metrics:list")).content.decode()
    assert "Stores closed" in html and "1 reported value" in html


def test_unknown_metric_is_not_found(client):
    assert client.get("/metrics/nothing/").status_code == 404
