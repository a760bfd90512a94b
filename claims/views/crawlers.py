"""What crawlers read: the sitemap index, its sections, and robots.txt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.sitemaps import SITEMAPS

SECTION_URL_NAME = "sitemap-section"


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the framework's index of every section's pages, on SITE_URL."""
    response = sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name=SECTION_URL_NAME)
    assert isinstance(response, TemplateResponse)  # rendered lazily, so it can be re-homed
    # The framework puts the requesting host in the index; the public address belongs there.
    for item in response.context_data["sitemaps"]:  # type: ignore[index]
        parts = urlsplit(item.location)
        item.location = f"{settings.SITE_URL}{parts.path}" + (
            f"?{parts.query}" if parts.query else ""
        )
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (?p=) of one section; an unknown section or page is a 404."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = f"{settings.SITE_URL}{reverse('sitemap')}"
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
