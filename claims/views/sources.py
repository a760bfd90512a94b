"""The public source pages: every source, and one source's text with its cited passages.

They live in claims, not sources: what a reader sees of a source is what claims cite in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.models import Citation
from sources.models import Outlet, Source

SOURCES_PER_PAGE = 50


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    sources = (
        Source.objects.with_outlet()
        .annotate(citation_count=Count("citations"))
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )
    outlet = None
    if slug := request.GET.get("outlet"):
        outlet = get_object_or_404(Outlet, slug=slug)
        sources = sources.filter(outlet=outlet)
    page = Paginator(sources, SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sources/source_list.html",
        {"page_obj": page, "sources": page.object_list, "outlet": outlet},
    )


@require_safe
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.with_outlet(), slug=slug)
    return render(request, "sources/source_detail.html", {"page": SourcePage.of(source)})


@dataclass
class SourcePage:
    source: Source
    citations: list[Citation]  # anchored: marked in the text
    unverified: list[Citation]  # flagged or no longer found: listed apart

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
