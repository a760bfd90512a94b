"""The public source pages: every source, and one source's text with its cited passages.

They live in claims, not sources: what a reader sees of a source is what claims cite in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.meta import PageMeta, absolute
from claims.models import Citation
from claims.pagination import LinkedPage, page_url, paginate
from claims.structured_data.pages import Entry, source_json_ld
from claims.text import shorten
from sources.models import Outlet, Source

SOURCES_PER_PAGE = 50


@require_safe
def source_list(request: HttpRequest, page: int | None = None) -> HttpResponseBase:
    cited = (
        Citation.objects.filter(source=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    sources = (
        Source.objects.with_outlet()
        # Counted per source shown (a correlated subquery on citation_source_start_idx),
        # not by a GROUP BY over every citation.
        .annotate(citation_count=Subquery(cited, output_field=IntegerField()))
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    outlet = None
    if slug := request.GET.get("outlet"):
        outlet = get_object_or_404(Outlet, slug=slug)
        sources = sources.filter(outlet=outlet)
    base = reverse("sources:list")
    found = paginate(request, sources, SOURCES_PER_PAGE, base=base, page=page)
    if not isinstance(found, LinkedPage):
        return found
    meta = PageMeta.collection(
        title=f"Sources from {outlet.name}" if outlet else "Sources",
        description="The articles, statements and reports the claims are quoted from, each "
        "kept in full.",
        path=request.get_full_path() if outlet else page_url(base, found.number),
        entries=[Entry(s.title, s.get_absolute_url()) for s in found.object_list],
    )
    return render(
        request,
        "sources/source_list.html",
        {"page_obj": found, "sources": found.object_list, "outlet": outlet, "meta": meta},
    )


@require_safe
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.with_outlet(), slug=slug)
    page = SourcePage.of(source)
    return render(request, "sources/source_detail.html", {"page": page, "meta": page.meta})


@dataclass
class SourcePage:
    source: Source
    citations: list[Citation]  # anchored: marked in the text
    unverified: list[Citation]  # flagged or no longer found: listed apart

    @property
    def meta(self) -> PageMeta:
        """The source as its kind of work; the share image is its first cited claim's card."""
        source = self.source
        by = f" from {source.outlet.name}" if source.outlet else ""
        first = self.citations[0] if self.citations else None
        return PageMeta.page(
            title=source.title,
            description=f"{source.get_kind_display()}{by}, {source.published_display}: the full "
            "text, with every passage that claims cite highlighted.",
            path=source.get_absolute_url(),
            json_ld=source_json_ld(source),
            image_url=absolute(reverse("claims:card", kwargs={"pk": first.claim_id}))
            if first
            else "",
            image_alt=f"{first.claim.party.name}: “{shorten(first.quote, 200)}”" if first else "",
            og_type="article",
        )

    @classmethod
    def of(cls, source: Source) -> SourcePage:
        citations = list(source.citations.select_related("claim__party").order_by("start", "pk"))
        for citation in citations:
            citation.source = source  # the body is loaded once, not once per citation
        return cls(
            source=source,
            citations=[c for c in citations if c.is_anchored],
            unverified=[c for c in citations if not c.is_anchored],
        )
