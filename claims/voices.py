"""What a party said, as link previews, share images, embeds and "Cite this" show it.

A Voice is a claim reduced to who said it, when, and either a verbatim quote (drawn in
quotation marks) or the editors' summary (never in quotation marks: a summary is our words,
not theirs). The counterpart of a claim is the other side's answer: a claim that rebuts or
contradicts it, else a claim of another side on the same dispute point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from claims.cards import RelatedClaim, related_claims
from claims.models import Citation, Claim, DisputePoint, PointClaim
from claims.text import comparable_words, shorten


def representative_citation(citations: Iterable[Citation]) -> Citation | None:
    """The citation whose quote stands for the claim: the first that is anchored in its
    source and is not merely the source's title (a headline)."""
    return next(
        (
            c
            for c in citations
            if c.is_anchored and comparable_words(c.quote) != comparable_words(c.source.title)
        ),
        None,
    )


@dataclass(frozen=True)
class Voice:
    party: str
    date: str  # at its known precision: "Jan 2018", "2017", "Date unknown"
    text: str
    verbatim: bool  # True: the source's exact words; False: our summary
    url: str

    def quoted(self, limit: int) -> str:
        """The text within limit characters: in quotation marks only when verbatim."""
        if self.verbatim:
            return f"“{shorten(self.text, limit - 2)}”"
        return shorten(self.text, limit)

    @classmethod
    def of(cls, claim: Claim, citations: Iterable[Citation]) -> Voice:
        cited = representative_citation(citations)
        return cls(
            party=claim.party.name,
            date=claim.claimed_display,
            text=cited.quote if cited else claim.summary,
            verbatim=cited is not None,
            url=claim.get_absolute_url(),
        )


def _citations_by_claim(claim_ids: Iterable[int]) -> dict[int, list[Citation]]:
    """Each claim's citations, earliest source first, with the bodies that anchoring checks
    (one query)."""
    found: dict[int, list[Citation]] = {}
    for citation in (
        Citation.objects.filter(claim_id__in=set(claim_ids))
        .select_related("source")
        .order_by(F("source__published_on").asc(nulls_last=True), "pk")
    ):
        found.setdefault(citation.claim_id, []).append(citation)
    return found


def voices_of(claims: Iterable[Claim]) -> dict[int, Voice]:
    """A Voice per claim (claims loaded with their party), one query for the citations."""
    claims = list(claims)
    cited = _citations_by_claim(c.pk for c in claims)
    return {c.pk: Voice.of(c, cited.get(c.pk, [])) for c in claims}


@dataclass(frozen=True)
class Counterpart:
    """The other side's answer to a claim, and how it answers ("rebutted by"), if said."""

    claim: Claim
    label: str = ""


def pick_counterpart(related: list[RelatedClaim], facing: list[Claim]) -> Counterpart | None:
    """The rule: the first rebuttal or contradiction either way, else the first claim of
    another side on a dispute point where the claim is placed."""
    opposing = next((r for r in related if r.is_opposing), None)
    if opposing is not None:
        return Counterpart(opposing.claim, opposing.label)
    return Counterpart(facing[0]) if facing else None


def counterpart(claim: Claim) -> Counterpart | None:
    """pick_counterpart for one claim, loading only what the rule reads (two queries)."""
    related = related_claims([claim.pk]).get(claim.pk, [])
    if any(r.is_opposing for r in related):
        return pick_counterpart(related, [])
    placements = PointClaim.objects.filter(claim=claim).values("point_id", "side_id")
    facing = (
        PointClaim.objects.filter(point_id__in=placements.values("point_id"))
        .exclude(side_id__in=placements.values("side_id"))
        .select_related("claim__party")
        .order_by("point__order", "side__order", "order", "pk")
        .first()
    )
    return pick_counterpart(related, [facing.claim] if facing else [])


@dataclass(frozen=True)
class SideVoice:
    """One side of a dispute point: its heading, its first claim there, and its stance."""

    heading: str
    voice: Voice | None
    stance: str


@dataclass(frozen=True)
class PointVoices:
    """A dispute point as columns: each side's first claim on it (or its stance)."""

    point: DisputePoint
    sides: list[SideVoice]

    @classmethod
    def of(cls, point: DisputePoint) -> PointVoices:
        """The point's sides in board order with each side's first placed claim."""
        sides = list(point.dispute.sides.select_related("party"))
        placements = (
            PointClaim.objects.filter(point=point)
            .select_related("claim__party")
            .order_by("side__order", "order", F("claim__claimed_on").asc(nulls_last=True), "pk")
        )
        first: dict[int, Claim] = {}
        for placement in placements:
            first.setdefault(placement.side_id, placement.claim)
        voices = voices_of(first.values())
        return cls(
            point=point,
            sides=[
                SideVoice(
                    side.heading,
                    voices[first[side.pk].pk] if side.pk in first else None,
                    side.stance,
                )
                for side in sides
            ],
        )
