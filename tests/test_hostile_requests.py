"""Hostile input at the form, admin and view layers: a clear page or form error, never a 500,
and nothing saved before is changed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.anchoring import MAX_QUOTE_CHARS
from claims.models import Assessment, Claim, Party, Statistic
from claims.services import source_proposals
from sources.models import Source
from tests.factories import make_claim, make_metric, make_outlet, make_party, make_source

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "9" * 20
INLINES = ("citations", "statistics", "relations_from", "placements")


@pytest.fixture
def analyst_client(client, superuser):
    client.force_login(superuser)
    return client


def claim_post(who, source, **overrides) -> dict:
    data = {
        "summary": "A new claim",
        "kind": "assertion",
        "party": who.pk,
        "claimed_on": "2018-01-01",
        "claimed_precision": "month",
        **{f"{p}-{k}": "0" for p in INLINES for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": source.pk,
        "citations-0-quote": "We reject the listing entirely",
    }
    data.update(overrides)
    return data


def source_post(**overrides) -> dict:
    data = {
        "title": "A new source",
        "slug": "",
        "kind": "article",
        "url": "https://example.org/new",
        "published_on": "2018-01-15",
        "published_precision": "day",
        "body": "The text of the new source.",
    }
    data.update(overrides)
    return data


# Query strings and paths ------------------------------------------------------------------

PUBLIC_URLS = ["/", "/claims/", "/sources/", "/disputes/", "/parties/", "/metrics/"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
@pytest.mark.parametrize("query", ["outlet=%00", "q=%00", "party=a%00b", "page=%00", "%00=1"])
def test_a_nul_in_a_query_string_answers_400_with_a_page_saying_why(client, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "control character" in response.text


def test_a_nul_in_a_path_answers_400_too(client):
    response = client.get("/sources/abc%00def/")
    assert response.status_code == 400


def test_a_nul_in_an_admin_search_answers_400(analyst_client):
    response = analyst_client.get(reverse("admin:sources_source_changelist") + "?q=%00")
    assert response.status_code == 400


def test_a_nul_in_the_session_cookie_is_ignored(client):
    client.cookies["sessionid"] = "abc\x00def0123"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        f"party={TWENTY_DIGITS}",
        "party=abc",
        f"source={TWENTY_DIGITS}",
        "dispute=%27%3B--",
        "date_from=0001-01-01&date_to=9999-12-31",
        "date_from=99999-01-01",
        f"page={TWENTY_DIGITS}",
        "has_statistic=maybe&kind=%E2%80%94",
    ],
)
def test_tampered_claim_filters_never_answer_500(client, query):
    make_claim()
    # A bare ?page= moves to the path form (claims/pagination.py); past the last page that
    # is a plain 404, never a 500.
    assert client.get(f"/claims/?{query}", follow=True).status_code in {200, 404}


def test_an_unknown_outlet_filter_is_not_found(client):
    make_outlet(slug="known")
    assert client.get("/sources/?outlet=unknown").status_code == 404
    assert client.get("/sources/?outlet=known").status_code == 200


# Tampered foreign keys in the admin -------------------------------------------------------


@pytest.mark.parametrize("party", ["abc", TWENTY_DIGITS, "-1", "1e3"])
def test_a_tampered_party_is_a_form_error_and_no_claim_is_saved(analyst_client, party):
    source = make_source()
    before = Claim.objects.count()
    response = analyst_client.post(
        reverse("admin:claims_claim_add"), claim_post(make_party(), source, party=party)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Claim.objects.count() == before


@pytest.mark.parametrize("pk", ["abc", TWENTY_DIGITS])
def test_a_tampered_source_in_the_citation_inline_is_a_form_error(analyst_client, pk):
    response = analyst_client.post(
        reverse("admin:claims_claim_add"),
        claim_post(make_party(), make_source(), **{"citations-0-source": pk}),
    )
    assert response.status_code == 200
    assert not Claim.objects.filter(summary="A new claim").exists()


def test_tampered_evidence_of_an_assessment_is_a_form_error(analyst_client):
    claim = make_claim()
    response = analyst_client.post(
        reverse("admin:claims_assessment_add"),
        {"claim": claim.pk, "rating": "accurate", "rationale": "R", "evidence": [TWENTY_DIGITS]},
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_a_tampered_outlet_of_a_source_is_a_form_error(analyst_client):
    response = analyst_client.post(
        reverse("admin:sources_source_add"), source_post(outlet=TWENTY_DIGITS)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Source.objects.filter(title="A new source").exists()


@pytest.mark.parametrize("object_id", [TWENTY_DIGITS, "abc"])
def test_a_tampered_object_id_in_an_admin_address_redirects_with_a_message(
    analyst_client, object_id
):
    response = analyst_client.get(f"/admin/claims/party/{object_id}/change/", follow=True)
    assert response.status_code == 200
    assert "doesn’t exist" in response.text


def test_the_admin_autocomplete_answers_a_tampered_term(analyst_client):
    response = analyst_client.get(
        "/admin/autocomplete/",
        {
            "term": TWENTY_DIGITS,
            "app_label": "claims",
            "model_name": "claim",
            "field_name": "party",
        },
    )
    assert response.status_code == 200


# A claim always has a citation ------------------------------------------------------------


def test_a_new_claim_without_a_citation_is_refused_with_a_message(analyst_client):
    data = claim_post(make_party(), make_source(), **{"citations-TOTAL_FORMS": "0"})
    response = analyst_client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    assert "A claim needs at least one citation" in response.text
    assert not Claim.objects.filter(summary="A new claim").exists()


def test_removing_every_citation_of_a_claim_is_refused_and_it_keeps_its_citation(
    analyst_client,
):
    claim = make_claim()
    citation = claim.citations.get()
    data = claim_post(
        claim.party,
        citation.source,
        summary="Changed summary",
        **{
            "citations-INITIAL_FORMS": "1",
            "citations-0-id": citation.pk,
            "citations-0-claim": claim.pk,
            "citations-0-DELETE": "on",
        },
    )
    response = analyst_client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "A claim needs at least one citation" in response.text
    claim.refresh_from_db()
    assert claim.summary != "Changed summary"
    assert claim.citations.count() == 1


# The source form --------------------------------------------------------------------------


def test_a_javascript_url_in_the_source_form_is_refused_with_what_to_enter(analyst_client):
    response = analyst_client.post(
        reverse("admin:sources_source_add"), source_post(url="javascript:alert(1)")
    )
    assert response.status_code == 200
    assert "starts with http:// or https://" in response.text
    assert not Source.objects.filter(title="A new source").exists()


def test_a_future_publication_date_in_the_source_form_is_refused(analyst_client):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = analyst_client.post(
        reverse("admin:sources_source_add"), source_post(published_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "is in the future" in response.text


def test_a_five_megabyte_paste_is_refused_with_a_message_and_the_text_is_kept(analyst_client):
    body = "A sentence of the article that goes on. " * 130_000  # ~5.2 MB
    response = analyst_client.post(reverse("admin:sources_source_add"), source_post(body=body))
    assert response.status_code == 200
    assert "the largest accepted is 2.0\xa0MB" in response.text
    assert response.context["adminform"].form["body"].value() == body
    assert not Source.objects.filter(title="A new source").exists()


@pytest.mark.parametrize(
    ("char", "expected"),
    [("\x00", "Null characters are not allowed"), ("\x07", "(U+0007) on line 2")],
)
def test_a_control_character_pasted_into_the_body_is_refused(analyst_client, char, expected):
    response = analyst_client.post(
        reverse("admin:sources_source_add"), source_post(body=f"First line.\nSec{char}ond.")
    )
    assert response.status_code == 200
    assert expected in response.text
    assert not Source.objects.filter(title="A new source").exists()


def test_a_txt_upload_with_a_nul_after_the_first_4_kb_is_refused(analyst_client):
    data = b"Plain article text. " * 300 + b"\x00 and more."
    assert data.index(b"\x00") > 4096
    post = source_post(body="", upload=SimpleUploadedFile("article.txt", data, "text/plain"))
    response = analyst_client.post(reverse("admin:sources_source_add"), post)
    assert response.status_code == 200
    assert "not plain text" in response.text
    assert not Source.objects.filter(title="A new source").exists()


# The proposal accept form -----------------------------------------------------------------

FIGURE_BODY = "Acme answers.\nTakedown requests fell 25% last year, Acme said.\n"


@pytest.fixture
def figure_case(analyst_client):
    acme = make_party(name="Acme", slug="acme")
    source = make_source(body=FIGURE_BODY)
    metric = make_metric(unit="percent")
    item = next(i for i in source_proposals(source=source) if i.proposal.kind == "figure")
    url = reverse("admin:sources_source_accept_proposal", args=[source.pk, item.proposal.key])
    data = {
        "summary": "Acme: takedown requests fell",
        "kind": "statistic",
        "party": acme.pk,
        "claimed_precision": "unknown",
        "quote": "Takedown requests fell 25% last year",
        "metric": metric.pk,
        "value": "-25",
        "unit": "percent",
        "currency": "",
    }
    return analyst_client, url, data


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("value", "9999999999999999.9999", "digits in total"),
        ("value", "99999999999999", "too large"),
        ("value", "250000", "outside -100% to 10,000%"),
        ("unit", "count", "is measured as"),
        ("party", TWENTY_DIGITS, "Select a valid choice"),
        ("quote", "x" * (MAX_QUOTE_CHARS + 1), "at most 5000 characters"),
        ("summary", "Acme\x00", "Null characters are not allowed"),
        ("claimed_on", "9999-12-31", "in the future"),
    ],
)
def test_the_accept_form_refuses_hostile_figures_with_a_message(
    figure_case, field, value, expected
):
    client, url, data = figure_case
    data[field] = value
    if field == "claimed_on":
        data["claimed_precision"] = "day"
    response = client.post(url, data)
    assert response.status_code == 200
    assert expected in response.text
    assert not Statistic.objects.exists() and not Claim.objects.exists()


def test_the_accept_form_refuses_a_currency_that_is_not_iso_4217(figure_case):
    client, url, data = figure_case
    data.update(unit="currency", currency="XYZ", metric=make_metric(unit="currency").pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "not an ISO 4217 currency code" in response.text
    assert not Party.objects.filter(kind="individual").exists()


def test_claim_json_ld_carries_only_web_addresses(client):
    claim = make_claim()
    Party.objects.filter(pk=claim.party_id).update(url="https://example.org/party")
    html = client.get(claim.get_absolute_url()).text
    ld = html[html.index('type="application/ld+json"') :]
    ld = ld[: ld.index("</script>")]
    assert '"url": "https://example.org/party"' in ld
    assert "javascript:" not in ld
