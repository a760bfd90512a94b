"""The sitemap: an index of sections listing every public page with when it last changed,
all on SITE_URL; robots.txt points crawlers at it and away from the admin."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from claims.models import Claim, Dispute, Metric, Party
from claims.sitemaps import ClaimSitemap
from sources.models import Source
from tests.factories import make_claim, make_party
from tests.test_queries import build

pytestmark = pytest.mark.django_db

SITE = "https://counterpoint.example"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def xml(client, url: str, **headers) -> ET.Element:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def index_locations(client, **headers) -> list[str]:
    root = xml(client, "/sitemap.xml", **headers)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text or "" for loc in root.findall("sm:sitemap/sm:loc", NS)]


def section_urls(client, **headers) -> dict[str, str | None]:
    """Every <url> of every section page the index lists: location → lastmod."""
    urls: dict[str, str | None] = {}
    for location in index_locations(client, **headers):
        assert location.startswith(f"{SITE}/sitemap-")
        root = xml(client, location.removeprefix(SITE), **headers)
        for url in root.findall("sm:url", NS):
            lastmod = url.find("sm:lastmod", NS)
            urls[url.findtext("sm:loc", namespaces=NS) or ""] = (
                lastmod.text if lastmod is not None else None
            )
    return urls


def test_the_sitemap_lists_every_public_page_of_the_seed_on_the_site_url(seeded, client):
    urls = section_urls(client)
    pages = [
        *Claim.objects.all(),
        *Dispute.objects.all(),
        *Party.objects.all(),
        *Source.objects.all(),
        *Metric.objects.all(),
    ]
    assert len(pages) > 100
    for obj in pages:
        assert f"{SITE}{obj.get_absolute_url()}" in urls, obj
    for name in ["home", "about", "claims:list", "disputes:list", "parties:list", "sources:list"]:
        assert f"{SITE}{reverse(name)}" in urls
    assert all(location.startswith(f"{SITE}/") for location in urls)


def test_every_seeded_claim_source_dispute_and_page_has_its_lastmod(seeded, client):
    urls = section_urls(client)
    claim = Claim.objects.get(pk=1)
    assert urls[f"{SITE}{claim.get_absolute_url()}"] == claim.updated_at.date().isoformat()
    dated = [*Claim.objects.all(), *Source.objects.all(), *Dispute.objects.all()]
    with_claims = [p for p in Party.objects.all() if Claim.objects.by_party(p).exists()]
    with_figures = [m for m in Metric.objects.all() if m.statistics.exists()]
    for obj in [*dated, *with_claims, *with_figures]:
        assert urls[f"{SITE}{obj.get_absolute_url()}"], obj
    for name in ["home", "about", "claims:list", "sources:list"]:
        assert urls[f"{SITE}{reverse(name)}"]


def test_a_party_s_lastmod_is_the_newest_change_to_its_claims(client):
    agency = make_party(slug="agency")
    make_claim(party=agency)
    later = make_claim(party=make_party(affiliation=agency))  # said by its spokesperson
    Claim.objects.filter(pk=later.pk).update(
        updated_at=datetime.datetime(2030, 5, 6, tzinfo=datetime.UTC)
    )
    urls = section_urls(client)
    assert urls[f"{SITE}/parties/agency/"] == "2030-05-06"


def test_the_addresses_are_on_the_site_url_whatever_host_was_asked(client):
    make_claim()
    urls = section_urls(client, HTTP_HOST="localhost")
    assert urls
    assert all(location.startswith(f"{SITE}/") for location in urls)
    assert all(loc.startswith(f"{SITE}/") for loc in index_locations(client, HTTP_HOST="localhost"))


def test_a_large_section_is_split_into_pages_that_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(ClaimSitemap, "limit", 4)
    build(10)
    locations = index_locations(client)
    claim_pages = [loc for loc in locations if "/sitemap-claims" in loc]
    assert claim_pages == [
        f"{SITE}/sitemap-claims.xml",
        f"{SITE}/sitemap-claims-2.xml",
        f"{SITE}/sitemap-claims-3.xml",
    ]
    listed = set(section_urls(client))
    assert {f"{SITE}{c.get_absolute_url()}" for c in Claim.objects.all()} <= listed
    # The later pages are addressed by path (a static host ignores ?p=), and ?p= still works.
    assert (
        client.get("/sitemap-claims-2.xml").content == client.get("/sitemap-claims.xml?p=2").content
    )
    assert client.get("/sitemap-claims-1.xml").headers["Location"] == "/sitemap-claims.xml"
    assert client.get("/sitemap-claims-4.xml").status_code == 404
    assert client.get("/sitemap-claims.xml?p=4").status_code == 404
    assert client.get("/sitemap-claims.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_allows_the_public_site_keeps_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


SECTIONS = {
    # The page's claims, and the paginator's count.
    "claims": 2,
    "sources": 2,
    "parties": 2,
    "metrics": 2,
    "disputes": 2,
    # The newest claim or dispute and the newest source; the about page reads its file.
    "pages": 3,
}


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("section", SECTIONS)
def test_a_sitemap_section_runs_the_same_number_of_queries_at_any_size(
    client, django_assert_max_num_queries, section, size
):
    build(size)
    with django_assert_max_num_queries(SECTIONS[section]):
        response = client.get(f"/sitemap-{section}.xml")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 200])
def test_the_sitemap_index_runs_the_same_number_of_queries_at_any_size(
    client, django_assert_max_num_queries, size
):
    build(size)
    # Per section: its newest change (one or two aggregates) and its number of pages.
    with django_assert_max_num_queries(15):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
