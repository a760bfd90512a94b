"""schema.org JSON-LD for claim permalinks: a Claim, plus a ClaimReview when an editor's
assessment is published. Plain dicts; the json_ld template tag writes them safely."""

from __future__ import annotations

from typing import Any

from claims.models import Assessment, Citation, Claim, Party
from sources.dates import iso_precise_date


def party_ld(party: Party) -> dict:
    kind = "Person" if party.is_person else "Organization"
    return {"@type": kind, "name": party.name, **({"url": party.url} if party.url else {})}


def appearance_ld(citation: Citation, site_url: str) -> dict:
    source = citation.source
    found: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or f"{site_url}{citation.get_absolute_url()}",
    }
    if published := iso_precise_date(source.published_on, source.published_precision):
        found["datePublished"] = published
    if source.outlet:
        found["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return found


def claim_json_ld(
    claim: Claim,
    *,
    canonical: str,
    site_url: str,
    citations: list[Citation],
    quoted: Citation | None,
    assessment: Assessment | None,
) -> list[dict]:
    """The claim's JSON-LD; text is the representative quote; each source appears once,
    the earliest first."""
    by_source = {c.source_id: c for c in reversed(citations)}  # the first citation per source
    appearances = [appearance_ld(c, site_url) for c in citations if by_source[c.source_id] is c]
    item = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": canonical,
        "url": canonical,
        "name": claim.summary,
        "author": party_ld(claim.speaker or claim.party),
        **({"text": quoted.quote} if quoted else {}),
        **({"dateCreated": claim.claimed_iso} if claim.claimed_iso else {}),
        **({"firstAppearance": appearances[0], "appearance": appearances} if appearances else {}),
    }
    if not assessment:
        return [item]
    rating = {
        "@type": "Rating",
        "alternateName": assessment.get_rating_display(),
        **(
            {"ratingValue": assessment.rating_value, "bestRating": 5, "worstRating": 1}
            if assessment.rating_value
            else {}
        ),
    }
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{canonical}#assessment",
        "claimReviewed": claim.summary,
        "itemReviewed": {"@id": canonical},
        "author": {"@type": "Organization", "name": "Counterpoint"},
        "reviewRating": rating,
        **(
            {"datePublished": assessment.published_at.date().isoformat()}
            if assessment.published_at
            else {}
        ),
    }
    return [item, review]
