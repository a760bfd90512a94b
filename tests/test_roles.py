"""Roles: analysts add and correct, editors also delete and publish; strangers see no admin."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Assessment, Party
from sources.models import Source
from tests.factories import make_claim, make_party, make_source

pytestmark = pytest.mark.django_db

ROLES_MIGRATION = importlib.import_module("claims.migrations.0003_roles")


def ensure_roles() -> None:
    """The groups as the migration makes them. Transactional (browser) tests flush every
    table, groups included, and may run before these: make the roles again, idempotently."""
    ROLES_MIGRATION.create_roles(apps, None)


@pytest.fixture(autouse=True)
def roles(db) -> None:
    ensure_roles()


SOURCE_FORM = {
    "title": "A new article",
    "slug": "a-new-article",
    "kind": "article",
    "author": "",
    "url": "https://example.org/new-article",
    "published_on": "2018-01-15",
    "published_precision": "day",
    "date_note": "",
    "body": "Fresh text that nobody has added before.",
}


def member_of(django_user_model, group: str, username: str) -> Client:
    user = django_user_model.objects.create_user(
        username=username, password="correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(django_user_model) -> Client:
    return member_of(django_user_model, "Analyst", "analyst")


@pytest.fixture
def editor(django_user_model) -> Client:
    return member_of(django_user_model, "Editor", "editor")


def test_the_roles_migration_is_applied_and_works_with_historical_models():
    assert ("claims", "0003_roles") in MigrationRecorder(connection).applied_migrations()
    Group.objects.all().delete()
    state = MigrationLoader(connection).project_state(("claims", "0003_roles"))
    ROLES_MIGRATION.create_roles(state.apps, None)
    assert set(Group.objects.values_list("name", flat=True)) == {"Analyst", "Editor"}


def test_analysts_add_and_change_but_only_editors_delete_and_publish():
    analyst = set(Group.objects.get(name="Analyst").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    for model in ("source", "claim", "citation", "statistic"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= analyst
        assert f"delete_{model}" in editor
    assert {"view_party", "view_metric", "view_dispute", "add_metric", "add_pointclaim"} <= analyst
    assert not {"delete_source", "delete_party", "delete_claim", "publish_assessment"} & analyst
    assert {"delete_source", "delete_party", "publish_assessment"} <= editor


def test_an_analyst_can_add_a_source(analyst):
    response = analyst.post(reverse("admin:sources_source_add"), SOURCE_FORM)
    assert response.status_code == 302
    assert Source.objects.get(slug="a-new-article").title == "A new article"


def test_an_analyst_cannot_delete_a_source(analyst):
    source = make_source()
    url = reverse("admin:sources_source_delete", args=[source.pk])
    assert analyst.get(url).status_code == 403
    assert analyst.post(url, {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()
    change = analyst.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert change.status_code == 200
    assert 'class="deletelink"' not in change.text


def test_an_analyst_cannot_delete_a_party(analyst):
    party = make_party()
    response = analyst.post(reverse("admin:claims_party_delete", args=[party.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Party.objects.filter(pk=party.pk).exists()


def test_an_editor_can_delete_a_source(editor):
    source = make_source()
    url = reverse("admin:sources_source_delete", args=[source.pk])
    assert "Are you sure" in editor.get(url).text
    response = editor.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()


def test_an_editor_can_add_a_source(editor):
    assert editor.post(reverse("admin:sources_source_add"), SOURCE_FORM).status_code == 302
    assert Source.objects.filter(slug="a-new-article").exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        reverse("admin:sources_source_add"),
        reverse("admin:sources_source_changelist"),
        "/admin/sources/source/1/proposals/",
    ],
)
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('admin:login')}?next=")


def test_an_anonymous_post_to_the_admin_changes_nothing(client):
    response = client.post(reverse("admin:sources_source_add"), SOURCE_FORM)
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", ["/", "/claims/", "/disputes/", "/parties/", "/sources/"])
def test_a_post_to_the_public_site_changes_nothing_even_for_a_superuser(client, superuser, url):
    claim = make_claim()
    client.force_login(superuser)
    before = (Source.objects.count(), Party.objects.count(), claim.citations.count())
    response = client.post(url, {"summary": "changed", "title": "changed", "body": "changed"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert (Source.objects.count(), Party.objects.count(), claim.citations.count()) == before
    claim.refresh_from_db()
    assert claim.summary != "changed"


def test_only_an_editor_may_publish_an_assessment(analyst, editor, django_user_model):
    claim = make_claim()
    assessment = Assessment.objects.create(claim=claim, rating="mixed", rationale="Because.")
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    data = {
        "claim": claim.pk,
        "rating": "mixed",
        "rationale": "Because.",
        "is_published": "on",
    }
    # An analyst may look but not change; a user with change but no publish sees it read-only.
    assert analyst.post(url, data).status_code == 403
    changer = django_user_model.objects.create_user("changer", password="x-y-z-123", is_staff=True)
    changer.user_permissions.add(
        *Group.objects.get(name="Editor").permissions.exclude(codename="publish_assessment")
    )
    client = Client()
    client.force_login(changer)
    page = client.get(url)
    assert 'name="is_published"' not in page.text
    client.post(url, data)
    assessment.refresh_from_db()
    assert not assessment.is_published

    assert 'name="is_published"' in editor.get(url).text
    assert editor.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_published
    assert assessment.published_at is not None


@pytest.fixture
def changer(django_user_model) -> Client:
    """May change assessments but not publish them."""
    user = django_user_model.objects.create_user("changer", password="x-y-z-123", is_staff=True)
    user.user_permissions.add(
        *Group.objects.get(name="Editor").permissions.exclude(codename="publish_assessment")
    )
    client = Client()
    client.force_login(user)
    return client


def assessment_form(assessment: Assessment, **overrides) -> dict:
    data = {"claim": assessment.claim_id, "rating": assessment.rating, "rationale": "Because."}
    if assessment.is_published:
        data["is_published"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_published_assessment_is_read_only_without_permission_to_publish(changer):
    assessment = Assessment.objects.create(
        claim=make_claim(),
        rating="accurate",
        rationale="Because.",
        is_published=True,
        published_at=timezone.now(),
    )
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    page = changer.get(url)
    assert page.status_code == 200
    assert 'name="rating"' not in page.text and 'name="rationale"' not in page.text
    response = changer.post(url, assessment_form(assessment, rating="inaccurate", rationale="No."))
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.rationale) == ("accurate", "Because.")


def test_an_unpublished_assessment_stays_editable_without_permission_to_publish(changer):
    assessment = Assessment.objects.create(claim=make_claim(), rating="mixed", rationale="R.")
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    assert 'name="rating"' in changer.get(url).text
    assert changer.post(url, assessment_form(assessment, rating="misleading")).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.is_published) == ("misleading", False)


def test_unpublishing_clears_the_publication_date_and_republishing_sets_a_new_one(editor):
    assessment = Assessment.objects.create(claim=make_claim(), rating="mixed", rationale="R.")
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    assert editor.post(url, assessment_form(assessment, is_published="on")).status_code == 302
    assessment.refresh_from_db()
    first_published_at = assessment.published_at
    assert assessment.is_published and first_published_at is not None

    assert editor.post(url, assessment_form(assessment, is_published=None)).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.is_published, assessment.published_at) == (False, None)

    assert editor.post(url, assessment_form(assessment, is_published="on")).status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_published
    assert assessment.published_at > first_published_at
