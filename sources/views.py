from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sources.models import Source


def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.with_outlet()
    outlet = request.GET.get("outlet")
    if outlet:
        sources = sources.filter(outlet__slug=outlet)
    return render(request, "sources/source_list.html", {"sources": sources})


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source.objects.with_outlet(), slug=slug)
    return render(request, "sources/source_detail.html", {"source": source})
