"""Claim cards and related claims: the pieces that several pages show the same way.

A card is a typed view of one claim (its relations and figure notes as the page computed
them); templates read the card, so nothing is patched onto model instances.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from claims.models import Citation, Claim, ClaimRelation, Statistic
from claims.search.matching import Highlight


def first_of_each_source(citations: Iterable[Citation]) -> list[Citation]:
    """The first citation of each source, in the given order: each source named once."""
    seen: dict[int, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.source_id, citation)
    return list(seen.values())


@dataclass
class RelatedClaim:
    """A relation seen from one claim's side: "rebuts X" or "rebutted by X"."""

    kind: ClaimRelation.Kind
    label: str
    claim: Claim
    note: str = ""

    @property
    def is_opposing(self) -> bool:
        return self.kind.is_opposing


def related_claims(claim_ids: Iterable[int]) -> dict[int, list[RelatedClaim]]:
    """Every relation touching the given claims, from each claim's point of view (one query)."""
    ids = set(claim_ids)
    related: dict[int, list[RelatedClaim]] = defaultdict(list)
    if not ids:
        return related
    for rel in ClaimRelation.objects.touching(ids):
        kind = ClaimRelation.Kind(rel.kind)
        if rel.from_claim_id in ids:
            related[rel.from_claim_id].append(
                RelatedClaim(kind, kind.label, rel.to_claim, rel.note)
            )
        if rel.to_claim_id in ids:
            related[rel.to_claim_id].append(
                RelatedClaim(kind, kind.inverse_label, rel.from_claim, rel.note)
            )
    for items in related.values():
        items.sort(key=lambda r: (r.label, r.claim.pk))
    return related


@dataclass
class Link:
    """A rebuttal or contradiction drawn on a card: where it points and how."""

    related: RelatedClaim
    href: str
    where: str = ""  # "(USTR column)" when the other claim is on the same board
    arrow: str = "→"


@dataclass
class ConflictNote:
    label: str
    value: str
    party: str


@dataclass
class FigureLine:
    statistic: Statistic
    conflicts: list[ConflictNote] = field(default_factory=list)
    more_conflicts: int = 0


@dataclass
class Card:
    """One claim as a card: loaded with Claim.objects.with_related()."""

    claim: Claim
    links: list[Link] = field(default_factory=list)
    figures: list[FigureLine] = field(default_factory=list)
    anchor: bool = False  # the first card of a claim on a page carries id="claim-<pk>"
    highlight: Highlight | None = None  # the words a search matched, on its results

    @property
    def citations(self) -> list[Citation]:
        return self.claim.card_citations  # type: ignore[attr-defined]

    @property
    def first_citation(self) -> Citation | None:
        return self.citations[0] if self.citations else None

    @property
    def sources(self) -> list[Citation]:
        """The first citation of each source, in citation order: each source named once."""
        return first_of_each_source(self.citations)


def plain_cards(
    claims: Iterable[Claim], highlights: Mapping[int, Highlight] | None = None
) -> list[Card]:
    """Cards with their figures and no relations (lists and the home page), with a
    search's highlights when given."""
    marks = highlights or {}
    return [
        Card(
            claim,
            figures=[FigureLine(s) for s in claim.card_statistics],  # type: ignore[attr-defined]
            highlight=marks.get(claim.pk),
        )
        for claim in claims
    ]


def cards_with_opposing(claims: Iterable[Claim]) -> list[Card]:
    """Cards whose rebuttals and contradictions link to the other claim's page (timelines:
    a row shows no figures or citations, so the claims need only their party and speaker)."""
    claims = list(claims)
    related = related_claims(c.pk for c in claims)
    return [
        Card(
            claim,
            links=[
                Link(r, r.claim.get_absolute_url())
                for r in related.get(claim.pk, [])
                if r.is_opposing
            ],
        )
        for claim in claims
    ]
