"""Readers revalidate every time and cheaply: an ETag, a 304 when it still matches, and
Cache-Control that lets no browser or CDN show a claim after it was corrected."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.admin_forms import save_in_admin
from tests.factories import make_claim

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "etags"}


@pytest.fixture(params=["off", "on"])
def page_cache(request):
    with override_settings(PAGE_CACHE=request.param == "on", CACHES={"default": LOCMEM}):
        from django.core.cache import cache

        cache.clear()
        yield request.param == "on"
        cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", [{}, GZIP], ids=["identity", "gzip"])
def test_an_unchanged_page_is_a_304_without_a_body(page_cache, client, encoding):
    claim = make_claim()
    url = claim.get_absolute_url()
    first = client.get(url, **encoding)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **encoding)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == first["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_readers_may_store_a_page_but_must_revalidate_it_each_time(client):
    response = client.get(reverse("home"))
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "no-cache"}
    assert response.has_header("ETag")


@pytest.mark.django_db
def test_the_gzipped_and_plain_pages_share_a_weak_etag(client):
    plain = client.get(reverse("home"))
    packed = client.get(reverse("home"), **GZIP)
    assert packed["ETag"].startswith('W/"')
    assert packed["ETag"].removeprefix("W/") == plain["ETag"].removeprefix("W/")
    assert client.get(reverse("home"), HTTP_IF_NONE_MATCH=plain["ETag"], **GZIP).status_code == 304


@pytest.mark.django_db
def test_logged_in_readers_and_the_admin_are_told_to_store_nothing(client, staff_user):
    claim = make_claim()
    client.force_login(staff_user)
    for url in (claim.get_absolute_url(), reverse("admin:index")):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert "public" not in directives


@pytest.mark.django_db(transaction=True)
def test_after_a_correction_the_old_etag_gets_the_new_page(page_cache, superuser):
    claim = make_claim(summary="First version of the claim")
    reader = Client()
    etag = reader.get(claim.get_absolute_url())["ETag"]
    analyst = Client()
    analyst.force_login(superuser)
    save_in_admin(analyst, superuser, claim, {"summary": "Second version of the claim"})
    claim.refresh_from_db()
    response = reader.get(claim.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Second version of the claim" in response.text
    assert response["ETag"] != etag


@pytest.mark.django_db
def test_share_images_keep_their_own_hour_of_caching(client):
    claim = make_claim()
    response = client.get(reverse("claims:card", args=[claim.pk]))
    assert "max-age=3600" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
