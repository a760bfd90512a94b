"""A corrected source body: citations are found again, or kept and flagged for review."""

import pytest
from django.urls import reverse

from claims.models import Citation
from claims.services import reanchor_source
from tests.factories import make_claim, make_source

pytestmark = pytest.mark.django_db

BODY = (
    "Intro line. “We reject the listing entirely,” the company said. "
    "Takedown requests fell 25% last year. Critics disagree."
)


def cite(source, quote):
    return make_claim(source=source, quote=quote).citations.get()


def test_editing_the_body_moves_every_citation_to_its_new_place():
    source = make_source(body=BODY)
    rejection = cite(source, "We reject the listing entirely")
    figure = cite(source, "Takedown requests fell 25% last year")
    source.body = "A new first paragraph was added.\n\n" + BODY
    source.save()
    for citation in (rejection, figure):
        old_start = citation.start
        citation.refresh_from_db()
        assert citation.start == old_start + len("A new first paragraph was added.\n\n")
        assert source.body[citation.start : citation.end] == citation.quote
        assert not citation.needs_review
    assert len(source.change_reports[0].moved) == 2


def test_a_quote_found_only_after_normalising_is_re_anchored_to_the_new_exact_text():
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    source.body = BODY.replace("We reject the listing entirely", "We  reject the listing\nentirely")
    source.save()
    citation.refresh_from_db()
    assert citation.quote == "We  reject the listing\nentirely"
    assert source.body[citation.start : citation.end] == citation.quote
    assert not citation.needs_review


def test_the_stored_context_chooses_among_repeated_passages():
    body = "First: “we disagree” said A. Second: “we disagree” said B."
    source = make_source(body=body)
    citation = make_claim(source=source, quote="we disagree").citations.get()
    second = body.rindex("we disagree")
    Citation.objects.filter(pk=citation.pk).update(
        start=second, end=second + 11, prefix=body[second - 20 : second], suffix="” said B."
    )
    source.body = "Preface. " + body
    source.save()
    citation.refresh_from_db()
    assert citation.start == second + len("Preface. ")
    assert citation.suffix.startswith("” said B.")


def test_a_quote_no_longer_in_the_body_is_kept_and_flagged_never_deleted():
    source = make_source(body=BODY)
    kept = cite(source, "Takedown requests fell 25% last year")
    lost = cite(source, "We reject the listing entirely")
    old = (lost.quote, lost.start, lost.end)
    source.body = BODY.replace("We reject the listing entirely", "We accept the listing")
    source.save()
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.needs_review
    assert (lost.quote, lost.start, lost.end) == old
    assert not kept.needs_review
    assert source.body[kept.start : kept.end] == kept.quote
    assert [c.pk for c in source.change_reports[0].flagged] == [lost.pk]
    assert Citation.objects.filter(source=source).count() == 2


def test_a_flagged_citation_is_restored_when_the_text_comes_back():
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    source.body = BODY.replace("We reject", "We accept")
    source.save()
    source.body = BODY
    source.save()
    citation.refresh_from_db()
    assert not citation.needs_review
    assert [c.pk for c in source.change_reports[0].restored] == [citation.pk]


def test_a_queryset_save_of_the_body_outside_the_admin_re_anchors_too():
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    source.body = "Prefix. " + BODY
    source.save(update_fields=["body"])
    citation.refresh_from_db()
    source.refresh_from_db()
    assert citation.start == BODY.index("We reject") + len("Prefix. ")
    assert source.body_sha256 != ""


def test_saving_without_a_body_change_leaves_citations_alone():
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    history = citation.history.count()
    source.title = "Renamed"
    source.save()
    assert source.change_reports == ()
    assert citation.history.count() == history


def test_reanchor_source_can_be_called_directly_and_reports_nothing_to_do():
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    result = reanchor_source(source=source)
    assert [c.pk for c in result.unchanged] == [citation.pk]
    assert result.moved == result.flagged == []


