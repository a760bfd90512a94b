"""GIN indexes for the claims list's full-text search (ClaimQuerySet.search), PostgreSQL only.

The expressions match what SearchVector("summary" / "quote", config="english") compiles to,
so the planner can use them. On SQLite (and any other database) this migration does nothing:
the word search there is a plain icontains scan.
"""

from django.db import migrations

INDEXES = [
    # Serves ClaimQuerySet.search(): summary matches.
    (
        "claim_summary_search_idx",
        "claims_claim",
        # summary is a varchar: SearchVector casts the coalesced value to text.
        "to_tsvector('english'::regconfig, (COALESCE(summary, ''::character varying))::text)",
    ),
    # Serves ClaimQuerySet.search(): quote matches, via the citation subquery.
    (
        "citation_quote_search_idx",
        "claims_citation",
        "to_tsvector('english'::regconfig, COALESCE(quote, ''))",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
