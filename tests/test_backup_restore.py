"""A backup restores into an empty database as it was: every record, its history, users,
groups and permissions, on SQLite and on PostgreSQL alike (CI runs this module on both)."""

import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from claims.backups import backed_up_models, rows_present
from claims.models import Assessment, Claim, ClaimRelation, Party, Statistic
from sources.models import Source
from tests.factories import (
    make_claim,
    make_dispute,
    make_metric,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
# Made by migrate for the installed code, with ids of their own: compared by natural key.
MADE_BY_MIGRATE = (ContentType, Permission, Group)
roles = importlib.import_module("claims.migrations.0003_roles")


@pytest.fixture(autouse=True)
def forget_content_types_made_in_the_test():
    # Content types are cached per process; those a test makes vanish with its transaction.
    yield
    ContentType.objects.clear_cache()


def every_kept_model() -> list[type[Model]]:
    """Found independently of claims.backups: everything but what migrate makes or a
    session that can be thrown away."""
    return [m for m in apps.get_models() if m not in (ContentType, Permission, Session)]


def _key(obj: Model):
    return list(obj.natural_key()) if isinstance(obj, MADE_BY_MIGRATE) else obj.pk


def snapshot() -> dict[str, list[dict]]:
    """Every row of every kept model, field by field (many-to-many fields included);
    references to what migrate makes as natural keys, group rows by name."""
    tables: dict[str, list[dict]] = {}
    for model in every_kept_model():
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for field in model._meta.concrete_fields:
                if model is Group and field.primary_key:
                    continue
                value = field.value_from_object(obj)
                if field.is_relation and field.related_model in MADE_BY_MIGRATE and value:
                    value = _key(field.related_model._base_manager.get(pk=value))
                row[field.attname] = value
            for field in model._meta.many_to_many:
                if field.remote_field.through._meta.auto_created:
                    row[field.name] = sorted(map(_key, getattr(obj, field.name).all()), key=str)
            rows.append(row)
        tables[model._meta.label] = sorted(rows, key=str) if model is Group else rows
    return tables


def make_the_database_as_migrate_leaves_it() -> None:
    """Empty, as after `migrate` on a new database: content types and permissions (with new
    ids, so that only natural keys can find them) and the Analyst and Editor groups."""
    connection.check_constraints()  # PostgreSQL truncates no table with checks pending
    call_command("flush", "--no-input", verbosity=0)
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    roles.create_roles(apps, None)
    assert rows_present() == {}


@pytest.fixture
def history_rich(client, superuser, django_user_model):
    """A working day's records (on top of the seed corpus where a test asks for it): admin
    edits (who and when), a rename shown as a correction, an assessment with evidence, a
    withdrawn claim, an analyst in a group with a permission of her own, and a user since
    deleted who still appears in the history."""
    analyst = django_user_model.objects.create_user("analyst", password=PASSWORD, is_staff=True)
    analyst.groups.add(Group.objects.get(name=roles.ANALYST))
    analyst.user_permissions.add(Permission.objects.get(codename="publish_assessment"))
    departed = django_user_model.objects.create_user("departed", password=PASSWORD)
    source = make_source(added_by=departed)
    source.title = "Edited by someone who has since left"
    source._history_user = departed
    source.save()
    departed.delete()

    client.force_login(superuser)
    claim = make_claim()
    make_statistic(claim=claim)
    dispute = make_dispute(parties=(claim.party, make_party()))
    place_claim(claim, dispute)
    ClaimRelation.objects.create(from_claim=make_claim(), to_claim=claim, kind="rebuts")
    party = claim.party
    response = client.post(
        reverse("admin:claims_party_change", args=[party.pk]),
        {"name": f"{party.name} (renamed)", "slug": party.slug, "kind": party.kind},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.create(claim=claim, rating="mixed", rationale="Partly.")
    assessment.evidence.set(claim.citations.all())
    withdrawn = make_claim(summary="Withdrawn later")
    withdrawn.delete()
    return claim


def backup(tmp_path: Path) -> Path:
    path = tmp_path / "counterpoint.json"
    call_command("backup", "--output", str(path), verbosity=0)
    return path


def test_a_round_trip_into_an_empty_database_reproduces_every_record_and_its_history(
    seeded, history_rich, tmp_path, client
):
    before = snapshot()
    path = backup(tmp_path)
    make_the_database_as_migrate_leaves_it()
    assert snapshot() != before

    call_command("restore", str(path), verbosity=0)

    after = snapshot()
    assert list(after) == list(before)
    for label in before:  # one model at a time, so a failure names it
        assert after[label] == before[label], label
    historical = [label for label in before if label.split(".")[1].startswith("Historical")]
    assert len(historical) == 14  # every tracked model's history, and the assessment's m2m
    assert all(before[label] for label in historical)
    assert before["admin.LogEntry"] and before["auth.User"]


def test_what_migrate_made_is_not_duplicated_and_new_records_get_new_ids(
    seeded, history_rich, tmp_path, client
):
    path = backup(tmp_path)
    highest_party = Party.objects.order_by("-pk").first().pk
    make_the_database_as_migrate_leaves_it()
    call_command("restore", str(path), verbosity=0)

    assert sorted(Group.objects.values_list("name", flat=True)) == [roles.ANALYST, roles.EDITOR]
    assert client.login(request=HttpRequest(), username="analyst", password=PASSWORD)
    assert Party.objects.create(name="New", slug="new-after-restore", kind="company").pk > (
        highest_party
    )  # on PostgreSQL only if the id sequences were moved past the restored ids
    page = client.get(history_rich.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>Party renamed</strong>" in page.text


def test_every_kept_model_is_in_the_backup(history_rich, tmp_path):
    assert set(backed_up_models()) == set(every_kept_model())
    rows = json.loads(backup(tmp_path).read_text(encoding="utf-8"))
    labels = {row["model"] for row in rows}
    assert {m._meta.label_lower for m in every_kept_model() if m._base_manager.exists()} == labels
    groups = [row for row in rows if row["model"] == "auth.group"]
    assert groups and all("pk" not in row for row in groups)  # matched by name on restore


def test_a_restore_into_a_database_with_data_is_refused_and_changes_nothing(history_rich, tmp_path):
    path = backup(tmp_path)
    make_party(name="Added after the backup")
    before = snapshot()
    with pytest.raises(CommandError, match=r"The database is not empty \(.*claims\.Claim"):
        call_command("restore", str(path), verbosity=0)
    assert snapshot() == before


def test_a_forced_restore_replaces_everything_with_the_backup(history_rich, tmp_path):
    at_backup = snapshot()
    path = backup(tmp_path)
    make_party(name="Added after the backup")
    Claim.objects.filter(pk=history_rich.pk).update(summary="Changed after the backup")
    call_command("restore", str(path), "--force", verbosity=0)
    assert snapshot() == at_backup


def test_a_backup_that_fails_to_load_leaves_the_empty_database_empty(history_rich, tmp_path):
    path = backup(tmp_path)
    rows = json.loads(path.read_text(encoding="utf-8"))
    claim = next(row for row in reversed(rows) if row["model"] == "claims.claim")
    claim["fields"]["party"] = 10**9  # no such party: the load fails at the last check
    path.write_text(json.dumps(rows), encoding="utf-8")
    make_the_database_as_migrate_leaves_it()
    with pytest.raises(CommandError, match="could not be restored, so nothing was changed"):
        call_command("restore", str(path), verbosity=0)
    assert rows_present() == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "There is no backup file at"),
        ("{not json", "is not a readable backup file"),
        ('{"model": "claims.claim"}', "holds no list of records"),
        ('[{"model": "shop.order", "pk": 1, "fields": {}}]', r"does not keep \(shop\.order\)"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "backup.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), verbosity=0)
    assert rows_present() == {}


def test_a_backup_goes_to_backups_with_the_time_in_its_name_unless_told(
    settings, tmp_path, monkeypatch
):
    make_claim()
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("BACKUP_FILE", raising=False)
    call_command("backup", verbosity=0)
    (made,) = (tmp_path / "backups").glob("counterpoint-*.json")
    assert made.name.startswith(f"counterpoint-{timezone.now():%Y%m%d}T")
    assert not list((tmp_path / "backups").glob(".*partial"))
    assert made.stat().st_mode & 0o077 == 0  # password hashes: for the owner's eyes only
    monkeypatch.setenv("BACKUP_FILE", str(tmp_path / "chosen.json"))
    call_command("backup", verbosity=0)
    rows = json.loads((tmp_path / "chosen.json").read_text(encoding="utf-8"))
    assert any(row["model"] == "claims.claim" for row in rows)


def test_figures_and_dates_survive_exactly(tmp_path):
    source = make_source()
    claim = make_claim(source=source)
    statistic = claim.statistics.create(
        metric=make_metric(),
        value=Decimal("-25.1250"),
        unit="percent",
    )
    path = backup(tmp_path)
    make_the_database_as_migrate_leaves_it()
    call_command("restore", str(path), verbosity=0)
    restored = Statistic.objects.get(pk=statistic.pk)
    assert restored.value == Decimal("-25.1250")
    assert Source.objects.get(pk=source.pk).added_at == source.added_at