def test_the_admin_warns_about_flagged_citations_after_a_body_edit(client, superuser):
    client.force_login(superuser)
    source = make_source(body=BODY, url="https://example.org/body-edit")
    lost = cite(source, "We reject the listing entirely")
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = {
        "title": source.title,
        "slug": source.slug,
        "kind": source.kind,
        "author": "",
        "url": source.url,
        "published_on": "2018-01-15",
        "published_precision": "day",
        "date_note": "",
        "body": BODY.replace("We reject the listing entirely", "We welcome the listing"),
    }
    response = client.post(url, data, follow=True)
    text = response.text
    assert "1 citation(s) could not be found in the corrected text" in text
    assert f"claim #{lost.claim_id} “We reject the listing entirely”" in text
    review = (
        f"{reverse('admin:claims_citation_changelist')}?needs_review=yes&amp;source__id__exact="
    )
    assert review in text
    lost.refresh_from_db()
    assert lost.needs_review


def test_the_citation_list_has_a_needs_review_filter(client, superuser):
    client.force_login(superuser)
    source = make_source(body=BODY)
    lost = cite(source, "We reject the listing entirely")
    fine = make_claim(summary="Still anchored").citations.get()
    source.body = BODY.replace("We reject", "We accept")
    source.save()
    response = client.get(reverse("admin:claims_citation_changelist"), {"needs_review": "yes"})
    assert "Needs review" in response.text
    listed = [c.pk for c in response.context["cl"].result_list]
    assert listed == [lost.pk]
    assert fine.pk not in listed


# ---------------------------------------------------------------------------------------
# A flagged citation in the claim's admin form
# ---------------------------------------------------------------------------------------


def flagged_citation() -> Citation:
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    source.body = BODY.replace("We reject the listing entirely", "We accept the listing")
    source.save()
    citation.refresh_from_db()
    assert citation.needs_review
    return citation


def claim_change(client, citation: Citation, *, summary: str, quote: str | None = None):
    claim = citation.claim
    data = {
        "summary": summary,
        "kind": claim.kind,
        "party": claim.party_id,
        "claimed_on": "2018-01-01",
        "claimed_precision": "month",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-quote": citation.quote if quote is None else quote,
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("statistics", "relations_from", "placements")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    return client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)


def test_a_claim_whose_citation_is_flagged_can_still_be_saved_in_the_admin(client, superuser):
    citation = flagged_citation()
    before = (citation.quote, citation.start, citation.end, citation.prefix, citation.suffix)
    client.force_login(superuser)
    response = claim_change(client, citation, summary="A corrected summary")
    assert response.status_code == 302, response.context["errors"]
    citation.refresh_from_db()
    assert citation.claim.summary == "A corrected summary"
    assert citation.needs_review
    assert (citation.quote, citation.start, citation.end, citation.prefix, citation.suffix) == (
        before
    )


def test_a_flagged_citation_keeps_its_flag_when_its_claim_is_saved_unchanged(client, superuser):
    source = make_source(body=BODY)
    citation = cite(source, "We reject the listing entirely")
    Citation.objects.filter(pk=citation.pk).update(needs_review=True)  # flagged by the system
    client.force_login(superuser)
    assert claim_change(client, citation, summary="Another summary").status_code == 302
    citation.refresh_from_db()
    assert citation.needs_review


def test_editing_a_flagged_quote_to_words_in_the_text_re_anchors_it_and_clears_the_flag(
    client, superuser
):
    citation = flagged_citation()
    client.force_login(superuser)
    response = claim_change(
        client, citation, summary=citation.claim.summary, quote="We accept the listing"
    )
    assert response.status_code == 302, response.context["errors"]
    citation.refresh_from_db()
    assert not citation.needs_review
    assert citation.quote == "We accept the listing"
    assert citation.source.body[citation.start : citation.end] == "We accept the listing"


def test_editing_a_flagged_quote_to_words_not_in_the_text_is_refused(client, superuser):
    citation = flagged_citation()
    client.force_login(superuser)
    response = claim_change(
        client, citation, summary=citation.claim.summary, quote="We adore the listing"
    )
    assert response.status_code == 200
    assert "not in the source text" in response.text
    citation.refresh_from_db()
    assert (citation.quote, citation.needs_review) == ("We reject the listing entirely", True)


def test_the_claim_form_shows_the_flag_but_does_not_let_anyone_clear_it(client, superuser):
    citation = flagged_citation()
    client.force_login(superuser)
    page = client.get(reverse("admin:claims_claim_change", args=[citation.claim_id]))
    assert "needs review" in page.text
    assert 'name="citations-0-needs_review"' not in page.text
