"""What crawlers read: the sitemap index, its sections, and robots.txt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.sitemaps import SITEMAPS

SECTION_URL_NAME = "sitemap-section"
SECTION_PAGE_URL_NAME = "sitemap-section-page"


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the framework's index of every section's pages, on SITE_URL."""
    response = sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name=SECTION_URL_NAME)
    assert isinstance(response, TemplateResponse)  # rendered lazily, so it can be re-homed
    # The framework puts the requesting host in the index; the public address belongs there.
    # Its later pages are ?p=N, which a static host (the baked site) cannot tell apart, so
    # the index names them by path instead; ?p=N keeps working.
    for item in response.context_data["sitemaps"]:  # type: ignore[index]
        parts = urlsplit(item.location)
        path = parts.path
        page = QueryDict(parts.query).get("p")
        if page and page.isdigit() and int(page) > 1:
            section = path.removeprefix("/sitemap-").removesuffix(".xml")
            path = reverse(SECTION_PAGE_URL_NAME, kwargs={"section": section, "page": int(page)})
        item.location = f"{settings.SITE_URL}{path}"
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (?p=) of one section; an unknown section or page is a 404."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@require_safe
def sitemap_section_page(request: HttpRequest, section: str, page: int) -> HttpResponse:
    """/sitemap-<section>-<page>.xml: the section's later pages by path; page 1 has one
    address, the section's own."""
    if page < 1:
        raise Http404("Sitemap pages start at 1.")
    if page == 1:
        return redirect(SECTION_URL_NAME, section=section, permanent=True)
    request.GET = QueryDict(f"p={page}")
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = f"{settings.SITE_URL}{reverse('sitemap')}"
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
