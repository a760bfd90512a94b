"""The benchmark's bare view: one row read through the whole stack, and never mounted
unless BENCH_VIEWS is on."""

from django.conf import settings
from django.test import RequestFactory

from tracker import bench


def test_the_bare_view_is_not_mounted_without_bench_views(client, db):
    assert not settings.BENCH_VIEWS
    assert client.get("/_bench/bare/").status_code == 404


def test_the_bare_view_reads_one_row_in_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = bench.bare(RequestFactory().get("/_bench/bare/"))
    assert response.status_code == 200
    assert b"<p>" in response.content


def test_the_bare_view_answers_only_get_and_head(db):
    assert bench.bare(RequestFactory().post("/_bench/bare/")).status_code == 405
