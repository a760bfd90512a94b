"""Every record a reader depends on keeps its history, and renames are public corrections.

Parties, metrics, outlets, disputes with their sides and points, claim relations and
placements record who changed them and when, through the admin as for claims; a party or
metric renamed after a claim was published is listed among that claim's corrections.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from claims.history import HISTORY_MODELS, public_corrections, record_baseline_history
from claims.models import (
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
)
from sources.models import Outlet
from tests.admin_forms import save_in_admin
from tests.factories import (
    make_claim,
    make_dispute,
    make_metric,
    make_outlet,
    make_party,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db

NEW_MODELS = (
    Party,
    Metric,
    Outlet,
    Dispute,
    DisputeSide,
    DisputePoint,
    ClaimRelation,
    PointClaim,
)


@dataclass
class Edit:
    make: Callable[[], Model]
    field: str
    new_value: str
    # For records edited inline: the parent whose change form holds them, and the field's
    # name in that form.
    parent: Callable[[Model], Model] | None = None
    posted_as: str = ""


def _relation() -> ClaimRelation:
    return ClaimRelation.objects.create(
        from_claim=make_claim(), to_claim=make_claim(), kind=ClaimRelation.Kind.REBUTS
    )


def _placement() -> PointClaim:
    dispute = make_dispute()
    return place_claim(make_claim(party=dispute.sides.first().party), dispute)


EDITS = {
    "party": Edit(make_party, "name", "Renamed Party"),
    "metric": Edit(make_metric, "name", "Renamed metric"),
    "outlet": Edit(make_outlet, "name", "Renamed Outlet"),
    "dispute": Edit(make_dispute, "title", "Is it settled, really?"),
    "dispute side (inline on its dispute)": Edit(
        lambda: make_dispute().sides.first(),
        "stance",
        "Certainly",
        parent=lambda side: side.dispute,
        posted_as="sides-0-stance",
    ),
    "dispute point": Edit(lambda: make_dispute().points.first(), "question", "Is it true?"),
    "claim relation": Edit(_relation, "note", "Answers the charge directly."),
    "placement (inline on its point)": Edit(
        _placement,
        "order",
        "7",
        parent=lambda placement: placement.point,
        posted_as="placements-0-order",
    ),
}


def test_every_record_a_reader_depends_on_keeps_a_history():
    assert set(NEW_MODELS) <= set(HISTORY_MODELS)
    for model in HISTORY_MODELS:
        assert get_history_manager_for_model(model)
        # Each has a "History" button in the admin, and its own history page.
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


@pytest.mark.parametrize("kind", EDITS)
def test_an_admin_edit_of_each_record_is_kept_with_who_made_it_and_when(client, superuser, kind):
    edit = EDITS[kind]
    obj = edit.make()
    client.force_login(superuser)
    before = timezone.now()
    parent = edit.parent(obj) if edit.parent else None
    save_in_admin(
        client,
        superuser,
        obj,
        {edit.posted_as or edit.field: edit.new_value},
        edited_through=parent,
    )

    record = obj.history.latest("history_date")
    assert str(getattr(record, edit.field)) == edit.new_value
    assert record.history_type == "~"
    assert record.history_user == superuser
    assert before <= record.history_date <= timezone.now()

    opts = obj._meta
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert page.status_code == 200
    assert superuser.username in page.text
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert 'class="historylink"' in change.text


def test_the_baseline_gives_every_tracked_record_without_history_its_first_record():
    party = Party.objects.bulk_create([Party(name="Bulk", slug="bulk", kind="company")])[0]
    dispute = make_dispute()
    made = record_baseline_history()
    assert set(made) == {model.__name__ for model in HISTORY_MODELS}
    assert made["Party"] == 1  # the bulk-created party; the others were saved with history
    assert party.history.get().history_type == "+"
    assert dispute.history.count() == 1
    assert record_baseline_history() == {model.__name__: 0 for model in HISTORY_MODELS}


# ---------------------------------------------------------------------------------------
# Renames as public corrections
# ---------------------------------------------------------------------------------------


def corrections_of(claim: Claim) -> list[str]:
    return [str(c) for c in public_corrections(claim)]


def test_a_party_rename_after_publication_shows_on_every_claim_it_made_or_spoke(client, superuser):
    party = make_party(name="Old Name Ltd")
    other = make_party(name="Bystander Inc")
    made = make_claim(party=party)
    spoken = make_claim(party=other, speaker=party)
    unaffected = make_claim(party=other)
    client.force_login(superuser)
    save_in_admin(client, superuser, party, {"name": "New Name Ltd"})

    today = timezone.now()
    expected = f"Party renamed on {today.day} {today:%b %Y}: was Old Name Ltd, now New Name Ltd."
    assert corrections_of(made) == [expected]
    assert corrections_of(spoken) == [expected]
    assert corrections_of(unaffected) == []
    for claim in (made, spoken):
        page = client.get(claim.get_absolute_url())
        assert "<strong>Party renamed</strong>" in page.text
        assert "was <del>Old Name Ltd</del>, now <ins>New Name Ltd</ins>" in page.text
    page = client.get(unaffected.get_absolute_url())
    assert page.status_code == 200
    assert "renamed" not in page.text


def test_a_metric_rename_after_publication_shows_on_the_claims_whose_figures_use_it(
    client, superuser
):
    metric = make_metric(name="Takedown requests")
    with_figure = make_statistic(metric=metric).claim
    other_figure = make_statistic(metric=make_metric(name="Listings removed")).claim
    client.force_login(superuser)
    save_in_admin(client, superuser, metric, {"name": "Takedown notices"})

    (correction,) = public_corrections(with_figure)
    assert (correction.what, correction.verb) == ("Figure", "renamed")
    assert (correction.old, correction.new) == ("Takedown requests", "Takedown notices")
    assert corrections_of(other_figure) == []
    page = client.get(with_figure.get_absolute_url())
    assert "<strong>Figure renamed</strong>" in page.text
    assert "was <del>Takedown requests</del>, now <ins>Takedown notices</ins>" in page.text
    assert "renamed" not in client.get(other_figure.get_absolute_url()).text


def test_a_rename_before_the_claim_was_published_is_not_a_correction():
    party = make_party(name="First Name")
    metric = make_metric(name="First metric")
    party.name = "Second Name"
    party.save()
    metric.name = "Second metric"
    metric.save()
    claim = make_claim(party=party)
    make_statistic(claim=claim, metric=metric)
    assert corrections_of(claim) == []


def test_a_rename_before_the_claim_named_the_party_or_gave_the_figure_is_not_a_correction():
    claim = make_claim()
    later_party = make_party(name="Later Name")
    later_party.name = "Later Name, renamed"
    later_party.save()
    later_metric = make_metric(name="Later metric")
    later_metric.name = "Later metric, renamed"
    later_metric.save()
    claim.party = later_party
    claim.save()
    make_statistic(claim=claim, metric=later_metric)
    assert [c.verb for c in public_corrections(claim)] == ["corrected"]  # the party changed


def test_a_rename_after_the_claim_moved_to_another_party_is_not_a_correction():
    first = make_party(name="Was Attributed")
    claim = make_claim(party=first)
    statistic = make_statistic(claim=claim)
    claim.party = make_party(name="Now Attributed")
    claim.save()
    statistic.delete()  # the figure withdrawn
    first.name = "Was Attributed, renamed"
    first.save()
    metric = statistic.metric
    metric.name = "Renamed after its figure was withdrawn"
    metric.save()
    assert [(c.what, c.verb) for c in public_corrections(claim)] == [
        ("Party", "corrected"),
        ("Figure", "withdrawn"),
    ]


def test_a_renamed_seeded_party_shows_on_its_seeded_claims(seeded, client, superuser):
    claim = Claim.objects.order_by("pk").first()
    party = claim.party
    old_name = party.name
    client.force_login(superuser)
    save_in_admin(client, superuser, party, {"name": f"{old_name} (renamed)"})
    page = client.get(claim.get_absolute_url())
    assert "<strong>Party renamed</strong>" in page.text
    assert f"now <ins>{old_name} (renamed)</ins>" in page.text


def permalink_queries(client, claim: Claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(claim.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_permalink_runs_the_same_number_of_queries_after_one_rename_or_thirty(client):
    party = make_party(name="Renamed 0")
    metric = make_metric(name="Metric renamed 0")
    claim = make_claim(party=party, speaker=make_party(kind=Party.Kind.INDIVIDUAL))
    make_statistic(claim=claim, metric=metric, value=Decimal("-25"))

    def rename(times: range) -> None:
        for n in times:
            party.name, metric.name = f"Renamed {n}", f"Metric renamed {n}"
            party.save()
            metric.save()

    rename(range(1, 2))
    after_one = permalink_queries(client, claim)
    rename(range(2, 31))
    assert len(public_corrections(claim)) == 60
    assert permalink_queries(client, claim) == after_one
    # The permalink's pinned count (tests/test_queries.py) holds with renames too.
    assert after_one <= 16
