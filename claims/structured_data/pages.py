"""JSON-LD for the other page kinds: a source as the work it is, a party as a Person or
Organization, the home page as a WebSite, and the dispute board, a figure's values and the
lists as ItemLists.

ItemList rather than Dataset for the dispute board and a figure's values: each entry is a
claim with its own permalink, which is what an ItemList of ListItems (position, url, item)
says; a schema.org/Google Dataset describes a downloadable body of data (distribution,
licence, variables measured), which these pages are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from claims.models import Claim, Party
from claims.structured_data.common import CONTEXT, SITE_NAME, party_ld, work_ld
from sources.models import Source


@dataclass(frozen=True)
class Entry:
    """One entry of a list: a name, the page it leads to, and the claim it is (if any; then
    path is the claim's own path)."""

    name: str
    path: str
    claim: Claim | None = None


def _ref(party: Party) -> dict:
    """A party by name and page, without loading its affiliation (for long lists)."""
    page = f"{settings.SITE_URL}{party.get_absolute_url()}"
    return {
        "@type": "Person" if party.is_person else "Organization",
        "@id": page,
        "name": party.name,
    }


def claim_summary_ld(claim: Claim, path: str | None = None) -> dict:
    """A claim as an entry of a list: what, who, when, where its page is (path: the
    claim's path when the caller has it, saving a reverse() per entry of a long list)."""
    url = f"{settings.SITE_URL}{path or claim.get_absolute_url()}"
    found: dict[str, Any] = {
        "@type": "Claim",
        "@id": url,
        "url": url,
        "name": claim.summary,
        "author": _ref(claim.speaker or claim.party),
    }
    if claim.claimed_iso:
        found["datePublished"] = claim.claimed_iso
    return found


def item_list_ld(name: str, path: str, entries: Iterable[Entry], **extra: Any) -> dict:
    url = f"{settings.SITE_URL}{path}"
    elements = []
    for position, entry in enumerate(entries, start=1):
        element: dict[str, Any] = {
            "@type": "ListItem",
            "position": position,
            "name": entry.name,
            "url": f"{settings.SITE_URL}{entry.path}",
        }
        if entry.claim is not None:
            # An entry that is a claim leads to the claim's own page.
            element["item"] = claim_summary_ld(entry.claim, entry.path)
        elements.append(element)
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "@id": f"{url}#list",
        "name": name,
        "url": url,
        "numberOfItems": len(elements),
        "itemListElement": elements,
        **extra,
    }


def collection_ld(name: str, path: str, entries: Iterable[Entry], description: str) -> list[dict]:
    """A list page: a CollectionPage whose main entity is the ItemList of what it lists."""
    url = f"{settings.SITE_URL}{path}"
    items = item_list_ld(name, path, entries)
    del items["@context"]
    return [
        {
            "@context": CONTEXT,
            "@type": "CollectionPage",
            "@id": url,
            "url": url,
            "name": name,
            "description": description,
            "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": settings.SITE_URL},
            "mainEntity": items,
        }
    ]


def website_ld(description: str) -> list[dict]:
    search = f"{settings.SITE_URL}{reverse('claims:list')}?q={{search_term_string}}"
    return [
        {
            "@context": CONTEXT,
            "@type": "WebSite",
            "@id": f"{settings.SITE_URL}/",
            "name": SITE_NAME,
            "url": f"{settings.SITE_URL}/",
            "description": description,
            "potentialAction": {
                "@type": "SearchAction",
                "target": search,
                "query-input": "required name=search_term_string",
            },
        }
    ]


def about_ld(path: str, description: str) -> list[dict]:
    url = f"{settings.SITE_URL}{path}"
    return [
        {
            "@context": CONTEXT,
            "@type": "AboutPage",
            "@id": url,
            "url": url,
            "name": "How Counterpoint works",
            "description": description,
        }
    ]


def source_json_ld(source: Source) -> list[dict]:
    """The source as its kind of work; our page is a copy of it, based on the original."""
    work = work_ld(source, with_id=True)
    ours = f"{settings.SITE_URL}{source.get_absolute_url()}"
    work["url"] = ours
    work["mainEntityOfPage"] = ours
    if source.url:
        work["isBasedOn"] = source.url
        work["sameAs"] = source.url
    return [{"@context": CONTEXT, **work}]


def party_json_ld(party: Party) -> list[dict]:
    found = party_ld(party)
    found["mainEntityOfPage"] = f"{settings.SITE_URL}{party.get_absolute_url()}"
    if party.description:
        found["description"] = party.description
    if party.url:
        found["sameAs"] = party.url
    return [{"@context": CONTEXT, **found}]
