"""The full-text search index (claims/search/backends.py), filled from the claims there are.

PostgreSQL: a table of one stored tsvector per claim under a GIN index; the expression
indexes of 0002, which served the search this replaces, are dropped. SQLite: an FTS5 table
with Porter stemming. Neither is a model: the index is derived data, rebuilt from the
claims (claims.search.rebuild_search_index), never backed up or tracked in history.
"""

from django.db import migrations

from claims.search.index import rebuild_search_index

POSTGRES = [
    # claim_id carries no foreign key: Django's flush truncates only its own tables, and
    # rows of deleted claims are deleted with them (claims/receivers.py).
    "CREATE TABLE claims_claim_search (claim_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    # Serves the claims list's search: document @@ tsquery (claims.search.matching.search).
    "CREATE INDEX claims_claim_search_document_idx ON claims_claim_search USING gin (document)",
    "DROP INDEX IF EXISTS claim_summary_search_idx",
    "DROP INDEX IF EXISTS citation_quote_search_idx",
]
POSTGRES_REVERSE = [
    "DROP TABLE IF EXISTS claims_claim_search",
    "CREATE INDEX IF NOT EXISTS claim_summary_search_idx ON claims_claim USING gin "
    "(to_tsvector('english'::regconfig, (COALESCE(summary, ''::character varying))::text))",
    "CREATE INDEX IF NOT EXISTS citation_quote_search_idx ON claims_citation USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(quote, '')))",
]
SQLITE = [
    # Serves the claims list's search: claims_claim_search MATCH '…' (rowid = claim id).
    "CREATE VIRTUAL TABLE claims_claim_search USING fts5("
    "summary, quotes, names, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS claims_claim_search"]


def create_index(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)
    rebuild_search_index(using=schema_editor.connection.alias, models=apps)


def drop_index(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_REVERSE if postgres else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_metric_summary_and_page_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
