import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_claim, make_metric, make_party, make_source, make_statistic

pytestmark = pytest.mark.django_db

Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}
Y2016 = {"period_start": datetime.date(2016, 1, 1), "period_end": datetime.date(2016, 12, 31)}
QUOTE = "Takedown requests fell 25% last year"
DRIFT_HEADING = '<h3 class="verdict-heading verdict-heading--drift">Drift</h3>'


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
    metric = make_metric(unit="count")
    company = make_party(name="Company")
    figure(metric, 1000, company, unit="count", **Y2017)
    figure(metric, 1606, company, unit="count", **Y2017)
    verdict = section(page(client, metric))
    assert DRIFT_HEADING in verdict
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
    assert "Periods not stated" in verdict and "Sources disagree" not in verdict
    assert "flag--conflict" not in verdict


def test_one_party_giving_two_values_with_a_period_unstated_is_not_drift(client):
    metric = make_metric()
    company = make_party(name="Company")
    figure(metric, -25, company, scope_note="Period not stated in this text.")
    figure(metric, -42, company, period_label="2017", **Y2017)
    verdict = section(page(client, metric))
    assert "Drift" not in verdict and "flag--conflict" not in verdict
    assert "Periods not stated" in verdict
    # Shown side by side with the scope note that says why they cannot be compared.
    assert "-25%" in verdict and "-42%" in verdict
    assert "Period not stated in this text." in verdict


def test_values_whose_periods_are_stated_only_in_words_form_a_series(client):
    metric = make_metric(unit="count")
    company = make_party()
    figure(metric, 180000, company, unit="count", period_label="the previous 12 months")
    figure(metric, 240000, company, unit="count", period_label="2017", **Y2017)
    verdict = section(page(client, metric))
    assert "Different periods" in verdict and "Drift" not in verdict


def test_equal_values_from_different_parties_agree_and_are_not_a_series(client):
    metric = make_metric()
    figure(metric, -25, make_party(), **Y2017)
    figure(metric, -25, make_party(), **Y2017)
    verdict = section(page(client, metric))
    assert "Agree" in verdict and "corroborated" in verdict
    assert "flag--conflict" not in verdict
    assert "series" not in verdict and "Different periods" not in verdict


def test_each_pair_is_listed_once(client):
    metric = make_metric()
    figure(metric, -25, make_party(name="Company"), **Y2017)
    figure(metric, -42, make_party(name="Newspaper"), **Y2017)
    verdict = section(page(client, metric))
    assert verdict.count('<span aria-hidden="true">↔</span>') == 1


def test_a_source_cited_twice_by_one_claim_is_listed_once_in_the_values_table(client):
    metric = make_metric()
    source = make_source(body="Takedown requests fell 25% last year. Again: fell 25%.")
    claim = make_claim(quote=QUOTE, source=source)
    claim.citations.create(source=source, quote="fell 25%.")
    make_statistic(claim=claim, metric=metric, value=-25, **Y2017)
    html = page(client, metric)
    table = html[html.index('id="values-table"') :]
    assert table.count(f">{source.title}</a>") == 1


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
    metric = make_metric(name="Stores closed", unit="count")
    figure(metric, 5, make_party(), unit="count")
    html = client.get(reverse("metrics:list")).content.decode()
    assert "Stores closed" in html and "1 reported value" in html


def test_unknown_metric_is_not_found(client):
    assert client.get("/metrics/nothing/").status_code == 404


def many_figures(metric, party, values, **kwargs):
    """One claim per value, all quoting one shared source (faster than a source each)."""
    source = make_source(body=f"{QUOTE}. (Shared.)")
    for value in values:
        claim = make_claim(quote=QUOTE, party=party, source=source)
        make_statistic(claim=claim, metric=metric, value=value, unit=metric.unit, **kwargs)


def test_identical_values_are_counted_once_and_each_verdict_lists_at_most_twenty_pairs(client):
    metric = make_metric()
    company = make_party(name="Company")
    # 25 distinct values, the first given three times: 300 drift pairs, not 351.
    many_figures(metric, company, [1000, 1000, 1000, *range(1001, 1025)], **Y2017)
    verdict = section(page(client, metric))
    assert DRIFT_HEADING in verdict
    assert verdict.count('<span aria-hidden="true">↔</span>') == 20
    assert "And 280 more pairs not listed." in verdict
    assert "given in 3 statements" in verdict


