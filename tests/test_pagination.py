"""Public lists page by path (`<list>/page/<n>/`), so a static host can serve every page;
`?page=N` moves there; a filtered list keeps its query string; counts stay bounded."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Claim, PartySummary
from claims.views.claims import CLAIMS_PER_PAGE
from tests.factories import make_claim, make_party, make_source

pytestmark = pytest.mark.django_db


def many_claims(n: int, party=None, **kwargs) -> list[Claim]:
    party = party or make_party(name="Prolific", slug="prolific")
    first = make_claim(party=party, source=make_source(), summary="Claim 000", **kwargs)
    rest = Claim.objects.bulk_create(
        Claim(party=party, summary=f"Claim {i:03d}", slug=f"claim-{i}", **kwargs)
        for i in range(1, n)
    )
    # What every bulk loader does after writing past save(): the stored keys and counts.
    Claim.objects.refresh_timeline_keys()
    PartySummary.refresh([party.pk])
    return [first, *rest]


def test_the_claims_list_links_its_next_page_by_path(client):
    many_claims(CLAIMS_PER_PAGE + 3)
    html = client.get(reverse("claims:list")).content.decode()
    assert 'href="/claims/page/2/" rel="next"' in html
    second = client.get("/claims/page/2/").content.decode()
    assert second.count('<article class="claim-card') == 3
    assert 'href="/claims/" rel="prev"' in second


def test_page_in_the_query_string_moves_to_the_path_and_page_one_to_the_list(client):
    many_claims(CLAIMS_PER_PAGE + 1)
    moved = client.get("/claims/?page=2")
    assert moved.status_code == 301 and moved["Location"] == "/claims/page/2/"
    one = client.get("/claims/page/1/")
    assert one.status_code == 301 and one["Location"] == "/claims/"


def test_a_page_past_the_last_is_not_found(client):
    many_claims(3)
    assert client.get("/claims/page/2/").status_code == 404
    assert client.get("/parties/prolific/page/5/").status_code == 404


def test_a_filtered_list_pages_in_its_query_string(client):
    many_claims(CLAIMS_PER_PAGE + 2)
    html = client.get("/claims/", {"party": "prolific"}).content.decode()
    assert 'href="/claims/?party=prolific&amp;page=2" rel="next"' in html
    second = client.get("/claims/", {"party": "prolific", "page": 2})
    assert second.status_code == 200
    assert second.content.decode().count('<article class="claim-card') == 2


def test_the_claims_list_counts_at_most_its_cap(client, monkeypatch):
    monkeypatch.setattr("claims.views.claims.CLAIMS_COUNTED", 30)
    many_claims(40)
    html = client.get(reverse("claims:list")).content.decode()
    assert "More than 30 claims" in html
    assert "Page 1 of 2" in html
    assert client.get("/claims/page/2/").status_code == 200
    assert client.get("/claims/page/3/").status_code == 404


@pytest.mark.parametrize("name", ["parties:list", "disputes:list", "metrics:list", "sources:list"])
def test_every_index_answers_page_one_at_its_own_address(client, name):
    make_claim()
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name) + "page/1/").status_code == 301


def test_party_timeline_has_year_facets_with_counts_linking_to_the_page_of_each_year(client):
    party = make_party(name="Prolific", slug="prolific")
    for year, n in [(2015, 60), (2016, 10)]:  # 50 a page: 2016 starts on page 2
        many_claims(
            n,
            party=party,
            claimed_on=datetime.date(year, 1, 1),
            claimed_precision="year",
        )
    html = client.get(party.get_absolute_url()).content.decode()
    assert '<a href="/parties/prolific/#tl-2015">2015</a> <span class="muted">(60)</span>' in html
    assert '<a href="/parties/prolific/page/2/#tl-2016">2016</a>' in html
    assert "<dt>Claims</dt><dd>70</dd>" in html
    second = client.get("/parties/prolific/page/2/").content.decode()
    assert 'id="tl-2016"' in second
