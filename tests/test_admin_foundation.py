"""The admin is usable for every model: lists, search, change forms, marked source text."""

import pytest
from django.contrib import admin
from django.urls import reverse

from claims.models import Citation
from sources.models import Source
from tests.factories import make_claim, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_model_has_a_working_list_and_add_page(client, superuser, model):
    client.force_login(superuser)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert str(opts.verbose_name_plural).lower() in changelist.text.lower()
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    if opts.app_label == "axes":
        # Login attempts are written by logins only; an administrator may delete them.
        assert add.status_code == 403
        return
    assert add.status_code == 200
    assert "csrfmiddlewaretoken" in add.text


def test_claim_search_finds_a_claim_by_words_of_its_quote(client, superuser):
    client.force_login(superuser)
    make_claim(summary="Company rejects listing", quote="We reject the listing entirely")
    make_claim(summary="Unrelated", quote="Takedown requests fell 25% last year")
    response = client.get(reverse("admin:claims_claim_changelist"), {"q": "reject the listing"})
    assert "Company rejects listing" in response.text
    assert "Unrelated" not in response.text


def test_claim_page_shows_citations_and_statistics_inline(client, superuser):
    client.force_login(superuser)
    claim = make_claim()
    response = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "citations-TOTAL_FORMS" in response.text
    assert "statistics-TOTAL_FORMS" in response.text
    assert "We reject the listing entirely" in response.text


def test_source_page_marks_the_cited_passages_and_escapes_the_text(client, superuser):
    client.force_login(superuser)
    source = make_source(body="<b>bold</b> “We reject the listing entirely,” said the firm.")
    make_claim(source=source, quote="We reject the listing entirely")
    response = client.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert "<mark" in response.text
    assert "We reject the listing entirely</mark>" in response.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in response.text


def test_adding_a_citation_with_a_wrong_quote_in_the_admin_shows_the_closest_passage(
    client, superuser
):
    client.force_login(superuser)
    claim = make_claim()
    source = claim.citations.get().source
    existing = claim.citations.get()
    url = reverse("admin:claims_citation_add")
    response = client.post(
        url, {"claim": claim.pk, "source": source.pk, "quote": "We rejected the listing entirely"}
    )
    assert response.status_code == 200
    assert "not in the source text" in response.text
    assert "We reject the listing entirely" in response.text
    assert list(Citation.objects.values_list("pk", flat=True)) == [existing.pk]


def test_deleting_a_cited_source_in_the_admin_is_refused_with_an_explanation(client, superuser):
    client.force_login(superuser)
    claim = make_claim()
    source = claim.citations.get().source
    url = reverse("admin:sources_source_delete", args=[source.pk])
    page = client.get(url)
    assert "would require deleting the following protected related objects" in page.text
    client.post(url, {"post": "yes"})
    assert Source.objects.filter(pk=source.pk).exists()


def test_party_autocomplete_answers_with_matching_parties(client, superuser):
    client.force_login(superuser)
    claim = make_claim()
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": claim.party.name[:5],
            "app_label": "claims",
            "model_name": "claim",
            "field_name": "party",
        },
    )
    assert claim.party.name in {r["text"] for r in response.json()["results"]}


def test_source_page_marks_overlapping_passages_and_lists_flagged_ones(client, superuser):
    client.force_login(superuser)
    body = "Officials said the market is notorious for fakes and the market is growing."
    source = make_source(body=body)
    wide = make_claim(source=source, quote="the market is notorious for fakes").citations.get()
    inner = make_claim(source=source, quote="notorious for fakes and the market").citations.get()
    lost = make_claim(source=source, quote="is growing").citations.get()
    Citation.objects.filter(pk=lost.pk).update(needs_review=True)
    response = client.get(reverse("admin:sources_source_change", args=[source.pk]))
    text = response.text
    assert f'id="citation-{wide.pk}"' in text
    assert f'id="citation-{inner.pk}"' in text
    assert f'id="citation-{lost.pk}"' not in text
    assert f"<strong>Needs review:</strong> claim #{lost.claim_id} “is growing”" in text
