"""Proposals in the admin: each becomes a claim with its citation (and statistic) at once."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from claims.models import Citation, Claim, Metric, Party, PointClaim, Statistic
from claims.services import source_proposals
from sources.dates import DatePrecision
from tests.factories import make_claim, make_dispute, make_metric, make_party, make_source
from tests.test_roles import ensure_roles

pytestmark = pytest.mark.django_db

BODY = (
    "Acme answers its critics\n"
    "“We have never knowingly sold a fake,” said Jane Roe, the company’s chief executive officer.\n"
    "Takedown requests fell 25% last year, Acme said, and 97% were handled within a day.\n"
    "“The list is political,” she added."
)


@pytest.fixture
def acme():
    return make_party(name="Acme", slug="acme")


@pytest.fixture
def jane(acme):
    return make_party(name="Jane Roe", slug="jane-roe", kind="individual", affiliation=acme)


@pytest.fixture
def source(acme, jane):
    return make_source(
        title="Acme answers its critics",
        body=BODY,
        published_on=datetime.date(2018, 1, 15),
        published_precision=DatePrecision.DAY,
    )


def proposal(source, text):
    return next(i.proposal for i in source_proposals(source=source) if i.proposal.text == text)


def accept_url(source, key):
    return reverse("admin:sources_source_accept_proposal", args=[source.pk, key])


def test_the_proposals_page_lists_quotes_and_figures_with_their_speaker(client, superuser, source):
    client.force_login(superuser)
    response = client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert response.status_code == 200
    text = response.text
    assert (
        "2 quoted passages, 1 reported statement and 2 figures found in the text; "
        "0 already cited" in text
    )
    assert "Reported speech" in text and "Takedown requests fell 25% last year, Acme said" in text
    assert "<q>We have never knowingly sold a fake,</q>" not in text  # trailing comma trimmed
    assert "<q>We have never knowingly sold a fake</q>" in text
    assert "Jane Roe, Acme" in text
    assert "<mark>25%</mark>" in text
    quote = proposal(source, "The list is political")
    assert accept_url(source, quote.key) in text


def test_the_accept_form_is_pre_filled_from_the_proposal(client, superuser, source, jane, acme):
    client.force_login(superuser)
    quote = proposal(source, "We have never knowingly sold a fake")
    response = client.get(accept_url(source, quote.key))
    form = response.context["form"]
    assert form.initial["party"] == acme.pk
    assert form.initial["speaker"] == jane.pk
    assert form.initial["quote"] == "We have never knowingly sold a fake"
    assert form.initial["claimed_on"] == "2018-01-15"  # typed once, at its precision
    assert "csrfmiddlewaretoken" in response.text
    assert "<mark>We have never knowingly sold a fake</mark>" in response.text


def test_accepting_a_quote_creates_the_claim_and_its_anchored_citation(
    client, superuser, source, jane, acme
):
    client.force_login(superuser)
    quote = proposal(source, "We have never knowingly sold a fake")
    response = client.post(
        accept_url(source, quote.key),
        {
            "summary": "Acme says it never knowingly sold a fake",
            "kind": Claim.Kind.REBUTTAL,
            "party": acme.pk,
            "speaker": jane.pk,
            "claimed_on": "2018-01-15",
            "claimed_precision": "day",
            "quote": "We have never knowingly sold a fake",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(summary="Acme says it never knowingly sold a fake")
    assert (claim.party, claim.speaker, claim.kind) == (acme, jane, Claim.Kind.REBUTTAL)
    citation = claim.citations.get()
    assert (citation.source, citation.start, citation.end) == (source, quote.start, quote.end)
    assert source.body[citation.start : citation.end] == citation.quote
    listing = client.get(response.url)
    assert "1 already cited by a claim" in listing.text
    assert f"claim #{claim.pk}" in listing.text


def test_accepting_a_figure_creates_its_statistic_and_places_it_on_a_dispute(
    client, superuser, source, acme
):
    client.force_login(superuser)
    metric = make_metric(name="Change in takedown requests", unit="percent")
    dispute = make_dispute(parties=(acme, make_party()))
    point = dispute.points.get()
    figure = proposal(source, "25%")
    page = client.get(accept_url(source, figure.key))
    figure_form = page.context["form"].figure_forms[0]
    assert figure_form.initial["value"] == Decimal(-25)
    assert figure_form.initial["metric"] == metric.pk
    response = client.post(
        accept_url(source, figure.key),
        {
            "summary": "Acme says takedown requests fell 25%",
            "kind": Claim.Kind.STATISTIC,
            "party": acme.pk,
            "claimed_on": "",
            "claimed_precision": "unknown",
            "quote": "Takedown requests fell 25% last year",
            "metric": metric.pk,
            "value": "-25",
            "unit": "percent",
            "currency": "",
            "qualifier": "",
            "period_label": "last year",
            "point": point.pk,
            "side": "",
        },
    )
    assert response.status_code == 302, response.context["form"].has_errors
    claim = Claim.objects.get(summary="Acme says takedown requests fell 25%")
    statistic = claim.statistics.get()
    assert (statistic.metric, statistic.value, statistic.period_label) == (
        metric,
        Decimal(-25),
        "last year",
    )
    placement = PointClaim.objects.get(claim=claim)
    assert (placement.point, placement.side.party) == (point, acme)
    assert claim.citations.get().quote == "Takedown requests fell 25% last year"


def test_a_figure_with_a_new_metric_and_a_new_speaker_creates_both(client, superuser, source, acme):
    client.force_login(superuser)
    figure = proposal(source, "97%")
    response = client.post(
        accept_url(source, figure.key),
        {
            "summary": "Acme says 97% of requests were handled within a day",
            "kind": Claim.Kind.STATISTIC,
            "party": acme.pk,
            "new_speaker": "John Doe",
            "claimed_precision": "unknown",
            "quote": "97% were handled within a day",
            "new_metric_name": "Requests handled within a day",
            "new_metric_definition": "Share of takedown requests handled within 24 hours.",
            "value": "97",
            "unit": "percent",
        },
    )
    assert response.status_code == 302, response.context["form"].has_errors
    statistic = Statistic.objects.get(claim__summary__startswith="Acme says 97%")
    assert statistic.metric.name == "Requests handled within a day"
    assert statistic.claim.speaker.name == "John Doe"
    assert statistic.claim.speaker.affiliation == acme


def test_a_quote_edited_into_words_the_source_never_printed_is_refused_and_nothing_is_saved(
    client, superuser, source, acme
):
    client.force_login(superuser)
    quote = proposal(source, "We have never knowingly sold a fake")
    response = client.post(
        accept_url(source, quote.key),
        {
            "summary": "Misquote",
            "kind": "assertion",
            "party": acme.pk,
            "claimed_precision": "unknown",
            "quote": "We have never sold anything fake",
        },
    )
    assert response.status_code == 200
    assert "The quote is not in the source text" in response.text
    assert not Claim.objects.filter(summary="Misquote").exists()
    assert not Citation.objects.exists()


def test_a_malformed_date_on_the_accept_form_gets_a_clear_message(client, superuser, source, acme):
    client.force_login(superuser)
    quote = proposal(source, "The list is political")
    response = client.post(
        accept_url(source, quote.key),
        {
            "summary": "Acme calls the list political",
            "kind": "opinion",
            "party": acme.pk,
            "claimed_on": "2018-02-30",
            "claimed_precision": "day",
            "quote": "The list is political",
        },
    )
    assert "2018-02-30 is not a day of the calendar; type YYYY-MM-DD" in response.text
    assert not Claim.objects.exists()


def test_a_figure_without_a_metric_is_refused(client, superuser, source, acme):
    client.force_login(superuser)
    figure = proposal(source, "25%")
    response = client.post(
        accept_url(source, figure.key),
        {
            "summary": "No metric",
            "kind": "statistic",
            "party": acme.pk,
            "claimed_precision": "unknown",
            "quote": "Takedown requests fell 25% last year",
            "value": "-25",
            "unit": "percent",
        },
    )
    assert "Choose the metric, or name a new one." in response.text
    assert not Claim.objects.exists()


def test_a_proposal_already_cited_is_marked_as_accepted(client, superuser, source, acme):
    claim = make_claim(party=acme, source=source, quote="The list is political")
    client.force_login(superuser)
    response = client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert "1 already cited by a claim" in response.text
    row = response.text.split(f'id="proposal-{proposal(source, "The list is political").key}"')[1]
    assert f"claim #{claim.pk}" in row.split("</tr>")[0]


def test_a_user_without_add_claim_may_read_but_not_accept_proposals(source, django_user_model):
    reader = django_user_model.objects.create_user(
        "reader", password="pw-reader-123", is_staff=True
    )
    reader.user_permissions.add(Permission.objects.get(codename="view_source"))
    client = Client()
    client.force_login(reader)
    listing = client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert listing.status_code == 200
    assert "accepting one needs permission to add claims" in listing.text
    key = proposal(source, "The list is political").key
    assert client.get(accept_url(source, key)).status_code == 403
    assert client.post(accept_url(source, key), {"summary": "x"}).status_code == 403
    assert not Claim.objects.exists()


def staff_with(django_user_model, *codenames: str) -> Client:
    user = django_user_model.objects.create_user("limited", password="pw-limited-1", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_a_user_who_may_add_claims_but_not_citations_cannot_accept_a_proposal(
    source, acme, django_user_model
):
    client = staff_with(django_user_model, "view_source", "add_claim", "change_claim")
    listing = client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert "accepting one needs permission" in listing.text
    assert "/proposals/quote-" not in listing.text  # no accept links
    key = proposal(source, "The list is political").key
    assert client.get(accept_url(source, key)).status_code == 403
    response = client.post(
        accept_url(source, key),
        {
            "summary": "Acme calls the list political",
            "kind": "opinion",
            "party": acme.pk,
            "claimed_precision": "unknown",
            "quote": "The list is political",
        },
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_accepting_a_figure_needs_permission_to_add_statistics(source, acme, django_user_model):
    client = staff_with(django_user_model, "view_source", "add_claim", "add_citation")
    figure = proposal(source, "25%")
    assert client.get(accept_url(source, figure.key)).status_code == 403
    quote = proposal(source, "The list is political")
    assert client.get(accept_url(source, quote.key)).status_code == 200


def test_a_new_speaker_metric_or_dispute_place_is_refused_without_its_permission(
    source, acme, django_user_model
):
    client = staff_with(
        django_user_model, "view_source", "add_claim", "add_citation", "add_statistic"
    )
    point = make_dispute(parties=(acme, make_party())).points.get()
    parties, metrics = Party.objects.count(), Metric.objects.count()
    figure = proposal(source, "97%")
    response = client.post(
        accept_url(source, figure.key),
        {
            "summary": "Acme says 97% of requests were handled within a day",
            "kind": Claim.Kind.STATISTIC,
            "party": acme.pk,
            "new_speaker": "John Doe",
            "claimed_precision": "unknown",
            "quote": "97% were handled within a day",
            "new_metric_name": "Requests handled within a day",
            "new_metric_definition": "Share of takedown requests handled within 24 hours.",
            "value": "97",
            "unit": "percent",
            "point": point.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["new_speaker"] == [
        "You may not add people: choose the speaker from the list, or leave it empty."
    ]
    figure_errors = response.context["form"].figure_forms[0].errors
    assert figure_errors["new_metric_name"] == [
        "You may not add metrics: choose an existing metric."
    ]
    assert errors["point"] == [
        "You may not place claims on disputes: leave the dispute point empty."
    ]
    assert "You may not add metrics" in response.text
    assert (Party.objects.count(), Metric.objects.count()) == (parties, metrics)
    assert not Claim.objects.exists() and not PointClaim.objects.exists()


def test_an_analyst_can_accept_a_proposal(source, acme, django_user_model):
    ensure_roles()
    analyst = django_user_model.objects.create_user("ann", password="pw-analyst-1", is_staff=True)
    analyst.groups.add(Group.objects.get(name="Analyst"))
    client = Client()
    client.force_login(analyst)
    key = proposal(source, "The list is political").key
    response = client.post(
        accept_url(source, key),
        {
            "summary": "Acme calls the list political",
            "kind": "opinion",
            "party": acme.pk,
            "claimed_precision": "unknown",
            "quote": "The list is political",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.filter(summary="Acme calls the list political").exists()


def test_accepting_requires_a_csrf_token(source, superuser, acme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    key = proposal(source, "The list is political").key
    response = client.post(
        accept_url(source, key),
        {"summary": "x", "kind": "opinion", "party": acme.pk, "quote": "The list is political"},
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_a_stale_proposal_key_sends_the_analyst_back_to_the_current_proposals(
    client, superuser, source
):
    client.force_login(superuser)
    response = client.get(accept_url(source, "quote-9999-10000"), follow=True)
    assert "no longer in the source text" in response.text
    assert response.redirect_chain[-1][0] == reverse(
        "admin:sources_source_proposals", args=[source.pk]
    )
