"""Backups: the whole database, history included, as one JSON file that restores anywhere.

Django's own serializers write the file (the format of `dumpdata`, so `loaddata` reads it)
rather than pg_dump or a copy of the SQLite file: one backup restores into SQLite or
PostgreSQL alike, whichever the deployment runs, and a backup from one can seed the other.

What is left out, and why: content types and permissions are made by `migrate` for the code
that is installed, with ids of their own, so rows that point at them (a group's or user's
permissions, the admin's log) point by natural key ("claims", "claim"), not by id; sessions
are disposable. The Analyst and Editor groups are made by migrate as well (migration
0003_roles), so groups are matched by name on restore: the restored groups are the backed-up
ones, with their permissions, not duplicates. Every other row keeps its id, so permalinks
(/claims/<id>/), history records and who made them come back exactly as they were.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings
from django.utils import timezone

from claims.models import Claim
from claims.search import rebuild_search_index

# Made by migrate, not by people: never backed up, pointed at by natural key.
LEFT_OUT = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# Matched by natural key (the name) on restore, because migrate makes some of them.
BY_NATURAL_KEY = {"auth.group"}
# Rows that point at content types, permissions or groups: those references by natural key.
# (Only these: a reference to a user stays an id, so that a history record or a source
# whose user has since been deleted is still backed up and restored as it was.)
REFERENCES_BY_NATURAL_KEY = {"auth.group", "auth.user", "admin.logentry"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder (and so dumpdata) rounds times to the millisecond; history is
    ordered by its times, so a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RestoreRefused(Exception):
    """The backup was not restored: the database is as it was."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows are backed up, in an order loaddata can follow: groups before
    the users in them, users before the admin log entries that name them by username."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in LEFT_OUT and model._meta.managed and not model._meta.proxy
    ]
    first = ["auth.group", "auth.user"]
    return sorted(
        chosen,
        key=lambda m: (
            first.index(m._meta.label_lower) if m._meta.label_lower in first else len(first),
            m._meta.label_lower == "admin.logentry",
        ),
    )


def default_backup_path() -> Path:
    """backups/counterpoint-<UTC time>.json in the project directory."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / f"counterpoint-{stamp}.json"


def write_backup(stream: TextIO) -> int:
    """Every backed-up row as one consistent snapshot, written to stream; the row count."""
    rows: list[dict] = []
    outermost = not connection.in_atomic_block  # else the caller's transaction decides
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, even while the site keeps writing.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for model in backed_up_models():
            label = model._meta.label_lower
            rows += serializers.serialize(
                "python",
                model._base_manager.order_by("pk"),
                use_natural_foreign_keys=label in REFERENCES_BY_NATURAL_KEY,
                use_natural_primary_keys=label in BY_NATURAL_KEY,
            )
    json.dump(rows, stream, cls=ExactJSONEncoder, ensure_ascii=False, indent=1)
    return len(rows)


def backup_to(path: Path) -> int:
    """Write a backup file at path, whole or not at all (a failed backup leaves no file).

    Readable by its owner only: it holds password hashes and unpublished assessments.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            count = write_backup(stream)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def rows_present() -> dict[str, int]:
    """Backed-up models that already have rows, with how many; empty for a fresh database.

    Groups do not count: migrate makes the Analyst and Editor groups, and a restore matches
    groups by name rather than adding them again.
    """
    found = {}
    for model in backed_up_models():
        if model._meta.label_lower in BY_NATURAL_KEY:
            continue
        count = model._base_manager.count()
        if count:
            found[model._meta.label] = count
    return found


def _read(path: Path) -> list[dict]:
    if path.suffix != ".json":
        raise RestoreRefused(f"{path} is not a backup file: backups are .json files.")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RestoreRefused(f"There is no backup file at {path}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RestoreRefused(f"{path} is not a readable backup file: {exc}") from None
    known = {m._meta.label_lower for m in backed_up_models()}
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RestoreRefused(f"{path} is not a backup file: it holds no list of records.")
    unknown = sorted({str(r.get("model")) for r in rows} - known)
    if unknown:
        raise RestoreRefused(
            f"{path} holds records this version of Counterpoint does not keep "
            f"({', '.join(unknown)}): is it a backup of this project, made by `make backup`?"
        )
    return rows


def _unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _empty_backed_up_tables() -> None:
    tables = set()
    for model in backed_up_models():
        tables.add(model._meta.db_table)
        tables.update(field.m2m_db_table() for field in model._meta.many_to_many)
    # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still pending in the
    # transaction (rows changed earlier in it); running the checks now clears them.
    connection.check_constraints()
    statements = connection.ops.sql_flush(no_style(), sorted(tables))
    connection.ops.execute_sql_flush(statements)


@transaction.atomic
def restore_from(path: Path, *, force: bool = False) -> int:
    """Load a backup file into this (migrated, empty) database; the number of rows loaded.

    All or nothing: any error undoes the whole restore. Refused, changing nothing, if
    migrations are unapplied or if the database holds data, unless force, which first
    deletes every backed-up row so that the database ends up as the backup was.
    """
    rows = _read(path)
    unapplied = _unapplied_migrations()
    if unapplied:
        raise RestoreRefused(
            f"The database is not migrated ({len(unapplied)} migrations unapplied, first "
            f"{unapplied[0]}): run `manage.py migrate` first."
        )
    present = rows_present()
    if present and not force:
        listed = ", ".join(f"{n} {label}" for label, n in sorted(present.items()))
        raise RestoreRefused(
            f"The database is not empty ({listed}); nothing was restored. Restore into an "
            "empty, freshly migrated database, or pass --force to delete everything in this "
            "one and replace it with the backup."
        )
    if force:
        _empty_backed_up_tables()
    # loaddata saves raw, so no history is recorded for the rows it writes; the one signal
    # django-simple-history would still answer (Assessment.evidence being set) is silenced,
    # or every restored assessment would gain a history record it never had.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        # loaddata checks every constraint and, on PostgreSQL, resets the id sequences past
        # the restored ids, so that new rows do not collide with them.
        try:
            call_command("loaddata", str(path.resolve()), verbosity=0)
        except (DeserializationError, DatabaseError, ObjectDoesNotExist) as exc:
            # Leaving the atomic block by this exception undoes every row written so far.
            raise RestoreRefused(
                f"The backup could not be restored, so nothing was changed: {exc}"
            ) from exc
    # The search index is derived, not backed up: written again from the restored claims.
    rebuild_search_index()
    # A backup from before the timeline key existed restores it empty; one UPDATE
    # sets it (the same values otherwise). Party counts (PartySummary) are backed up;
    # a party without one is counted on its page's first view.
    Claim.objects.refresh_timeline_keys()
    return len(rows)
