"""Corroboration: a proposal that repeats a recorded claim becomes a citation of it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.extraction.types import Proposal
from claims.matching import CLEAR_SCORE, ClaimMatcher
from claims.models import Citation, Claim, Statistic
from claims.services import add_citation_from_proposal, source_proposals
from tests.factories import make_claim, make_metric, make_party, make_source

pytestmark = pytest.mark.django_db

STATEMENT = "Inspections have doubled while seizures have not grown at all"
FIRST = f"“{STATEMENT},” the Coastal Shipping Alliance said on Monday."
SECOND = (
    "Shippers are angry. "
    f"“{STATEMENT},” the Coastal Shipping Alliance said in a statement to reporters."
)


@dataclass(frozen=True)
class PeriodProposal(Proposal):
    """A proposal with the period fields the improved extractor adds."""

    period: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@pytest.fixture
def alliance():
    return make_party(name="Coastal Shipping Alliance", slug="coastal-shipping-alliance")


@pytest.fixture
def recorded(alliance):
    first = make_source(title="Shippers protest", body=FIRST)
    return make_claim(party=alliance, source=first, quote=STATEMENT, summary="Alliance: doubled")


@pytest.fixture
def second_source():
    return make_source(title="Inspections row grows", body=SECOND)


def item_for(source, text):
    return next(i for i in source_proposals(source=source) if i.proposal.text == text)


def test_the_same_words_from_another_outlet_are_a_clear_match_of_the_recorded_claim(
    recorded, second_source
):
    item = item_for(second_source, STATEMENT)
    assert item.clear_match is not None
    assert item.clear_match.claim == recorded
    assert item.clear_match.score >= CLEAR_SCORE


def test_the_clear_match_is_the_accept_forms_default_choice(
    client, superuser, recorded, second_source
):
    client.force_login(superuser)
    key = item_for(second_source, STATEMENT).proposal.key
    url = reverse("admin:sources_source_accept_proposal", args=[second_source.pk, key])
    page = client.get(url)
    assert page.context["form"].initial["action"] == str(recorded.pk)
    assert f"Add as a citation of claim #{recorded.pk}" in page.text


def test_accepting_as_a_citation_adds_the_source_to_the_claim_instead_of_a_duplicate(
    client, superuser, recorded, second_source
):
    client.force_login(superuser)
    key = item_for(second_source, STATEMENT).proposal.key
    url = reverse("admin:sources_source_accept_proposal", args=[second_source.pk, key])
    response = client.post(url, {"action": str(recorded.pk), "quote": STATEMENT}, follow=True)
    assert "reported by 2 sources" in response.text
    assert Claim.objects.count() == 1
    citation = recorded.citations.get(source=second_source)
    assert second_source.body[citation.start : citation.end] == STATEMENT
    assert item_for(second_source, STATEMENT).is_accepted
    public = client.get(recorded.get_absolute_url())
    assert "Reported by 2 sources" in public.text


def test_the_same_words_from_another_party_are_not_offered(recorded, second_source):
    body = f"“{STATEMENT},” the Harbor Ports Authority said."
    other = make_party(name="Harbor Ports Authority", slug="harbor-ports-authority")
    source = make_source(body=body)
    item = item_for(source, STATEMENT)
    assert item.proposal.party_id == other.pk
    assert item.matches == ()


def test_a_different_statement_of_the_same_party_is_not_a_match(recorded, alliance):
    source = make_source(body="“We will appeal every fine,” the Coastal Shipping Alliance said.")
    assert item_for(source, "We will appeal every fine").matches == ()


def test_a_few_shared_words_are_offered_but_never_chosen_for_the_analyst(alliance):
    first = make_source(body="“We reject it,” the Coastal Shipping Alliance said.")
    make_claim(party=alliance, source=first, quote="We reject it")
    source = make_source(body="“We reject it,” the Coastal Shipping Alliance said again.")
    item = item_for(source, "We reject it")
    assert [m.score for m in item.matches] == [100]
    assert item.clear_match is None


def test_a_quote_not_in_the_source_shows_only_its_own_message(recorded, second_source):
    with pytest.raises(ValidationError) as caught:
        add_citation_from_proposal(claim=recorded, source=second_source, quote="Never said this")
    assert list(caught.value.message_dict) == ["quote"]
    assert "Constraint" not in str(caught.value)
    assert recorded.citations.count() == 1


def figure(metric, value="48000", period="2018", party=None, **kwargs):
    return PeriodProposal(
        kind="figure",
        text="48,000 containers",
        start=0,
        end=17,
        value=Decimal(value),
        unit="count",
        metric_id=metric.pk,
        party_id=party.pk if party else None,
        period=period,
        **kwargs,
    )


@pytest.fixture
def inspected():
    authority = make_party(name="Harbor Ports Authority", slug="harbor-ports-authority")
    metric = make_metric(name="Containers inspected", unit="count")
    claim = make_claim(party=authority, summary="Authority: 48,000 inspected")
    Statistic.objects.create(
        claim=claim, metric=metric, value=48000, unit="count", period_label="2018"
    )
    return authority, metric, claim


def test_a_figure_with_the_same_metric_value_and_period_is_a_clear_match(inspected):
    authority, metric, claim = inspected
    source = make_source()
    proposal = figure(metric, party=authority)
    [match] = ClaimMatcher([proposal], source=source).match(proposal)
    assert (match.claim, match.is_clear) == (claim, True)
    dated = figure(
        metric,
        period="",
        party=authority,
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2018, 12, 31),
    )
    assert ClaimMatcher([dated], source=source).match(dated)[0].is_clear  # the same period


def test_a_figure_for_another_period_or_from_another_party_is_offered_not_chosen(inspected):
    authority, metric, claim = inspected
    source = make_source()
    for proposal in (
        figure(metric, period="2017", party=authority),
        figure(metric, period="", party=authority),
        figure(metric, party=make_party()),  # corroboration by another party: its own claim
    ):
        [match] = ClaimMatcher([proposal], source=source).match(proposal)
        assert (match.claim, match.is_clear) == (claim, False)
    different = figure(metric, value="47000", party=authority)
    assert ClaimMatcher([different], source=source).match(different) == []


def test_the_same_figure_from_another_party_agrees_on_the_metric_page(client, inspected):
    _, metric, _ = inspected
    other = make_claim(party=make_party(name="Port Watch"), summary="Port Watch: 48,000")
    Statistic.objects.create(
        claim=other, metric=metric, value=48000, unit="count", period_label="2018"
    )
    page = client.get(metric.get_absolute_url())
    assert "Agree" in page.text
    assert "The same value, reported independently: the figure is corroborated." in page.text


def test_matching_costs_the_same_queries_however_many_claims_exist(
    django_assert_max_num_queries, recorded, second_source, alliance
):
    def queries_for_proposals() -> int:
        with CaptureQueriesContext(connection) as captured:
            source_proposals(source=second_source)
        return len(captured)

    few = queries_for_proposals()
    for n in range(30):
        make_claim(party=alliance, quote="We reject the listing entirely", summary=f"Other {n}")
    assert queries_for_proposals() == few
    with django_assert_max_num_queries(6):
        source_proposals(source=second_source)
    assert Citation.objects.count() == 31
