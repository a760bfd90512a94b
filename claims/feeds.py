"""Atom feeds of claims (newest, per party, per dispute) and of public corrections.

Every address in a feed is absolute on SITE_URL, never the host a request came in on, so a
feed read through a proxy or a cache still links to the public site. Titles are plain text
(Atom escapes them as text); summaries are rendered from templates/feeds/ with
auto-escaping, because Atom's summary is HTML and article text is untrusted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.history import Correction, latest_corrections
from claims.models import Claim, Dispute, Party, PointClaim
from claims.text import shorten

ENTRIES = 50  # the newest this many entries; a reader keeps what it has already seen
TITLE_SUMMARY_CHARS = 120


# What an empty feed says for <updated>: Django's default is the time of the request, which
# makes the same feed differ on every fetch (for HTTP caches and the baked site alike).
NEVER_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class StableAtomFeed(Atom1Feed):
    """An Atom feed whose bytes change only when its entries do."""

    def latest_post_date(self) -> datetime.datetime:
        if not self.items:
            return NEVER_UPDATED
        return super().latest_post_date()


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def claim_id_url(claim_id: int) -> str:
    """The claim's address by id alone: it never changes, though the slug follows the
    summary, so it is the entry's id (and redirects to the permalink)."""
    return absolute(reverse("claims:detail_by_id", kwargs={"pk": claim_id}))


class ClaimFeed(Feed):
    """The newest claims added; subclasses narrow the claims and name the feed."""

    feed_type = StableAtomFeed
    description_template = "feeds/claim_summary.html"
    url_name = "feeds:claims"

    def title(self, obj: object = None) -> str:
        return "Counterpoint: newest claims"

    def subtitle(self, obj: object = None) -> str:
        return "Claims as they are added, each cited to the passage of its source."

    def link(self, obj: object = None) -> str:
        return absolute(reverse("home"))

    def feed_url(self, obj: object = None) -> str:
        return absolute(reverse(self.url_name))

    def claims(self, obj: object) -> QuerySet[Claim]:
        return Claim.objects.all()

    def items(self, obj: object = None) -> list[Claim]:
        newest = self.claims(obj).with_related().order_by("-created_at", "-pk")  # type: ignore[attr-defined]
        return list(newest[:ENTRIES])

    def item_title(self, item: Claim) -> str:
        return f"{item.party.name}: {shorten(item.summary, TITLE_SUMMARY_CHARS)}"

    def item_link(self, item: Claim) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Claim) -> str:
        return claim_id_url(item.pk)

    def item_pubdate(self, item: Claim) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Claim) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Claim) -> str:
        return item.party.name

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["claim"] = kwargs["item"]
        return context


class PartyClaimFeed(ClaimFeed):
    """A party's claims as Claim.objects.by_party counts them (its people's included)."""

    url_name = "feeds:party"

    def get_object(self, request: HttpRequest, slug: str) -> Party:
        return get_object_or_404(Party, slug=slug)

    def title(self, obj: Party) -> str:  # type: ignore[override]
        return f"Counterpoint: claims by {obj.name}"

    def subtitle(self, obj: Party) -> str:  # type: ignore[override]
        return f"Claims by {obj.name} and the people who speak for it, newest first."

    def link(self, obj: Party) -> str:  # type: ignore[override]
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Party) -> str:  # type: ignore[override]
        return absolute(reverse(self.url_name, kwargs={"slug": obj.slug}))

    def claims(self, obj: Party) -> QuerySet[Claim]:  # type: ignore[override]
        return Claim.objects.by_party(obj)


class DisputeClaimFeed(ClaimFeed):
    """The claims placed on a dispute's points, on any side."""

    url_name = "feeds:dispute"

    def get_object(self, request: HttpRequest, slug: str) -> Dispute:
        return get_object_or_404(Dispute, slug=slug)

    def title(self, obj: Dispute) -> str:  # type: ignore[override]
        return f"Counterpoint: {obj.title}"

    def subtitle(self, obj: Dispute) -> str:  # type: ignore[override]
        return f"Claims placed on the points of “{obj.title}”, newest first."

    def link(self, obj: Dispute) -> str:  # type: ignore[override]
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Dispute) -> str:  # type: ignore[override]
        return absolute(reverse(self.url_name, kwargs={"slug": obj.slug}))

    def claims(self, obj: Dispute) -> QuerySet[Claim]:  # type: ignore[override]
        # A subquery rather than a join: a claim on two points is one entry.
        placed = PointClaim.objects.filter(point__dispute=obj).values("claim_id")
        return Claim.objects.filter(pk__in=placed)


@dataclass(frozen=True)
class CorrectionEntry:
    claim: Claim
    correction: Correction

    @property
    def guid(self) -> str:
        at = self.correction.corrected_at
        stamp = int(at.timestamp()) * 1_000_000 + at.microsecond
        return f"{claim_id_url(self.claim.pk)}#correction-{stamp}-{self.correction.what.lower()}"


class CorrectionFeed(Feed):
    """Public corrections of claims after publication (claims.history), newest first."""

    feed_type = StableAtomFeed
    description_template = "feeds/correction_summary.html"
    title = "Counterpoint: corrections"
    subtitle = "Every change to a claim's quote, date, party, speaker or figure after publication."

    def link(self) -> str:
        return absolute(reverse("home"))

    def feed_url(self) -> str:
        return absolute(reverse("feeds:corrections"))

    def items(self) -> list[CorrectionEntry]:
        found = latest_corrections(ENTRIES)
        claims = Claim.objects.select_related("party").in_bulk({pk for pk, _ in found})
        # A claim removed between the two queries has nothing left to link to.
        return [CorrectionEntry(claims[pk], c) for pk, c in found if pk in claims]

    def item_title(self, item: CorrectionEntry) -> str:
        claim = item.claim
        summary = shorten(claim.summary, TITLE_SUMMARY_CHARS)
        return f"{item.correction.description} — {claim.party.name}: {summary}"

    def item_link(self, item: CorrectionEntry) -> str:
        return absolute(f"{item.claim.get_absolute_url()}#corrections-heading")

    def item_guid(self, item: CorrectionEntry) -> str:
        return item.guid

    def item_pubdate(self, item: CorrectionEntry) -> datetime.datetime:
        return item.correction.corrected_at

    def item_updateddate(self, item: CorrectionEntry) -> datetime.datetime:
        return item.correction.corrected_at

    def item_author_name(self, item: CorrectionEntry) -> str:
        return item.claim.party.name

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entry"] = kwargs["item"]
        return context
