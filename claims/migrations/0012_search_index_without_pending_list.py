"""PostgreSQL: the search index's GIN index without a pending list (fastupdate = off).

With fastupdate on, new documents wait in an unsorted pending list that every search reads
in full until a vacuum merges it: after generate_demo_data's bulk rebuild it held 400 pages
and the planner, seeing a costly index, scanned every document instead (50-90 ms per search
at 100,000 claims; 2 ms through the index once merged). Writes are one claim at a time from
the admin, so inserting straight into the index costs them little. SQLite (FTS5): nothing.
"""

from django.db import migrations

INDEX = "claims_claim_search_document_idx"


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
    # What is already pending is merged now, not at the next vacuum.
    schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_claim_timeline_key"),
    ]

    operations = [
        migrations.RunPython(without_pending_list, with_pending_list, elidable=True),
    ]
