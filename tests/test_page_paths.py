"""PagePaths (claims.links) gives every path get_absolute_url() gives, from one reverse()
per URL pattern, and the metric page's rows escape what they show."""

import datetime

import pytest
from django.urls import set_script_prefix

from claims.links import PagePaths
from tests.factories import make_claim, make_metric, make_party, make_source, make_statistic

pytestmark = pytest.mark.django_db


def test_paths_are_the_ones_get_absolute_url_gives():
    party = make_party(slug="a-party_2", name="Ünïcode")
    source = make_source()
    claim = make_claim(party=party, source=source, summary="Ça coûte 25 % — “vraiment”?")
    citation = claim.citations.get()
    metric = make_metric()
    paths = PagePaths()
    assert paths.claim(claim) == claim.get_absolute_url()
    assert paths.party(party) == party.get_absolute_url()
    assert paths.source(source) == source.get_absolute_url()
    assert paths.citation(citation) == citation.get_absolute_url()
    assert paths.metric(metric) == metric.get_absolute_url()
    claim.slug = ""  # an unsaved claim without a slug links as "claim", as its model does
    assert paths.claim(claim) == claim.get_absolute_url()


def test_paths_follow_the_script_prefix_of_the_request():
    claim = make_claim()
    set_script_prefix("/under/")
    try:
        assert PagePaths().claim(claim) == claim.get_absolute_url()
        assert PagePaths().claim(claim).startswith("/under/claims/")
    finally:
        set_script_prefix("/")


def test_the_rows_and_pairs_escape_party_names_titles_and_scope_notes(client):
    hostile = '<script>alert("x")</script>'
    metric = make_metric()
    period = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}
    for value in (-25, -42):
        claim = make_claim(party=make_party(name=hostile), source=make_source(title=hostile))
        make_statistic(claim=claim, metric=metric, value=value, scope_note=hostile, **period)
    html = client.get(metric.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    body = html[html.index('id="verdict-heading"') :]
    assert body.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 6
