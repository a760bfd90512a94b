"""The search index in each database: one row per claim, written from Python.

PostgreSQL: table claims_claim_search, a stored tsvector per claim (summary weight A,
quotes B, party and speaker names C) under a GIN index. SQLite: an FTS5 table of the same
name with those three columns, Porter-stemmed. Both tables come from migration
claims/0009_search_index and hold the folded text (claims.search.spelling), so both
databases compare the same words; both are derived data, kept out of the models (and so
out of history, backups and the API) and rebuilt by claims.search.rebuild_search_index().
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections

from claims.search.query import Query

TABLE = "claims_claim_search"
# The weights of summary, quotes and names, in the columns' order (ts_rank takes none
# above 1).
WEIGHTS = (1.0, 0.5, 0.25)
# Marks around matched words in highlighted text; folded text has only letters, digits
# and spaces, so they cannot be confused with the text.
OPEN, CLOSE = "<", ">"


@dataclass(frozen=True)
class Document:
    """What the index holds for one claim, folded."""

    claim_id: int
    summary: str
    quotes: str  # one line per citation, in Citation's ordering
    names: str


class SearchBackend:
    """The SQL of one database's index; every text arrives as a bound parameter."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def write(self, documents: Sequence[Document]) -> None:
        raise NotImplementedError

    def delete(self, claim_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def analyse(self) -> None:
        """Refresh the planner's statistics after a bulk write (how common each word is)."""

    def matches(self, query: Query) -> tuple[str, list]:
        """SELECT of the ids of the claims the query finds."""
        raise NotImplementedError

    def rank(self, query: Query) -> tuple[str, list]:
        """A scalar subquery of one claim's rank ("{pk}" for its id column); higher is
        better."""
        raise NotImplementedError

    def marked(self, query: Query, documents: Sequence[Document]) -> list[tuple[str, str]]:
        """Each document's summary and quotes with the query's matches between OPEN and
        CLOSE (an empty pair for a document the query does not find). PostgreSQL marks the
        texts given; FTS5 can only mark its stored rows, so it reads those by claim id."""
        raise NotImplementedError


class PostgresBackend(SearchBackend):
    VECTOR = (
        "setweight(to_tsvector('english', {0}), 'A')"
        " || setweight(to_tsvector('english', {1}), 'B')"
        " || setweight(to_tsvector('english', {2}), 'C')"
    )

    def write(self, documents: Sequence[Document]) -> None:
        vector = self.VECTOR.format("d.summary", "d.quotes", "d.names")
        self.execute(
            f"INSERT INTO {TABLE} (claim_id, document) SELECT d.id, {vector} "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
            "AS d(id, summary, quotes, names) "
            "ON CONFLICT (claim_id) DO UPDATE SET document = EXCLUDED.document",
            [
                [d.claim_id for d in documents],
                [d.summary for d in documents],
                [d.quotes for d in documents],
                [d.names for d in documents],
            ],
        )

    def delete(self, claim_ids: Sequence[int]) -> None:
        self.execute(f"DELETE FROM {TABLE} WHERE claim_id = ANY(%s)", [list(claim_ids)])

    def clear(self) -> None:
        self.execute(f"TRUNCATE {TABLE}")

    def analyse(self) -> None:
        # Without it, until autovacuum comes by, the planner takes a word in every claim for
        # a rare one and reads all its matches instead of the first SEARCH_LIMIT.
        # And nothing left in the GIN index's pending list, which every search would read
        # (none is written since migration 0011 turned fastupdate off; an index made before
        # it may still hold some).
        self.execute(f"SELECT gin_clean_pending_list('{TABLE}_document_idx'::regclass)")
        self.execute(f"ANALYZE {TABLE}")

    @staticmethod
    def tsquery(query: Query) -> tuple[str, list]:
        """The query as a tsquery built from phraseto_tsquery of each term (one word is a
        phrase of one), so each term is stemmed as the index is and nothing is syntax."""
        groups, params = [], []
        for group in query.groups:
            terms = []
            for term in group:
                terms.append(("!!" if term.negated else "") + "phraseto_tsquery('english', %s)")
                params.append(term.text)
            groups.append("(" + " && ".join(terms) + ")")
        return "(" + " || ".join(groups) + ")", params

    def matches(self, query: Query) -> tuple[str, list]:
        tsquery, params = self.tsquery(query)
        return f"SELECT claim_id FROM {TABLE} WHERE document @@ {tsquery}", params

    def rank(self, query: Query) -> tuple[str, list]:
        tsquery, params = self.tsquery(query)
        # ts_rank's weights are listed D, C, B, A; names are C, quotes B, summaries A.
        weights = "{" + ", ".join(map(str, (0, *reversed(WEIGHTS)))) + "}"
        sql = (
            f"(SELECT ts_rank('{weights}'::float4[], document, {tsquery}) "
            f"FROM {TABLE} WHERE claim_id = {{pk}})"
        )
        return sql, params

    def marked(self, query: Query, documents: Sequence[Document]) -> list[tuple[str, str]]:
        if not documents:
            return []
        tsquery, params = self.tsquery(query)
        texts = [text for d in documents for text in (d.summary, d.quotes)]
        options = f"HighlightAll=true, StartSel={OPEN}, StopSel={CLOSE}"
        rows = self.execute(
            f"SELECT ts_headline('english', t, {tsquery}, %s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
            [*params, options, texts],
        )
        heads = [row[0] for row in rows]
        return list(zip(heads[0::2], heads[1::2], strict=True))


class SqliteBackend(SearchBackend):
    def write(self, documents: Sequence[Document]) -> None:
        self.delete([d.claim_id for d in documents])
        with connections[self.alias].cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, summary, quotes, names) VALUES (%s, %s, %s, %s)",
                [(d.claim_id, d.summary, d.quotes, d.names) for d in documents],
            )

    def delete(self, claim_ids: Sequence[int]) -> None:
        ids = list(claim_ids)
        for start in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            self.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        self.execute(f"DELETE FROM {TABLE}")

    def matches(self, query: Query) -> tuple[str, list]:
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [query.as_fts5()]

    def rank(self, query: Query) -> tuple[str, list]:
        # bm25() is lower for a better match; negated, it sorts like ts_rank.
        weights = ", ".join(map(str, WEIGHTS))
        sql = (
            f"(SELECT -bm25({TABLE}, {weights}) FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s AND rowid = {{pk}})"
        )
        return sql, [query.as_fts5()]

    def marked(self, query: Query, documents: Sequence[Document]) -> list[tuple[str, str]]:
        # FTS5 highlights only rows of its own table, which hold these very documents
        # (the index is written with the claim): read them back marked, by id.
        ids = [d.claim_id for d in documents]
        if not ids:
            return []
        marks = ", ".join(["%s"] * len(ids))
        rows = self.execute(
            f"SELECT rowid, highlight({TABLE}, 0, %s, %s), highlight({TABLE}, 1, %s, %s) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({marks})",
            [OPEN, CLOSE, OPEN, CLOSE, query.as_fts5(), *ids],
        )
        found = {row[0]: (row[1], row[2]) for row in rows}
        return [found.get(i, ("", "")) for i in ids]


def backend(alias: str) -> SearchBackend:
    """The index of database alias: PostgreSQL's, else SQLite's (the two the project runs)."""
    if connections[alias].vendor == "postgresql":
        return PostgresBackend(alias)
    return SqliteBackend(alias)