def test_values_for_many_periods_are_summarised_as_one_series_not_listed_pair_by_pair(client):
    metric = make_metric()
    for year, value in [(2015, -10), (2016, -25), (2017, -42)]:
        period = {
            "period_start": datetime.date(year, 1, 1),
            "period_end": datetime.date(year, 12, 31),
        }
        figure(metric, value, make_party(), **period)
    verdict = section(page(client, metric))
    assert verdict.count("Different periods") == 1
    assert "3 different stated periods (2015, 2016, 2017)" in verdict
    assert "↔" not in verdict


def test_the_values_table_is_paginated(client):
    metric = make_metric()
    many_figures(metric, make_party(), range(55))
    html = page(client, metric)
    table = html[html.index('id="values-table"') :]
    assert table.count('<td class="num">') == 50
    assert "Page 1 of 2" in table and "55 values" in html
    assert f'href="{metric.get_absolute_url()}page/2/" rel="next"' in table
    second = client.get(f"{metric.get_absolute_url()}page/2/").content.decode()
    assert second[second.index('id="values-table"') :].count('<td class="num">') == 5
    moved = client.get(metric.get_absolute_url(), {"page": 2})
    assert moved.status_code == 301 and moved["Location"] == f"{metric.get_absolute_url()}page/2/"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"period_label": "2017"}, {"period_label": "2017"}),
        ({"period_label": "2017"}, Y2017),
        ({"period_label": " the previous 12 months"}, {"period_label": "The previous 12 months"}),
    ],
    ids=["year label on both", "year label and that year's dates", "same words"],
)
def test_equal_stated_periods_are_the_same_period(client, first, second):
    metric = make_metric()
    figure(metric, -25, make_party(), **first)
    figure(metric, -42, make_party(), **second)
    verdict = section(page(client, metric))
    assert "Sources disagree" in verdict
    assert "Different periods" not in verdict


@pytest.mark.parametrize(
    ("qualifier", "value", "other"),
    [
        ("over", 1000, 1606),
        ("at_least", 1000, 1000),
        ("under", 2000, 1606),
        ("up_to", 2000, 1999),
        ("nearly", 1000, 950),
        ("about", 1000, 1090),
        ("about", 1000, 910),
    ],
)
def test_a_value_within_the_bound_its_qualifier_gives_is_consistent(
    client, qualifier, value, other
):
    metric = make_metric(unit="count")
    company = make_party(name="Company")
    figure(metric, value, company, unit="count", qualifier=qualifier, **Y2017)
    figure(metric, other, company, unit="count", **Y2017)
    verdict = section(page(client, metric))
    assert "Drift" not in verdict and "Sources disagree" not in verdict
    assert "Consistent" in verdict and "fit the bounds" in verdict


@pytest.mark.parametrize(
    ("qualifier", "value", "other"),
    [
        ("nearly", 1000, 1328),
        ("nearly", 1000, 899),
        ("over", 1000, 900),
        ("under", 1000, 1606),
        ("about", 1000, 1200),
    ],
)
def test_a_value_outside_the_bound_its_qualifier_gives_is_still_a_conflict(
    client, qualifier, value, other
):
    metric = make_metric(unit="count")
    company = make_party(name="Company")
    figure(metric, value, company, unit="count", qualifier=qualifier, **Y2017)
    figure(metric, other, company, unit="count", **Y2017)
    verdict = section(page(client, metric))
    assert DRIFT_HEADING in verdict
    assert "Consistent" not in verdict


def test_chart_point_labels_are_hidden_on_narrow_screens(client):
    # The SVG scales down to ~335 px on a 375 px phone; its 11 px labels become unreadable,
    # so a media query hides them and the values table carries the text.
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    narrow = re.search(r"@media \(max-width: (\d+)rem\) \{\s*\.chart__label \{([^}]*)\}", css)
    assert narrow, "no media query hides .chart__label"
    assert int(narrow.group(1)) * 16 >= 375
    assert "display: none" in narrow.group(2)
