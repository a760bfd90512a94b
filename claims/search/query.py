"""The search box's language, read once, and written out safely for each database.

The language is PostgreSQL's websearch_to_tsquery's: words must all match, "a phrase"
matches its words in order, -word (or -"a phrase") leaves out the claims that have it, and
OR between terms gives alternatives, binding more loosely than the implicit AND
(`takedown stores OR police` is `(takedown AND stores) OR police`). Anything else is a word
separator, so nothing a reader types can reach either database as syntax: every word is
folded (claims.search.spelling) into letters and digits, then passed to PostgreSQL as a
bound parameter and to SQLite's FTS5 as a quoted string.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from claims.search.spelling import WORD, fold

# Bounds on what is read of a query, whatever was typed: its first MAX_QUERY_CHARS
# characters and at most MAX_TERMS words or phrases.
MAX_QUERY_CHARS = 500
MAX_TERMS = 16

# A quoted phrase (a quote left open runs to the end), or a run of anything but spaces and
# quotes; either may carry a leading "-".
_TOKEN = regex.compile(r'(?P<minus>-*)(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of words in order; folded, so only letters and digits."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Query:
    """Alternatives (OR) of groups of terms that must all match (AND).

    Every group has at least one term that is not negated: "-word" alone says what to
    leave out, not what to find, so a query of nothing else is kept in excluded instead
    (claims with none of those terms).
    """

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def finds(self) -> bool:
        return bool(self.groups)

    def as_fts5(self) -> str:
        """An FTS5 MATCH expression: every term a quoted string, every operator ours."""
        return " OR ".join(_fts5_group(group) for group in self.groups)


def _fts5_string(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"'


def _fts5_group(group: tuple[Term, ...]) -> str:
    found = " AND ".join(_fts5_string(t) for t in group if not t.negated)
    left_out = "".join(f" NOT {_fts5_string(t)}" for t in group if t.negated)
    return f"(({found}){left_out})"


def parse(text: str) -> Query | None:
    """The query text means, or None when it asks for nothing (blank, only punctuation)."""
    groups: list[list[Term]] = [[]]
    excluded: list[Term] = []
    terms = 0
    for token in _TOKEN.finditer(text[:MAX_QUERY_CHARS]):
        bare = token["bare"]
        if bare is not None and bare.lower() == "or" and not token["minus"]:
            if groups[-1]:
                groups.append([])
            continue
        words = tuple(fold(w) for w in WORD.findall(token["phrase"] or bare or ""))
        if not words:
            continue
        groups[-1].append(Term(words, negated=bool(token["minus"])))
        terms += 1
        if terms == MAX_TERMS:
            break
    kept = tuple(tuple(g) for g in groups if any(not t.negated for t in g))
    if not kept:
        excluded = [Term(t.words) for g in groups for t in g]
    if not kept and not excluded:
        return None
    return Query(groups=kept, excluded=tuple(excluded))


def exclusion(query: Query) -> Query:
    """The claims a query of only left-out terms leaves out: those with any of them."""
    return Query(groups=tuple((term,) for term in query.excluded))
