"""Intake in the admin: one article is one source whatever its URL's spelling or the page
chrome around its text; dates typed once at their precision; clean messages."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Claim
from sources.dates import DatePrecision
from sources.intake import canonical_url
from sources.models import Source
from tests.factories import make_claim, make_party, make_source

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:sources_source_add")
EXISTING_URL = "https://news.example.org/2018/acme-denies"
ARTICLE = (
    "Acme denies everything. “We have never sold a fake,” said Jane Roe, the chief executive "
    "officer of the company, at a meeting with reporters in Hangzhou on Tuesday. Takedown "
    "requests fell 25% last year, the company said in a statement released the same day."
)


def form_data(**overrides) -> dict:
    data = {
        "title": "Acme denies everything, again",
        "slug": "",
        "kind": Source.Kind.ARTICLE,
        "author": "",
        "url": "https://other.example.org/new-article",
        "published_on": "2018-05-22",
        "date_note": "",
        "body": "A wholly different article about tariffs, quotas and the customs union.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def existing(db) -> Source:
    return make_source(title="Acme denies", slug="acme-denies", url=EXISTING_URL, body=ARTICLE)


@pytest.mark.parametrize(
    "variant",
    [
        "http://news.example.org/2018/acme-denies",
        "https://NEWS.Example.ORG/2018/acme-denies",
        "https://www.news.example.org/2018/acme-denies",
        "https://news.example.org/2018/acme-denies/",
        "https://news.example.org/2018/acme-denies?utm_source=twitter&utm_medium=social",
        "https://news.example.org/2018/acme-denies?fbclid=IwAR0abc",
        "https://news.example.org/2018/acme-denies?gclid=xyz&mc_cid=1&mc_eid=2&ref=home",
        "https://news.example.org/2018/acme-denies#comments",
        "https://news.example.org:443/2018/acme-denies",
    ],
)
def test_each_spelling_of_an_existing_url_is_refused_with_a_link_to_it(
    client, superuser, existing, variant
):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(url=variant))
    assert response.status_code == 200
    assert Source.objects.count() == 1
    assert "already in the database" in response.text
    assert f'<a href="{existing.get_admin_url()}">Acme denies</a>' in response.text


def test_a_different_page_of_the_same_site_is_not_a_duplicate(client, superuser, existing):
    client.force_login(superuser)
    url = "https://news.example.org/2018/acme-denies?page=2"
    response = client.post(ADD_URL, form_data(url=url))
    assert response.status_code == 302
    assert Source.objects.get(url=url).url_canonical == "news.example.org/2018/acme-denies?page=2"


def test_the_canonical_form_keeps_what_names_the_page_and_drops_the_rest():
    assert canonical_url("HTTPS://www.Example.org/a/b/?z=1&utm_campaign=x&a=2#top") == (
        "example.org/a/b?a=2&z=1"
    )
    assert canonical_url("") == ""


def test_a_source_stores_its_canonical_url_when_saved(existing):
    assert existing.url_canonical == "news.example.org/2018/acme-denies"


def test_the_same_text_with_page_chrome_around_it_is_flagged_with_a_link(
    client, superuser, existing
):
    client.force_login(superuser)
    chrome = f"Home | World | Business\nSubscribe now\n\n{ARTICLE}\n\nShare this  article\n© News"
    response = client.post(ADD_URL, form_data(body=chrome))
    assert response.status_code == 200
    assert "nearly the same as" in response.text
    assert f'<a href="{existing.get_admin_url()}">Acme denies</a>' in response.text
    assert Source.objects.count() == 1


def test_a_nearly_identical_text_is_saved_when_the_analyst_ticks_save_anyway(
    client, superuser, existing
):
    client.force_login(superuser)
    chrome = f"Menu\n{ARTICLE.upper()}\nRelated stories"
    response = client.post(ADD_URL, form_data(body=chrome, save_anyway="on"))
    assert response.status_code == 302
    assert Source.objects.count() == 2


def test_an_unrelated_text_is_not_flagged(client, superuser, existing):
    client.force_login(superuser)
    assert client.post(ADD_URL, form_data()).status_code == 302


@pytest.mark.parametrize(
    ("typed", "date", "precision"),
    [
        ("2018", datetime.date(2018, 1, 1), DatePrecision.YEAR),
        ("2018-05", datetime.date(2018, 5, 1), DatePrecision.MONTH),
        ("2018-05-22", datetime.date(2018, 5, 22), DatePrecision.DAY),
        ("", None, DatePrecision.UNKNOWN),
    ],
)
def test_the_source_date_is_typed_once_and_its_precision_read_from_it(
    client, superuser, typed, date, precision
):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(published_on=typed))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.published_on, source.published_precision) == (date, precision)


def test_a_day_first_date_is_refused_with_the_formats_to_type(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(published_on="16/01/2018"))
    assert response.status_code == 200
    assert "type YYYY-MM-DD (2018-05-22), YYYY-MM (2018-05) or YYYY (2018)" in response.text
    assert not Source.objects.exists()


def test_a_future_date_is_still_refused(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD_URL, form_data(published_on="2999-01"))
    assert response.status_code == 200
    assert "in the future" in response.text


def test_the_change_form_shows_a_month_date_as_the_month(client, superuser):
    source = make_source(published_on=datetime.date(2018, 5, 1), published_precision="month")
    client.force_login(superuser)
    response = client.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert 'value="2018-05"' in response.text
    assert "id_published_precision" not in response.text


def claim_post(claim: Claim, **overrides) -> dict:
    citation = claim.citations.get()
    data = {
        "summary": claim.summary,
        "kind": claim.kind,
        "party": claim.party_id,
        "claimed_on": "2018",
        "date_note": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-quote": citation.quote,
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("statistics", "relations_from", "placements")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "date", "precision"),
    [
        ("2017", datetime.date(2017, 1, 1), DatePrecision.YEAR),
        ("2017-03", datetime.date(2017, 3, 1), DatePrecision.MONTH),
        ("2017-03-09", datetime.date(2017, 3, 9), DatePrecision.DAY),
    ],
)
def test_the_claim_date_in_the_claim_admin_is_typed_once_at_its_precision(
    client, superuser, typed, date, precision
):
    claim = make_claim()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, claim_post(claim, claimed_on=typed))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.claimed_on, claim.claimed_precision) == (date, precision)


def test_the_claim_admin_refuses_a_day_first_date_with_the_formats(client, superuser):
    claim = make_claim()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, claim_post(claim, claimed_on="16/01/2018"))
    assert response.status_code == 200
    assert "YYYY-MM-DD" in response.text and "YYYY-MM" in response.text


def test_an_edited_quote_not_in_the_source_shows_only_the_field_message(client, superuser):
    claim = make_claim()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = claim_post(claim, **{"citations-0-quote": "Words that the article never printed"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is violated" not in response.text
    assert "citation_start_before_end" not in response.text
    assert "errorlist nonfield" not in response.text


def test_a_new_citation_with_a_quote_not_in_the_source_shows_only_the_field_message(
    client, superuser
):
    source = make_source()
    client.force_login(superuser)
    data = {
        "summary": "A new claim",
        "kind": "assertion",
        "party": make_party().pk,
        "claimed_on": "2018-01",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-quote": "Words that the article never printed",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("statistics", "relations_from", "placements")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    assert "is violated" not in response.text
    assert not Claim.objects.filter(summary="A new claim").exists()
