from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from claims.views import crawlers, home
from tracker import bench

admin.site.site_header = "Counterpoint administration"
admin.site.site_title = "Counterpoint admin"
admin.site.index_title = "Sources, claims and disputes"

# Tells an unreachable database (503, retry) apart from a bug (500).
handler500 = "tracker.errors.server_error"

urlpatterns = [
    path("", home.home, name="home"),
    path("about/", home.about, name="about"),
    path("claims/", include("claims.urls.claims")),
    path("disputes/", include("claims.urls.disputes")),
    path("parties/", include("claims.urls.parties")),
    path("metrics/", include("claims.urls.metrics")),
    path("sources/", include("claims.urls.sources")),
    path("feeds/", include("claims.urls.feeds")),
    path("sitemap.xml", crawlers.sitemap_index, name="sitemap"),
    # Before the section's own address, whose slug would take "claims-2" whole.
    path(
        "sitemap-<slug:section>-<int:page>.xml",
        crawlers.sitemap_section_page,
        name=crawlers.SECTION_PAGE_URL_NAME,
    ),
    path("sitemap-<slug:section>.xml", crawlers.sitemap_section, name=crawlers.SECTION_URL_NAME),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path("", include("claims.urls.share")),
    path("api/", include("claims.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_VIEWS:  # the benchmark's bare view; never mounted otherwise
    urlpatterns.append(path("_bench/bare/", bench.bare, name="bench-bare"))
