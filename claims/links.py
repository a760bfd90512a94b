"""Paths of the records a long list links on every row, reversed once per page.

A values table of 50 rows links 50 claims, 50 parties and their sources; reverse() per link
was a large part of rendering such a page. PagePaths reverses each URL pattern once with
placeholder arguments and fills in each row's pk or slug, quoted as reverse() quotes it, so
the paths are the ones get_absolute_url() gives (tests/test_page_paths.py holds them equal).
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# Placeholders no real argument equals, that each converter accepts (int, slug, str).
_PLACEHOLDERS = {"pk": 987654321, "slug": "zz-placeholder-slug-zz"}
_SPLIT = re.compile("(" + "|".join(re.escape(str(v)) for v in _PLACEHOLDERS.values()) + ")")
_NAME_OF = {str(v): k for k, v in _PLACEHOLDERS.items()}
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted


class _Pattern:
    """One URL pattern reversed once: literal pieces and the names of the arguments."""

    def __init__(self, viewname: str, *names: str) -> None:
        path = reverse(viewname, kwargs={name: _PLACEHOLDERS[name] for name in names})
        self.pieces = [_NAME_OF.get(piece, piece) for piece in _SPLIT.split(path)]
        self.names = set(names)

    def fill(self, **values: object) -> str:
        return "".join(
            quote(str(values[piece]), safe=_SAFE) if piece in self.names else piece
            for piece in self.pieces
        )


class PagePaths:
    """The paths of claims, parties, metrics, sources and citations for one request (the
    script prefix is read when a pattern is first used): one per page, not per process."""

    # Each pattern is reversed on first use, once per PagePaths.
    @cached_property
    def _claim(self) -> _Pattern:
        return _Pattern("claims:detail", "pk", "slug")

    @cached_property
    def _party(self) -> _Pattern:
        return _Pattern("parties:detail", "slug")

    @cached_property
    def _metric(self) -> _Pattern:
        return _Pattern("metrics:detail", "slug")

    @cached_property
    def _source(self) -> _Pattern:
        return _Pattern("sources:detail", "slug")

    def claim(self, claim) -> str:  # Claim.get_absolute_url()
        return self._claim.fill(pk=claim.pk, slug=claim.slug or "claim")

    def party(self, party) -> str:  # Party.get_absolute_url()
        return self._party.fill(slug=party.slug)

    def metric(self, metric) -> str:  # Metric.get_absolute_url()
        return self._metric.fill(slug=metric.slug)

    def source(self, source) -> str:  # Source.get_absolute_url()
        return self._source.fill(slug=source.slug)

    def citation(self, citation) -> str:  # Citation.get_absolute_url()
        return self.citation_of(citation.source.slug, citation.pk)

    def citation_of(self, source_slug: str, citation_pk: int) -> str:
        """The path of a citation from its source's slug and its own id."""
        return f"{self._source.fill(slug=source_slug)}#citation-{citation_pk}"
