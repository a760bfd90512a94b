from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims import selectors
from sources.models import Outlet, Source

SOURCES_PER_PAGE = 50


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    sources = selectors.source_list()
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
    return render(request, "sources/source_detail.html", selectors.source_page(source))
