"""Analysts build disputes in the admin (sides, points, placements from the claim's page);
only editors delete a dispute."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from claims.models import Claim, Dispute, PointClaim
from tests.factories import make_claim, make_dispute, make_party

pytestmark = pytest.mark.django_db

ROLES = importlib.import_module("claims.migrations.0003_roles")
DISPUTE_BUILDING = importlib.import_module("claims.migrations.0007_analysts_build_disputes")


@pytest.fixture(autouse=True)
def roles(db) -> None:
    # Transactional tests flush the groups; make them again as the migrations do.
    ROLES.create_roles(apps, None)
    DISPUTE_BUILDING.grant(apps, None)


def member_of(django_user_model, group: str) -> Client:
    user = django_user_model.objects.create_user(
        username=group.lower(), password="correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(django_user_model) -> Client:
    return member_of(django_user_model, "Analyst")


@pytest.fixture
def editor(django_user_model) -> Client:
    return member_of(django_user_model, "Editor")


def place_from_claim_admin(client: Client, claim: Claim, point, side):
    citation = claim.citations.get()
    data = {
        "summary": claim.summary,
        "kind": claim.kind,
        "party": claim.party_id,
        "claimed_on": "2018-01",
        "date_note": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-quote": citation.quote,
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("statistics", "relations_from")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        "placements-TOTAL_FORMS": "1",
        "placements-INITIAL_FORMS": "0",
        "placements-0-claim": claim.pk,
        "placements-0-point": point.pk,
        "placements-0-side": side.pk,
    }
    return client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)


def test_an_analyst_creates_a_dispute_with_two_sides_and_a_point_in_the_admin(analyst):
    acme, office = make_party(name="Acme"), make_party(name="Trade Office")
    response = analyst.post(
        reverse("admin:claims_dispute_add"),
        {
            "title": "Is Acme a notorious market?",
            "slug": "is-acme-a-notorious-market",
            "summary": "",
            "sides-TOTAL_FORMS": "2",
            "sides-INITIAL_FORMS": "0",
            "sides-0-party": acme.pk,
            "sides-0-stance": "No",
            "sides-0-order": "1",
            "sides-1-party": office.pk,
            "sides-1-stance": "Yes",
            "sides-1-order": "2",
            "points-TOTAL_FORMS": "1",
            "points-INITIAL_FORMS": "0",
            "points-0-order": "1",
            "points-0-question": "Are fakes sold openly?",
            "points-0-summary": "",
        },
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(slug="is-acme-a-notorious-market")
    assert sorted(dispute.sides.values_list("stance", flat=True)) == ["No", "Yes"]
    assert list(dispute.points.values_list("question", flat=True)) == ["Are fakes sold openly?"]


def test_an_analyst_places_a_claim_from_the_claim_admin(analyst):
    acme = make_party(name="Acme")
    dispute = make_dispute(parties=(acme, make_party()))
    claim = make_claim(party=acme)
    point, side = dispute.points.get(), dispute.sides.get(party=acme)
    response = place_from_claim_admin(analyst, claim, point, side)
    assert response.status_code == 302
    assert PointClaim.objects.get(claim=claim).side == side


def test_a_side_of_another_dispute_is_refused_with_a_message(analyst):
    acme = make_party(name="Acme")
    dispute, other = make_dispute(parties=(acme, make_party())), make_dispute()
    claim = make_claim(party=acme)
    response = place_from_claim_admin(analyst, claim, dispute.points.get(), other.sides.first())
    assert response.status_code == 200
    assert "Choose a side of the same dispute as the point." in response.text
    assert not PointClaim.objects.exists()


def test_each_new_placement_goes_last_in_its_cell(analyst):
    acme = make_party(name="Acme")
    dispute = make_dispute(parties=(acme, make_party()))
    point, side = dispute.points.get(), dispute.sides.get(party=acme)
    claims = [make_claim(party=acme) for _ in range(3)]
    for claim in claims:
        assert place_from_claim_admin(analyst, claim, point, side).status_code == 302
    orders = [PointClaim.objects.get(claim=claim).order for claim in claims]
    assert orders == [0, 1, 2]


def test_an_analyst_cannot_delete_a_dispute(analyst):
    dispute = make_dispute()
    url = reverse("admin:claims_dispute_delete", args=[dispute.pk])
    assert analyst.get(url).status_code == 403
    assert analyst.post(url, {"post": "yes"}).status_code == 403
    assert Dispute.objects.filter(pk=dispute.pk).exists()


def test_an_editor_can_delete_a_dispute(editor):
    dispute = make_dispute()
    response = editor.post(
        reverse("admin:claims_dispute_delete", args=[dispute.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Dispute.objects.filter(pk=dispute.pk).exists()
