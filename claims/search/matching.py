"""Searching claims: ranked matches at bounded cost, and the matched words highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex
from django.db import DEFAULT_DB_ALIAS
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from claims.models import Claim
from claims.models.claims import ClaimQuerySet
from claims.search.backends import CLOSE, OPEN, Document, backend
from claims.search.query import exclusion, parse
from claims.search.spelling import WORD, folded_text

# At most this many matches are ranked and listed: a word in every claim costs the same as
# a rare one. More than that, and the page says so and asks for narrower words or filters.
SEARCH_LIMIT = 1000


class _ClaimRank(Expression):
    """A backend's rank subquery, correlated with the claim of the row it is computed for."""

    output_field = FloatField()

    def __init__(self, sql: str, params: list) -> None:
        super().__init__(output_field=FloatField())
        self.sql, self.params, self.pk = sql, params, F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        return self.sql.replace("{pk}", pk_sql), [*self.params, *pk_params]


class _AmongFirst(Expression):
    """The row's claim is among those the subquery (of at most SEARCH_LIMIT ids) lists.

    PostgreSQL gets "id = ANY(ARRAY(subquery))": the ids are collected once, then looked
    up by primary key; with "id IN (subquery)" the planner may hash-join them against a
    scan of every claim.
    """

    output_field = BooleanField()

    def __init__(self, ids: QuerySet) -> None:
        super().__init__(output_field=BooleanField())
        self.pk, self.ids = F("pk"), Subquery(ids)

    def get_source_expressions(self):
        return [self.pk, self.ids]

    def set_source_expressions(self, exprs):
        self.pk, self.ids = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        ids_sql, ids_params = compiler.compile(self.ids)
        return f"{pk_sql} IN {ids_sql}", [*pk_params, *ids_params]

    def as_postgresql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        ids_sql, ids_params = compiler.compile(self.ids)
        return f"{pk_sql} = ANY(ARRAY{ids_sql})", [*pk_params, *ids_params]


def search(claims: ClaimQuerySet, text: str) -> ClaimQuerySet:
    """The claims of the queryset the search text finds, best first (then newest first),
    annotated with search_rank; at most SEARCH_LIMIT of them. Text that asks for nothing
    leaves the queryset as it was; one of only left-out terms (-word) filters without
    ranking."""
    query = parse(text)
    if query is None:
        return claims
    index = backend(claims.db)
    if not query.finds:
        sql, params = index.matches(exclusion(query))
        return claims.exclude(pk__in=RawSQL(sql, params))
    sql, params = index.matches(query)
    # The first SEARCH_LIMIT matches among the filtered claims, then only those ranked:
    # ranking every match of a common word would read every claim.
    found = claims.filter(pk__in=RawSQL(sql, params)).order_by().values("pk")[:SEARCH_LIMIT]
    newest = claims.newest_first().query.order_by
    return (
        claims.filter(_AmongFirst(found))
        .annotate(search_rank=_ClaimRank(*index.rank(query)))
        .order_by(F("search_rank").desc(nulls_last=True), *newest)
    )


def lists_only_the_first(text: str, count: int) -> bool:
    """Whether a search listing count claims stopped at SEARCH_LIMIT: more may match."""
    query = parse(text)
    return query is not None and query.finds and count >= SEARCH_LIMIT


@dataclass(frozen=True)
class Highlight:
    """A claim's summary and first quote, escaped, with the matched words in <mark>."""

    summary: SafeString
    quote: SafeString | None


def highlights(text: str, claims: Sequence[Claim]) -> dict[int, Highlight]:
    """Highlights for claims loaded with_related() (one query), by claim id; none for a
    query that finds nothing to mark, or for a claim it does not match."""
    query = parse(text)
    if query is None or not query.finds or not claims:
        return {}
    firsts = [c.card_citations[0] if c.card_citations else None for c in claims]  # type: ignore[attr-defined]
    shown = [
        Document(c.pk, folded_text(c.summary), folded_text(first.quote) if first else "", "")
        for c, first in zip(claims, firsts, strict=True)
    ]
    index = backend(claims[0]._state.db or DEFAULT_DB_ALIAS)
    found: dict[int, Highlight] = {}
    for claim, first, (summary, quotes) in zip(
        claims, firsts, index.marked(query, shown), strict=True
    ):
        if summary or quotes:
            # The first line of the quotes marked is the first citation's (FTS5 returns
            # every quote of its stored row, one line each, in the cards' order).
            quote = mark_words(first.quote, quotes.split("\n")[0]) if first else None
            found[claim.pk] = Highlight(mark_words(claim.summary, summary), quote)
    return found


# A mark, or a word of the folded text a backend marked.
_MARKED_TOKEN = regex.compile(f"[{OPEN}{CLOSE}]|{WORD.pattern}")


def mark_words(original: str, marked: str) -> SafeString:
    """original, escaped, with <mark> around each word whose folded twin in marked (the
    folded text as a backend marked it) stands between OPEN and CLOSE.

    The folded text has one word per word of the original, so the n-th words correspond;
    if they do not (an index written before an edit), the text is only escaped.
    """
    flags, inside = [], False
    for token in _MARKED_TOKEN.finditer(marked):
        if token[0] in (OPEN, CLOSE):
            inside = token[0] == OPEN
        else:
            flags.append(inside)
    spans = [m.span() for m in WORD.finditer(original)]
    if len(spans) != len(flags) or not any(flags):
        return conditional_escape(original)
    html: list[str] = []
    done = 0
    for (start, end), flag in zip(spans, flags, strict=True):
        word = escape(original[start:end])
        html.append(escape(original[done:start]))
        html.append(f"<mark>{word}</mark>" if flag else word)
        done = end
    html.append(escape(original[done:]))
    return mark_safe("".join(html))  # every piece escaped above
