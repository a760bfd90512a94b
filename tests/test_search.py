"""Claims list filters and search. Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from sources.dates import DatePrecision
from tests.factories import (
    make_claim,
    make_dispute,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Counterfeit goods flooded the market. "
    "Brand owners filed fewer takedown requests this year. "
    "The platform closed thousands of stores. "
    "Police arrested many suspects."
)


def listed(client, **params) -> list[str]:
    response = client.get(reverse("claims:list"), params)
    assert response.status_code == 200
    return [c.summary for c in response.context["claims"]]


@pytest.fixture
def corpus():
    source = make_source(body=BODY)
    alibaba = make_party(name="Alibaba", slug="alibaba")
    ustr = make_party(name="USTR", slug="ustr", kind="government_agency")
    return {
        "source": source,
        "alibaba": alibaba,
        "ustr": ustr,
        "takedowns": make_claim(
            summary="Fewer takedown requests",
            quote="Brand owners filed fewer takedown requests this year",
            source=source,
            party=alibaba,
            claimed_on=datetime.date(2018, 1, 15),
            claimed_precision=DatePrecision.DAY,
        ),
        "stores": make_claim(
            summary="Stores closed",
            quote="The platform closed thousands of stores",
            source=source,
            party=alibaba,
            kind=Claim.Kind.STATISTIC,
            claimed_on=datetime.date(2017, 1, 1),
            claimed_precision=DatePrecision.YEAR,
        ),
        "flood": make_claim(
            summary="Counterfeits flood the market",
            quote="Counterfeit goods flooded the market",
            source=source,
            party=ustr,
            kind=Claim.Kind.ACCUSATION,
            claimed_on=datetime.date(2016, 6, 1),
            claimed_precision=DatePrecision.MONTH,
        ),
        "undated": make_claim(
            summary="Police arrested suspects",
            quote="Police arrested many suspects",
            source=source,
            party=ustr,
            claimed_on=None,
            claimed_precision=DatePrecision.UNKNOWN,
        ),
    }


def test_without_filters_every_claim_is_listed(client, corpus):
    assert len(listed(client)) == 4


def test_search_finds_a_word_in_a_quote(client, corpus):
    assert listed(client, q="thousands") == ["Stores closed"]


def test_search_finds_a_word_in_a_summary(client, corpus):
    assert listed(client, q="flood") == ["Counterfeits flood the market"]


def test_search_requires_every_word(client, corpus):
    assert listed(client, q="takedown requests") == ["Fewer takedown requests"]
    assert listed(client, q="takedown stores") == []


def test_search_is_case_insensitive(client, corpus):
    assert listed(client, q="POLICE") == ["Police arrested suspects"]


def test_search_for_nothing_known_lists_nothing(client, corpus):
    response = client.get(reverse("claims:list"), {"q": "zebra"})
    assert "No claims match" in response.content.decode()


def test_filter_by_party_uses_its_slug(client, corpus):
    assert sorted(listed(client, party="alibaba")) == ["Fewer takedown requests", "Stores closed"]


def test_filter_by_party_includes_claims_its_people_spoke(client, corpus):
    spokesperson = make_party(name="Spokesperson", kind="individual", affiliation=corpus["alibaba"])
    make_claim(summary="Spoken for the company", party=corpus["ustr"], speaker=spokesperson)
    assert "Spoken for the company" in listed(client, party=spokesperson.slug)


def test_filter_by_kind(client, corpus):
    assert listed(client, kind="accusation") == ["Counterfeits flood the market"]


def test_filter_by_source(client, corpus):
    make_claim(summary="Elsewhere")
    assert len(listed(client, source=corpus["source"].slug)) == 4


def test_filter_by_dispute(client, corpus):
    dispute = make_dispute(parties=(corpus["alibaba"], corpus["ustr"]))
    place_claim(corpus["stores"], dispute)
    assert listed(client, dispute=dispute.slug) == ["Stores closed"]


def test_filter_by_has_statistic(client, corpus):
    make_statistic(claim=corpus["stores"])
    assert listed(client, has_statistic="yes") == ["Stores closed"]
    assert "Stores closed" not in listed(client, has_statistic="no")


def test_date_range_keeps_claims_whose_known_period_overlaps(client, corpus):
    # "2017" (year precision) may fall after 1 June 2017, so it is kept; undated is not.
    assert sorted(listed(client, date_from="2017-06-01", date_to="2018-12-31")) == [
        "Fewer takedown requests",
        "Stores closed",
    ]


def test_date_from_honours_month_precision(client, corpus):
    assert "Counterfeits flood the market" in listed(client, date_from="2016-06-20")
    assert "Counterfeits flood the market" not in listed(client, date_from="2016-07-01")


def test_date_to_excludes_later_claims(client, corpus):
    assert listed(client, date_to="2016-12-31") == ["Counterfeits flood the market"]


def test_filters_and_search_combine(client, corpus):
    assert listed(client, party="alibaba", q="stores", date_from="2017-01-01") == ["Stores closed"]


def test_unknown_party_slug_is_reported_not_crashed(client, corpus):
    response = client.get(reverse("claims:list"), {"party": "nobody"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_bad_date_is_reported_not_crashed(client, corpus):
    response = client.get(reverse("claims:list"), {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_results_are_paginated_and_pages_keep_the_filters(client, corpus):
    party = make_party(slug="prolific")
    source = make_source()
    for n in range(30):
        make_claim(summary=f"Prolific claim {n}", party=party, source=source)
    first = client.get(reverse("claims:list"), {"party": "prolific"}).content.decode()
    assert "30 claims found" in first
    assert "Page 1 of 2" in first
    assert 'href="?party=prolific&amp;page=2"' in first
    second = client.get(reverse("claims:list"), {"party": "prolific", "page": 2})
    assert len(second.context["claims"]) == 5


def test_form_is_labelled_and_keeps_submitted_values(client, corpus):
    html = client.get(reverse("claims:list"), {"q": "stores", "party": "alibaba"}).content.decode()
    for field in ["q", "party", "kind", "dispute", "source", "date_from", "date_to"]:
        assert f'<label for="id_{field}">' in html
    assert 'value="stores"' in html
    assert '<option value="alibaba" selected>' in html


def test_queryset_search_matches_quotes_and_summaries(corpus):
    found = set(Claim.objects.search("stores").values_list("summary", flat=True))
    assert found == {"Stores closed"}
    assert Claim.objects.search("   ").count() == 4


def test_full_text_indexes_exist_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("The GIN indexes are PostgreSQL only; the migration is a no-op elsewhere.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('claim_summary_search_idx', 'citation_quote_search_idx')"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "claim_summary_search_idx",
            "citation_quote_search_idx",
        }


def test_full_text_search_uses_the_gin_indexes_on_postgresql(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only.")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Claim.objects.search("takedown stores").explain()
    assert "claim_summary_search_idx" in plan
    assert "citation_quote_search_idx" in plan


@pytest.mark.parametrize(
    "q",
    ['"takedown requests"', "takedown,", "takedown requests.", "(takedown)", "fewer or takedown"],
    ids=["phrase in quotes", "trailing comma", "trailing full stop", "brackets", "or"],
)
def test_search_reads_quotes_and_punctuation_like_websearch(client, corpus, q):
    assert listed(client, q=q) == ["Fewer takedown requests"]


def test_date_from_after_date_to_is_explained_not_an_empty_list(client, corpus):
    response = client.get(
        reverse("claims:list"), {"date_from": "2018-01-01", "date_to": "2016-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“To” (1 Jan 2016) is before “From” (1 Jan 2018)" in html
    assert "The date filter was not applied." in html
    assert len(response.context["claims"]) == 4


def test_date_filter_says_how_many_undated_claims_it_left_out(client, corpus):
    response = client.get(reverse("claims:list"), {"date_from": "2016-01-01"})
    html = response.content.decode()
    assert "Police arrested suspects" not in listed(client, date_from="2016-01-01")
    assert "1 undated claim left out by the date filter" in html
    assert "include_undated=on" in html
    assert "left out by the date filter" not in client.get(reverse("claims:list")).content.decode()


def test_include_undated_keeps_undated_claims_within_a_date_filter(client, corpus):
    found = listed(client, date_from="2017-06-01", include_undated="on")
    assert sorted(found) == ["Fewer takedown requests", "Police arrested suspects", "Stores closed"]
    html = client.get(
        reverse("claims:list"), {"date_from": "2017-06-01", "include_undated": "on"}
    ).content.decode()
    assert "left out by the date filter" not in html
    assert found[-1] == "Police arrested suspects"  # undated last


def test_party_filter_counts_a_partys_members_as_the_party_page_does(client, corpus):
    spokesperson = make_party(name="Spokesperson", kind="individual", affiliation=corpus["alibaba"])
    make_claim(summary="Said by the spokesperson", party=spokesperson)
    make_claim(summary="Spoken for another", party=corpus["ustr"], speaker=spokesperson)
    found = listed(client, party="alibaba")
    assert "Said by the spokesperson" in found and "Spoken for another" in found
    assert len(found) == Claim.objects.by_party(corpus["alibaba"]).count() == 4
