"""The claim permalink's JSON-LD: a schema.org Claim, and a ClaimReview with the Claim
nested in itemReviewed only when an editor's assessment is published."""

from __future__ import annotations

from typing import Any

from claims.cards import first_of_each_source
from claims.models import Assessment, Citation, Claim
from claims.structured_data.common import CONTEXT, party_ld, site_organization, work_ld

RATING_BEST, RATING_WORST = 5, 1


def claim_author_ld(claim: Claim) -> dict:
    """Who made the claim: the named speaker (a Person working for the claim's party) when
    the sources name one, else the party itself."""
    if claim.speaker is not None:
        return party_ld(claim.speaker, speaks_for=claim.party)
    return party_ld(claim.party)


def appearance_ld(citation: Citation) -> dict:
    return work_ld(citation.source)


def claim_ld(
    claim: Claim, *, canonical: str, citations: list[Citation], quoted: Citation | None
) -> dict:
    """The Claim: text is the representative verbatim quote; each source appears once,
    the earliest first (citations come earliest first)."""
    appearances = [appearance_ld(c) for c in first_of_each_source(citations)]
    item: dict[str, Any] = {
        "@type": "Claim",
        "@id": canonical,
        "url": canonical,
        "name": claim.summary,
        "author": claim_author_ld(claim),
    }
    if quoted:
        item["text"] = quoted.quote
    if claim.claimed_iso:
        item["datePublished"] = claim.claimed_iso
        item["dateCreated"] = claim.claimed_iso
    if appearances:
        item["firstAppearance"] = appearances[0]
        item["appearance"] = appearances
    return item


def rating_ld(assessment: Assessment) -> dict:
    """A point on the 1–5 scale (see the method page); "Cannot be verified" is named, not
    numbered."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": assessment.get_rating_display()}
    if value := assessment.rating_value:
        rating |= {"ratingValue": value, "bestRating": RATING_BEST, "worstRating": RATING_WORST}
    return rating


def claim_json_ld(
    claim: Claim,
    *,
    canonical: str,
    citations: list[Citation],
    quoted: Citation | None,
    assessment: Assessment | None,
) -> list[dict]:
    item = claim_ld(claim, canonical=canonical, citations=citations, quoted=quoted)
    blocks = [{"@context": CONTEXT, **item}]
    if assessment is None or not assessment.is_published:
        return blocks
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": f"{canonical}#assessment",
        "claimReviewed": claim.summary,
        "itemReviewed": item,
        "reviewRating": rating_ld(assessment),
        "author": site_organization(),
        "publisher": site_organization(),
        "reviewBody": assessment.rationale,
    }
    if assessment.published_at:
        review["datePublished"] = assessment.published_at.date().isoformat()
    blocks.append(review)
    return blocks
