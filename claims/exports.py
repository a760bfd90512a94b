"""The claims list as CSV: one row per claim of the filtered list, in the list's order.

Rows are written as they are read (a chunk of claims at a time), so an export of every
claim never holds them all in memory. Cells a spreadsheet would run as a formula are
neutralised: article text and summaries are untrusted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import StreamingHttpResponse

from claims.models import Citation, Claim
from claims.models.claims import ClaimQuerySet
from sources.dates import iso_precise_date

HEADER = [
    "id",
    "permalink",
    "summary",
    "kind",
    "party",
    "speaker",
    "claimed",
    "claimed_precision",
    "quote",
    "source_title",
    "source_url",
    "source_published",
]
# What makes Excel, LibreOffice and Google Sheets read a cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500
FILENAME = "counterpoint-claims.csv"


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would evaluate, prefixed with ' so it is shown as text."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def first_anchored(citations: Iterable[Citation]) -> Citation | None:
    """The first citation whose quote is still found verbatim in its source."""
    return next((c for c in citations if c.is_anchored), None)


def claim_row(claim: Claim) -> list[str]:
    """A claim loaded with with_cited_sources() as a CSV row, in HEADER's order.

    The quote is the first anchored citation's; with none anchored the source is still
    the first cited one, and the unverified quote is left out.
    """
    citations = list(claim.citations.all())
    quoted = first_anchored(citations)
    cited = quoted or (citations[0] if citations else None)
    source = cited.source if cited else None
    return [
        str(claim.pk),
        f"{settings.SITE_URL}{claim.get_absolute_url()}",
        claim.summary,
        claim.kind,
        claim.party.name,
        claim.speaker.name if claim.speaker else "",
        claim.claimed_iso,
        claim.claimed_precision,
        quoted.quote if quoted else "",
        source.title if source else "",
        source.url if source else "",
        iso_precise_date(source.published_on, source.published_precision) if source else "",
    ]


class _Echo:
    """A file whose write() returns the line, for csv.writer inside a generator."""

    def write(self, line: str) -> str:
        return line


def csv_lines(claims: ClaimQuerySet) -> Iterator[str]:
    """The header, then a row per claim of the queryset, in its order."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for claim in claims.with_cited_sources().iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([neutralise(cell) for cell in claim_row(claim)])


def claims_csv_response(claims: ClaimQuerySet) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(claims), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    return response
