"""The metric page's values table reads its order from MetricValueOrder, kept by the same
refreshes as the stored verdicts: it follows every write that can move a row."""

import datetime
import re

import pytest

from claims.comparisons import refresh_all_verdicts
from claims.models import MetricValueOrder, Statistic
from sources.dates import DatePrecision
from tests.factories import make_claim, make_metric, make_party, make_statistic

pytestmark = pytest.mark.django_db

Y2016 = {"period_start": datetime.date(2016, 1, 1), "period_end": datetime.date(2016, 12, 31)}
Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}


def value(metric, number, said_on, **period):
    precision = DatePrecision.DAY if said_on else DatePrecision.UNKNOWN
    claim = make_claim(party=make_party(), claimed_on=said_on, claimed_precision=precision)
    return make_statistic(claim=claim, metric=metric, value=number, unit="count", **period)


def table_values(client, metric, path="") -> list[str]:
    response = client.get(metric.get_absolute_url() + path)
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index('id="values-table"') :]
    return re.findall(r'<td class="num"><a href="[^"]+">([^<]+)</a></td>', body)


def test_rows_follow_the_period_then_the_date_said_then_the_order_recorded(client):
    metric = make_metric(unit="count")
    value(metric, 3, datetime.date(2018, 5, 1), **Y2017)
    value(metric, 1, datetime.date(2017, 3, 1), **Y2016)
    value(metric, 2, datetime.date(2018, 1, 1), **Y2017)
    value(metric, 4, None, **Y2017)  # undated claims last within their period
    value(metric, 5, datetime.date(2010, 1, 1))  # no stated period: last of all
    assert table_values(client, metric) == ["1", "2", "3", "4", "5"]


def test_a_claim_redated_moves_its_row(client):
    metric = make_metric(unit="count")
    value(metric, 1, datetime.date(2018, 1, 1), **Y2017)
    late = value(metric, 2, datetime.date(2019, 1, 1), **Y2017)
    late.claim.claimed_on = datetime.date(2017, 6, 1)
    late.claim.save()
    assert table_values(client, metric) == ["2", "1"]


def test_added_and_deleted_values_show_at_once(client):
    metric = make_metric(unit="count")
    first = value(metric, 1, datetime.date(2018, 1, 1), **Y2017)
    value(metric, 2, datetime.date(2018, 2, 1), **Y2017)
    first.delete()
    value(metric, 3, datetime.date(2017, 1, 1), **Y2016)
    assert table_values(client, metric) == ["3", "2"]


def test_pages_of_the_table_split_the_stored_order(client, settings, monkeypatch):
    monkeypatch.setattr("claims.views.metrics.VALUES_PER_PAGE", 2)
    metric = make_metric(unit="count")
    for n in range(1, 6):
        value(metric, n, datetime.date(2018, 1, n), **Y2017)
    assert table_values(client, metric) == ["1", "2"]
    assert table_values(client, metric, "page/3/") == ["5"]
    assert client.get(metric.get_absolute_url() + "page/4/").status_code == 404


def test_a_value_deleted_by_bulk_sql_is_left_out_until_the_refresh(client):
    metric = make_metric(unit="count")
    kept = value(metric, 1, datetime.date(2018, 1, 1), **Y2017)
    gone = value(metric, 2, datetime.date(2018, 2, 1), **Y2017)
    # As if raw SQL had deleted it: the stored order still names it.
    Statistic.objects.filter(pk=gone.pk).delete()
    MetricValueOrder.objects.filter(metric=metric).update(statistic_ids=[kept.pk, gone.pk])
    assert table_values(client, metric) == ["1"]


def test_a_metric_without_a_stored_order_gets_one_on_first_view(client):
    metric = make_metric(unit="count")
    value(metric, 1, datetime.date(2018, 1, 1), **Y2017)
    MetricValueOrder.objects.all().delete()
    assert table_values(client, metric) == ["1"]
    assert MetricValueOrder.objects.filter(metric=metric).exists()


def test_refresh_all_verdicts_rebuilds_the_order_after_a_bulk_load(client):
    metric = make_metric(unit="count")
    claim = make_claim(party=make_party(), claimed_on=datetime.date(2018, 1, 1))
    Statistic.objects.bulk_create(
        [Statistic(claim=claim, metric=metric, value=v, unit="count", **Y2017) for v in (7, 8)]
    )
    assert table_values(client, metric) == []  # bulk_create sends no signal
    refresh_all_verdicts()
    assert table_values(client, metric) == ["7", "8"]
