"""The sitemap's sections: every public claim, dispute, party, source and metric page, and
the fixed pages, each with the newest change to it that one query can read.

Addresses are absolute on SITE_URL, whatever host the sitemap was requested on (no
django.contrib.sites, whose example.com default would leak into production). Each section
is paginated by the framework and served from /sitemap.xml, an index of the sections' pages.

lastmod, per page:
- claim, source: its updated_at.
- party: the newest updated_at of its claims (Claim.objects.by_party); a party with no claims
  has no dated content and gets none.
- metric: the newest updated_at of the claims giving a figure for it; none without figures.
- dispute: its created_at or the newest updated_at of the claims placed on it, if later.
- home and the lists: the newest claim change or dispute creation; the source list: the
  newest source change; about: when its template file was last written (the deploy).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import F, Func, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import get_template
from django.urls import reverse

from claims.models import Claim, Dispute, Metric, Party, PointClaim, Statistic
from sources.models import Source

URLS_PER_PAGE = 10_000  # well under the protocol's 50,000, so one page stays a few MB


class SiteSitemap(Sitemap):
    """A section whose addresses are on SITE_URL and whose latest change is one query."""

    limit = URLS_PER_PAGE
    protocol = urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        # The host and any path prefix of SITE_URL; the framework prepends the protocol.
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item) -> datetime.datetime | None:
        return item.lastmod

    def newest(self) -> datetime.datetime | None:
        raise NotImplementedError

    def get_latest_lastmod(self) -> datetime.datetime | None:
        # The framework's default calls lastmod() on every item: 100,000 claims per index.
        return self.newest()


class ClaimSitemap(SiteSitemap):
    def items(self) -> QuerySet[Claim]:
        return Claim.objects.order_by("pk").only("pk", "slug").annotate(lastmod=F("updated_at"))

    def newest(self) -> datetime.datetime | None:
        return Claim.objects.aggregate(newest=Max("updated_at"))["newest"]


class SourceSitemap(SiteSitemap):
    def items(self) -> QuerySet[Source]:
        return Source.objects.order_by("pk").only("pk", "slug").annotate(lastmod=F("updated_at"))

    def newest(self) -> datetime.datetime | None:
        return Source.objects.aggregate(newest=Max("updated_at"))["newest"]


class PartySitemap(SiteSitemap):
    def items(self) -> QuerySet[Party]:
        # MAX without GROUP BY: one value per party, as PartyQuerySet.with_claim_counts counts.
        latest = (
            Claim.objects.by_party(OuterRef("pk"))
            .order_by()
            .annotate(latest=Func(F("updated_at"), function="MAX"))
            .values("latest")
        )
        return Party.objects.order_by("pk").only("pk", "slug").annotate(lastmod=Subquery(latest))

    def newest(self) -> datetime.datetime | None:
        # Every claim belongs to a party, so the newest claim change is a party's.
        return Claim.objects.aggregate(newest=Max("updated_at"))["newest"]


class MetricSitemap(SiteSitemap):
    def items(self) -> QuerySet[Metric]:
        return (
            Metric.objects.order_by("pk")
            .only("pk", "slug")
            .annotate(lastmod=Max("statistics__claim__updated_at"))
        )

    def newest(self) -> datetime.datetime | None:
        return Statistic.objects.aggregate(newest=Max("claim__updated_at"))["newest"]


class DisputeSitemap(SiteSitemap):
    def items(self) -> QuerySet[Dispute]:
        return (
            Dispute.objects.order_by("pk")
            .only("pk", "slug", "created_at")
            .annotate(placed=Max("points__placements__claim__updated_at"))
            .annotate(lastmod=Greatest("created_at", Coalesce("placed", "created_at")))
        )

    def newest(self) -> datetime.datetime | None:
        created = Dispute.objects.aggregate(newest=Max("created_at"))["newest"]
        placed = PointClaim.objects.aggregate(newest=Max("claim__updated_at"))["newest"]
        return max(filter(None, (created, placed)), default=None)


def _newest_content() -> datetime.datetime | None:
    claims = Claim.objects.aggregate(newest=Max("updated_at"))["newest"]
    disputes = Dispute.objects.aggregate(newest=Max("created_at"))["newest"]
    return max(filter(None, (claims, disputes)), default=None)


def _newest_source() -> datetime.datetime | None:
    return Source.objects.aggregate(newest=Max("updated_at"))["newest"]


def _template_written(name: str) -> Callable[[], datetime.datetime]:
    def written() -> datetime.datetime:
        path = Path(get_template(name).origin.name)  # type: ignore[attr-defined]
        return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)

    return written


# The fixed pages and what dates them.
STATIC_PAGES: dict[str, Callable[[], datetime.datetime | None]] = {
    "home": _newest_content,
    "about": _template_written("about.html"),
    "claims:list": _newest_content,
    "disputes:list": _newest_content,
    "parties:list": _newest_content,
    "metrics:list": _newest_content,
    "sources:list": _newest_source,
}


class StaticSitemap(SiteSitemap):
    limit = len(STATIC_PAGES)

    def __init__(self) -> None:
        self._dated: dict[Callable, datetime.datetime | None] = {}

    def items(self) -> list[str]:
        return list(STATIC_PAGES)

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime.datetime | None:
        dating = STATIC_PAGES[item]
        if dating not in self._dated:  # the lists share one query
            self._dated[dating] = dating()
        return self._dated[dating]

    def newest(self) -> datetime.datetime | None:
        dates = [self.lastmod(item) for item in self.items()]
        return max(filter(None, dates), default=None)


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "pages": StaticSitemap,
    "claims": ClaimSitemap,
    "disputes": DisputeSitemap,
    "parties": PartySitemap,
    "sources": SourceSitemap,
    "metrics": MetricSitemap,
}
