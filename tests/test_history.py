"""Every change is kept with who made it; a published claim's corrections are public."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from claims.history import HISTORY_MODELS, public_corrections, record_baseline_history
from claims.models import Assessment, Citation, Claim, Statistic
from claims.services import source_proposals
from sources.models import Source
from tests.factories import make_claim, make_metric, make_party, make_source, make_statistic

pytestmark = pytest.mark.django_db

BODY = (
    "“We reject the listing entirely,” the company said. "
    "Takedown requests fell 25% last year and 42% the year before."
)


def last_user(obj) -> str:
    return obj.history.latest("history_date").history_user.username


def test_changing_a_source_in_the_admin_records_who_changed_it(client, superuser):
    client.force_login(superuser)
    source = make_source()
    client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        {
            "title": "Corrected title",
            "slug": source.slug,
            "kind": source.kind,
            "url": source.url,
            "published_on": "2018-01-15",
            "published_precision": "day",
            "body": source.body,
        },
    )
    record = source.history.latest("history_date")
    assert record.title == "Corrected title"
    assert record.history_user == superuser
    assert record.history_type == "~"


def test_changing_a_claim_in_the_admin_records_who_changed_it(client, superuser):
    client.force_login(superuser)
    claim = make_claim()
    inline = {
        f"{prefix}-{key}": value
        for prefix in ("statistics", "relations_from", "placements")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }
    citation = claim.citations.get()
    inline.update(  # a claim keeps at least one citation: its form is posted as it is
        {
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "1",
            "citations-0-id": citation.pk,
            "citations-0-claim": claim.pk,
            "citations-0-source": citation.source_id,
            "citations-0-quote": citation.quote,
        }
    )
    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "summary": "A corrected summary",
            "kind": claim.kind,
            "party": claim.party_id,
            "claimed_on": "2018-01-01",
            "claimed_precision": "month",
            **inline,
        },
    )
    assert response.status_code == 302
    record = claim.history.latest("history_date")
    assert (record.summary, record.history_user) == ("A corrected summary", superuser)


def test_changing_a_citation_a_statistic_and_an_assessment_records_the_user(client, superuser):
    client.force_login(superuser)
    source = make_source(body=BODY)
    statistic = make_statistic(
        claim=make_claim(source=source, quote="Takedown requests fell 25% last year")
    )
    citation = statistic.claim.citations.get()
    client.post(
        reverse("admin:claims_citation_change", args=[citation.pk]),
        {"claim": citation.claim_id, "source": source.pk, "quote": "Takedown requests fell 25%"},
    )
    client.post(
        reverse("admin:claims_statistic_change", args=[statistic.pk]),
        {
            "claim": statistic.claim_id,
            "metric": statistic.metric_id,
            "value": "-42",
            "unit": "percent",
            "currency": "",
            "qualifier": "",
        },
    )
    assessment = Assessment.objects.create(claim=statistic.claim, rating="mixed", rationale="R.")
    client.post(
        reverse("admin:claims_assessment_change", args=[assessment.pk]),
        {"claim": statistic.claim_id, "rating": "misleading", "rationale": "Changed."},
    )
    citation.refresh_from_db()
    statistic.refresh_from_db()
    assessment.refresh_from_db()
    assert citation.quote == "Takedown requests fell 25%"
    assert statistic.value == Decimal("-42")
    assert assessment.rating == "misleading"
    for obj in (citation, statistic, assessment):
        assert last_user(obj) == superuser.username


def test_accepting_a_proposal_records_the_analyst_on_claim_citation_and_statistic(
    client, superuser
):
    party = make_party(name="Acme", slug="acme")
    metric = make_metric(name="Takedown requests change", unit="percent")
    source = make_source(body="Acme said takedown requests fell 25% last year.")
    figure = next(i.proposal for i in source_proposals(source=source) if i.proposal.text == "25%")
    client.force_login(superuser)
    client.post(
        reverse("admin:sources_source_accept_proposal", args=[source.pk, figure.key]),
        {
            "summary": "Acme: requests fell 25%",
            "kind": "statistic",
            "party": party.pk,
            "claimed_precision": "unknown",
            "quote": "takedown requests fell 25% last year",
            "metric": metric.pk,
            "value": "-25",
            "unit": "percent",
        },
    )
    citation = Citation.objects.get(claim__summary="Acme: requests fell 25%")
    for obj in (citation.claim, citation, citation.claim.statistics.get()):
        record = obj.history.get()
        assert (record.history_type, record.history_user) == ("+", superuser)


def test_the_admin_history_page_shows_who_changed_what(client, superuser):
    client.force_login(superuser)
    source = make_source()
    source.title = "Second title"
    source._history_user = superuser
    source.save()
    response = client.get(reverse("admin:sources_source_history", args=[source.pk]))
    assert response.status_code == 200
    assert superuser.username in response.text
    assert "Second title" in response.text


def test_re_anchoring_after_a_body_correction_is_recorded_as_well():
    source = make_source(body=BODY)
    citation = make_claim(source=source, quote="We reject the listing entirely").citations.get()
    source.body = "Correction appended above. " + BODY
    source.save()
    assert source.history.count() == 2
    assert citation.history.count() == 2
    assert citation.history.latest("history_date").start == citation.start + len(
        "Correction appended above. "
    )


# ---------------------------------------------------------------------------------------
# Public corrections
# ---------------------------------------------------------------------------------------


@pytest.fixture
def published():
    source = make_source(body=BODY)
    claim = make_claim(
        source=source,
        quote="We reject the listing entirely",
        claimed_on=datetime.date(2018, 1, 1),
        claimed_precision="month",
    )
    return claim


def test_a_claim_never_changed_has_no_corrections(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert public_corrections(published) == []


def test_changes_to_quote_date_party_and_figure_are_listed_in_plain_language(
    published, django_assert_max_num_queries
):
    claim = published
    citation = claim.citations.get()
    statistic = make_statistic(claim=claim, value=Decimal("-25"))
    old_party = claim.party.name

    citation.quote = "We reject the listing entirely,” the company said"
    citation.full_clean()
    citation.save()
    claim.claimed_on, claim.claimed_precision = datetime.date(2018, 1, 15), "day"
    claim.party = make_party(name="Acme Holdings")
    claim.save()
    statistic.value = Decimal("-42")
    statistic.save()

    # + the histories of its parties and of its figures' metrics, for renames.
    with django_assert_max_num_queries(7):
        corrections = public_corrections(claim)
    today = timezone.now()
    day = f"{today.day} {today:%b %Y}"
    described = [str(c) for c in corrections]
    assert described == [
        f"Quote corrected on {day}: was “We reject the listing entirely”, "
        "now “We reject the listing entirely,” the company said”.",
        f"Date corrected on {day}: was Jan 2018, now 15 Jan 2018.",
        f"Party corrected on {day}: was {old_party}, now Acme Holdings.",
        f"Figure corrected on {day}: was {statistic.metric.name}: -25%, "
        f"now {statistic.metric.name}: -42%.",
    ]
    assert corrections[0].description == f"Quote corrected on {day}"


def test_adding_a_source_or_re_anchoring_is_not_a_correction(published):
    make_claim(summary="other")  # unrelated noise
    source = published.citations.get().source
    source.body = "Prepended. " + source.body
    source.save()  # moves the citation: offsets change, the quote does not
    second = make_source(body="Elsewhere: “We reject the listing entirely,” it said.")
    Citation(claim=published, source=second, quote="We reject the listing entirely").save()
    published.summary = "A better summary"
    published.save()
    assert public_corrections(published) == []


def test_a_withdrawn_quote_is_listed(published):
    second = make_source(body="Elsewhere: “We reject the listing entirely,” it said.")
    extra = Citation(claim=published, source=second, quote="We reject the listing entirely")
    extra.save()
    extra.delete()
    (correction,) = public_corrections(published)
    assert str(correction).startswith("Quote withdrawn on ")
    assert "“We reject the listing entirely”" in str(correction)


def test_the_corrections_partial_renders_an_aside_with_a_heading(published):
    claim = published
    claim.claimed_on, claim.claimed_precision = datetime.date(2018, 1, 15), "day"
    claim.save()
    html = render_to_string("claims/_corrections.html", {"corrections": public_corrections(claim)})
    assert '<aside class="corrections" aria-labelledby="corrections-heading">' in html
    assert '<h2 id="corrections-heading">Corrections</h2>' in html
    assert "<strong>Date corrected</strong>" in html
    assert "was <del>Jan 2018</del>, now <ins>15 Jan 2018</ins>" in html
    assert "style=" not in html and "<script" not in html
    assert render_to_string("claims/_corrections.html", {"corrections": []}).strip() == ""


def test_the_seed_command_gives_every_seeded_object_its_first_history_record():
    call_command("seed", verbosity=0)
    for model in HISTORY_MODELS:
        history = get_history_manager_for_model(model)
        assert history.filter(history_type="+").count() == model._default_manager.count()
    for model in (Source, Claim, Citation, Statistic):
        assert model.objects.exists()
    assert record_baseline_history() == {model.__name__: 0 for model in HISTORY_MODELS}


def test_a_correction_to_a_seeded_claim_is_shown_on_its_permalink(seeded, client):
    claim = Claim.objects.filter(claimed_on__isnull=False).order_by("pk").first()
    citation = claim.citations.order_by("pk").first()
    old_quote = citation.quote
    citation.quote = " ".join(old_quote.split()[:5])
    citation.full_clean()
    citation.save()
    claim.claimed_on, claim.claimed_precision = datetime.date(2001, 1, 1), "year"
    claim.full_clean()
    claim.save()

    corrections = {c.what: c for c in public_corrections(claim)}
    assert set(corrections) == {"Quote", "Date"}
    assert corrections["Quote"].old == f"“{old_quote}”"
    assert corrections["Date"].new == "2001"
    page = client.get(claim.get_absolute_url())
    assert page.status_code == 200
    assert '<h2 id="corrections-heading">Corrections</h2>' in page.text
    assert "<strong>Quote corrected</strong>" in page.text
    assert "<strong>Date corrected</strong>" in page.text
