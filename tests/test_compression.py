"""Pages reach readers gzip-compressed, and staff pages are never compressed (BREACH)."""

import gzip

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import make_claim

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
DISPUTE = "taobao-notorious-markets-listing"


def test_a_dispute_page_is_sent_gzipped_and_unpacks_to_the_same_page(seeded, client):
    url = reverse("disputes:detail", args=[DISPUTE])
    plain = client.get(url)
    packed = client.get(url, **GZIP)
    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    ratio = len(packed.content) / len(plain.content)
    print(f"dispute page: {len(plain.content)} bytes, gzipped {len(packed.content)} ({ratio:.0%})")
    assert ratio < 0.3


def test_a_reader_who_does_not_ask_for_gzip_gets_the_page_as_it_is(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.content.lstrip().lower().startswith(b"<!doctype html>")


def test_the_admin_is_never_compressed(client, staff_user):
    login = client.get(reverse("admin:login"), **GZIP)
    assert login.status_code == 200
    assert not login.has_header("Content-Encoding")  # the login form carries a CSRF token
    client.force_login(staff_user)
    index = client.get(reverse("admin:index"), **GZIP)
    assert index.status_code == 200
    assert not index.has_header("Content-Encoding")


def test_a_logged_in_readers_public_pages_are_not_compressed(client, staff_user):
    claim = make_claim()
    client.force_login(staff_user)
    response = client.get(claim.get_absolute_url(), **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_share_images_are_not_gzipped_again(client):
    claim = make_claim()
    response = client.get(reverse("claims:card", args=[claim.pk]), **GZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db(transaction=True)
def test_the_cache_keeps_each_encoding_apart(django_assert_num_queries):
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gz"}
    claim = make_claim(summary="Encoded either way")
    url = claim.get_absolute_url()
    with override_settings(PAGE_CACHE=True, CACHES={"default": locmem}):
        reader = Client()
        packed, plain = reader.get(url, **GZIP), reader.get(url)
        with django_assert_num_queries(0):
            packed_hit, plain_hit = reader.get(url, **GZIP), reader.get(url)
    assert packed_hit["Content-Encoding"] == "gzip"
    assert packed_hit.content == packed.content
    assert not plain_hit.has_header("Content-Encoding")
    assert plain_hit.content == plain.content
    assert gzip.decompress(packed_hit.content) == plain_hit.content
