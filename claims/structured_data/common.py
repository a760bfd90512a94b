"""The pieces several page kinds share: parties as Person or Organization, a source as the
creative work it is, and Counterpoint itself as the reviewing organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from claims.models import Party
from sources.dates import iso_precise_date
from sources.models import Source

CONTEXT = "https://schema.org"
SITE_NAME = "Counterpoint"


def site_organization() -> dict:
    return {"@type": "Organization", "name": SITE_NAME, "url": settings.SITE_URL}


def organization_ld(party: Party) -> dict:
    return {
        "@type": "Organization",
        "@id": f"{settings.SITE_URL}{party.get_absolute_url()}",
        "name": party.name,
        "url": party.url or f"{settings.SITE_URL}{party.get_absolute_url()}",
    }


def party_ld(party: Party, *, speaks_for: Party | None = None) -> dict:
    """A Person (with jobTitle and the organisation they work for) or an Organization.

    speaks_for: the organisation a person spoke for in a claim, when the party has no
    affiliation of its own on record."""
    if not party.is_person:
        return organization_ld(party)
    found: dict[str, Any] = {
        "@type": "Person",
        "@id": f"{settings.SITE_URL}{party.get_absolute_url()}",
        "name": party.name,
        "url": party.url or f"{settings.SITE_URL}{party.get_absolute_url()}",
    }
    if party.role:
        found["jobTitle"] = party.role
    employer = party.affiliation or speaks_for
    if employer is not None and employer.pk != party.pk:
        found["worksFor"] = organization_ld(employer)
    return found


def work_ld(source: Source, *, with_id: bool = False) -> dict:
    """The source as the work it is (NewsArticle, Report, BlogPosting…): its own URL when
    known, else our copy of it; its date at the precision known; its publisher and byline."""
    ours = f"{settings.SITE_URL}{source.get_absolute_url()}"
    found: dict[str, Any] = {
        "@type": Source.Kind(source.kind).schema_type,
        **({"@id": ours} if with_id else {}),
        "headline": source.title[:110],  # the headline length search engines accept
        "name": source.title,
        "url": source.url or ours,
    }
    if published := iso_precise_date(source.published_on, source.published_precision):
        found["datePublished"] = published
    if source.outlet:
        found["publisher"] = {
            "@type": "Organization",
            "name": source.outlet.name,
            **({"url": source.outlet.homepage} if source.outlet.homepage else {}),
        }
    if source.author:
        found["author"] = {"@type": "Person", "name": source.author}
    return found
