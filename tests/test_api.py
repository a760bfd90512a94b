"""The open-data API: anonymous and read-only, every record with its id and permalink, the
claims endpoint filtered exactly as the claims list, and a bounded number of queries."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from claims.models import Claim, ClaimRelation, Metric
from sources.dates import DatePrecision
from tests.factories import (
    make_claim,
    make_dispute,
    make_metric,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)
from tests.test_queries import build

pytestmark = pytest.mark.django_db

ENDPOINTS = ["parties", "sources", "claims", "metrics", "disputes"]
Y2017 = {"period_start": datetime.date(2017, 1, 1), "period_end": datetime.date(2017, 12, 31)}


@pytest.fixture
def world():
    return build(12)


def record_of(world, endpoint: str):
    return {
        "parties": world.party,
        "sources": world.source,
        "claims": world.claim,
        "metrics": world.metric,
        "disputes": world.dispute,
    }[endpoint]


def every_id(client, url: str) -> list[int]:
    """The ids of every record of a list, following its pages."""
    ids: list[int] = []
    while url:
        body = client.get(url).json()
        ids += [record["id"] for record in body["results"]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_list_answers_a_json_page_with_count_and_links(client, world, endpoint):
    response = client.get(f"/api/{endpoint}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) or body["next"]
    assert all(isinstance(record["id"], int) for record in body["results"])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_record_has_its_stable_id_and_absolute_permalink(client, world, endpoint):
    record = record_of(world, endpoint)
    body = client.get(f"/api/{endpoint}/{record.pk}/").json()
    assert body["id"] == record.pk
    assert body["permalink"] == f"{settings.SITE_URL}{record.get_absolute_url()}"
    assert body["permalink"].startswith(("http://", "https://"))
    listed = client.get(f"/api/{endpoint}/?page_size=100").json()["results"]
    assert all(r["permalink"].startswith(settings.SITE_URL + "/") for r in listed)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unknown_id_answers_404_in_json(client, world, endpoint):
    for missing in ("987654", "99999999999999999999", "not-a-number"):
        response = client.get(f"/api/{endpoint}/{missing}/")
        assert response.status_code == 404
        assert "detail" in response.json()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_writes_are_refused_with_405_even_for_staff(client, world, staff_user, endpoint):
    record = record_of(world, endpoint)
    count_before = type(record).objects.count()
    client.force_login(staff_user)
    for method in ("post", "put", "patch", "delete"):
        for url in (f"/api/{endpoint}/", f"/api/{endpoint}/{record.pk}/"):
            send = getattr(client, method)
            response = send(url, {"name": "x"}, content_type="application/json")
            assert response.status_code == 405, (method, url)
            assert response.json()["detail"] == f'Method "{method.upper()}" not allowed.'
    assert type(record).objects.count() == count_before


def test_head_and_options_are_answered(client, world):
    assert client.head("/api/claims/").status_code == 200
    options = client.options(f"/api/claims/{world.claim.pk}/")
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"


FILTERS = [
    {},
    {"q": "figure"},
    {"q": "notorious listing"},
    {"party": "company"},
    {"party": "spokesperson"},
    {"kind": "statistic"},
    {"has_statistic": "yes", "party": "agency"},
    {"has_statistic": "no"},
    {"date_from": "2016-03-01", "date_to": "2017-06-30"},
    {"date_from": "2016-03-01", "include_undated": "on"},
    {"dispute": "taobao-notorious-markets-listing", "q": "counterfeit"},
    {"source": "source-1"},
]


def test_the_claims_endpoint_filters_and_searches_exactly_as_the_claims_list(client, seeded):
    build(12)  # factories' parties and sources beside the seed corpus
    for query in FILTERS:
        listed = client.get(reverse("claims:list"), query)
        assert listed.status_code == 200
        html_ids = [c.pk for c in listed.context["page_obj"].paginator.object_list]
        api_ids = every_id(client, f"/api/claims/?{urlencode({**query, 'page_size': 100})}")
        assert api_ids == html_ids, query
        if query:
            assert len(html_ids) < Claim.objects.count(), query


def test_a_bad_filter_value_answers_400_with_the_claims_lists_message(client, world):
    listed = client.get(reverse("claims:list"), {"party": "nobody", "date_from": "31/02/2017"})
    response = client.get("/api/claims/", {"party": "nobody", "date_from": "31/02/2017"})
    assert response.status_code == 400
    errors = response.json()
    assert errors["party"] == listed.context["filter"].errors["party"]
    assert errors["date_from"] == ["Enter a valid date."]


def test_dates_in_the_wrong_order_are_refused_with_the_same_words_as_the_list(client, world):
    response = client.get("/api/claims/", {"date_from": "2018-01-01", "date_to": "2017-01-01"})
    assert response.status_code == 400
    assert "is before “From”" in response.json()["date_to"][0]


def test_pages_are_numbered_and_their_size_is_bounded(client):
    build(30)
    first = client.get("/api/claims/").json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])
    assert len(client.get("/api/claims/?page_size=1000").json()["results"]) == 30
    assert len(client.get("/api/claims/?page_size=7").json()["results"]) == 7
    assert client.get("/api/claims/?page=3").status_code == 404


def test_a_claim_record_has_its_citations_figures_relations_and_placements(client):
    company, agency = make_party(name="Company"), make_party(name="Agency")
    source = make_source(published_on=datetime.date(2017, 1, 1), published_precision="year")
    claim = make_claim(
        party=company,
        source=source,
        quote="Takedown requests fell 25% last year",
        claimed_on=datetime.date(2018, 1, 1),
        claimed_precision=DatePrecision.MONTH,
    )
    answer = make_claim(party=agency)
    ClaimRelation.objects.create(from_claim=answer, to_claim=claim, kind="rebuts", note="No.")
    metric = make_metric()
    make_statistic(claim=claim, metric=metric, value=Decimal("-25"), **Y2017)
    dispute = make_dispute(parties=(company, agency))
    place_claim(claim, dispute)

    body = client.get(f"/api/claims/{claim.pk}/").json()
    assert body["claimed"] == "2018-01" and body["claimed_precision"] == "month"
    assert body["party"]["name"] == "Company" and body["speaker"] is None
    [citation] = body["citations"]
    assert citation["quote"] == "Takedown requests fell 25% last year"
    assert citation["is_anchored"] is True
    assert citation["source"]["published"] == "2017"
    assert citation["permalink"].endswith(f"#citation-{claim.citations.get().pk}")
    [figure] = body["statistics"]
    assert figure["value"] == "-25.0000" and figure["display_value"] == "-25%"
    assert figure["period"] == "2017" and figure["metric"]["id"] == metric.pk
    [relation] = body["relations"]
    assert relation["kind"] == "rebuts" and relation["label"] == "rebutted by"
    assert relation["claim"]["id"] == answer.pk and relation["note"] == "No."
    [placement] = body["placements"]
    assert placement["dispute"]["slug"] == dispute.slug
    assert placement["side"]["heading"] == "Company"
    listed = client.get("/api/claims/").json()["results"]
    assert next(r for r in listed if r["id"] == claim.pk) == body


def test_a_metric_record_gives_each_value_with_how_the_others_relate(client):
    metric = make_metric(unit=Metric.Unit.PERCENT)
    agency, company = make_party(name="Agency"), make_party(name="Company")
    make_statistic(metric=metric, value=Decimal("25"), claim=make_claim(party=agency), **Y2017)
    make_statistic(metric=metric, value=Decimal("40"), claim=make_claim(party=company), **Y2017)
    make_statistic(metric=metric, value=Decimal("25"), claim=make_claim(party=company))

    body = client.get(f"/api/metrics/{metric.pk}/").json()
    assert body["value_count"] == 3
    verdicts = {v["verdict"]: v for v in body["verdicts"]}
    assert verdicts["disagreement"]["label"] == "Sources disagree"
    assert verdicts["disagreement"]["is_conflict"] is True
    assert len(body["values"]) == 3
    first = body["values"][0]
    assert first["statistic"]["value"] == "25.0000" and first["claim"]["party"]["name"] == "Agency"
    labels = {c["label"] for c in first["comparisons"]}
    assert "Sources disagree" in labels
    assert {c["other"]["display_value"] for c in first["comparisons"]} == {"40%", "25%"}
    assert first["conflict_total"] == 1
    listed = client.get("/api/metrics/").json()["results"]
    assert [m["verdicts"] for m in listed if m["id"] == metric.pk] == [body["verdicts"]]


def test_a_dispute_record_has_its_sides_points_and_the_claims_on_them(client):
    company, agency = make_party(name="Company"), make_party(name="Agency")
    dispute = make_dispute(parties=(company, agency))
    claim = make_claim(party=agency)
    place_claim(claim, dispute)
    body = client.get(f"/api/disputes/{dispute.pk}/").json()
    assert [s["heading"] for s in body["sides"]] == ["Company", "Agency"]
    [point] = body["points"]
    assert point["permalink"].endswith(f"#point-{point['id']}")
    [placed] = point["placements"]
    assert placed["claim"]["id"] == claim.pk
    assert placed["side"] == body["sides"][1]["id"]


def test_a_sources_own_record_has_its_full_text_and_the_list_does_not(client):
    source = make_source(body="The full text. " * 20)
    assert client.get(f"/api/sources/{source.pk}/").json()["body"] == "The full text. " * 20
    [listed] = client.get("/api/sources/").json()["results"]
    assert "body" not in listed and listed["body_sha256"] == source.body_sha256


# (path, max queries) at any size. Lists: count, page, prefetches; claims add citations'
# sources, figures, placements and relations; metrics compare values in one more query.
QUERY_BUDGETS = {
    "party list": (lambda w: "/api/parties/", 2),
    "party": (lambda w: f"/api/parties/{w.party.pk}/", 1),
    "source list": (lambda w: "/api/sources/", 2),
    "source": (lambda w: f"/api/sources/{w.source.pk}/", 1),
    "claim list": (lambda w: "/api/claims/", 7),
    "claim list filtered": (
        lambda w: "/api/claims/?q=figure&party=company&date_from=2015-01-01&has_statistic=yes",
        9,  # + the party named by the filter, and its people (by_party)
    ),
    "claim": (lambda w: f"/api/claims/{w.claim.pk}/", 6),
    "metric list": (lambda w: "/api/metrics/", 3),
    "metric": (lambda w: f"/api/metrics/{w.metric.pk}/", 5),
    "dispute list": (lambda w: "/api/disputes/", 5),
    "dispute": (lambda w: f"/api/disputes/{w.dispute.pk}/", 4),
}


@pytest.mark.parametrize("size", [10, 200])
def test_each_endpoint_runs_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, size
):
    world = build(size)
    for path, queries in QUERY_BUDGETS.values():
        with django_assert_num_queries(queries):
            response = client.get(path(world))
        assert response.status_code == 200
        assert response.json()["id" if path(world)[-2].isdigit() else "results"]
