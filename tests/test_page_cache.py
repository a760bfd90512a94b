"""A reader never sees a stale claim: pages are cached for anonymous readers and every
committed change to the data behind them, however it is written, makes them stale at once.

These tests commit for real (transactional_db), as the admin does in production: the
invalidation runs when a transaction commits, and only then.
"""

import os
import socket
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import tracker.cache
from claims.models import Claim, Party
from tests.admin_forms import save_in_admin
from tests.factories import make_claim, make_party
from tracker.cache import bump_generation, changes_page_data, generation

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_is_up() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def backend(kind: str, tmp_path) -> dict:
    if kind == "files":  # the embedded default: shared by the processes of one machine
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    if kind == "redis":
        if not redis_is_up():
            pytest.skip(f"no Redis at {REDIS_URL}")
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-page-cache-{os.getpid()}",
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": kind}


@pytest.fixture(params=["files", "redis"])
def page_cache(request, tmp_path):
    """The page cache on, over each shared backend production uses."""
    with override_settings(PAGE_CACHE=True, CACHES={"default": backend(request.param, tmp_path)}):
        from django.core.cache import cache

        cache.clear()
        tracker.cache._bump_pending = False
        yield cache
        cache.clear()


@pytest.fixture
def reader():
    """An anonymous reader: no cookies at all."""
    return Client()


@pytest.fixture
def analyst(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def queries_for(client, url: str, django_assert_num_queries, n: int):
    with django_assert_num_queries(n):
        return client.get(url)


def test_a_second_anonymous_request_is_served_from_the_cache_without_a_query(
    page_cache, reader, django_assert_num_queries
):
    claim = make_claim(summary="The market is notorious")
    first = reader.get(claim.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = reader.get(claim.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_after_an_analyst_saves_a_claim_in_the_admin_the_next_anonymous_request_shows_it(
    page_cache, reader, analyst, superuser
):
    claim = make_claim(summary="Listings fell by a quarter")
    url = claim.get_absolute_url()
    assert "Listings fell by a quarter" in reader.get(url).text
    assert "Listings fell by a quarter" in reader.get(reverse("claims:list")).text

    save_in_admin(analyst, superuser, claim, {"summary": "Listings fell by a third"})

    for page in (url, reverse("claims:list"), reverse("home")):
        text = reader.get(page, follow=True).text  # the permalink's slug follows the summary
        assert "Listings fell by a quarter" not in text, page
    assert "Listings fell by a third" in reader.get(url, follow=True).text
    assert "Listings fell by a third" in reader.get(reverse("claims:list")).text


def test_after_an_editor_deletes_a_claim_its_permalink_is_gone_for_the_next_reader(
    page_cache, reader, analyst
):
    claim = make_claim(summary="A claim about to be withdrawn")
    url = claim.get_absolute_url()
    assert reader.get(url).status_code == 200
    assert "A claim about to be withdrawn" in reader.get(reverse("claims:list")).text

    response = analyst.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()

    assert reader.get(url).status_code == 410  # the permalink says the claim was withdrawn
    assert "A claim about to be withdrawn" not in reader.get(reverse("claims:list")).text


def test_a_party_renamed_in_the_admin_shows_on_its_claims_pages_at_once(
    page_cache, reader, analyst, superuser
):
    party = make_party(name="Old Name Ltd")
    claim = make_claim(party=party)
    assert "Old Name Ltd" in reader.get(claim.get_absolute_url()).text

    save_in_admin(analyst, superuser, party, {"name": "New Name Ltd"})

    page = reader.get(claim.get_absolute_url()).text
    assert "New Name Ltd" in page
    assert "now <ins>New Name Ltd</ins>" in page  # the corrections note, not a stale name


def test_a_change_that_is_rolled_back_leaves_the_cached_pages_as_they_were(page_cache, reader):
    claim = make_claim(summary="Kept as published")
    url = claim.get_absolute_url()
    cached = reader.get(url).content
    before = generation()

    with pytest.raises(RuntimeError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(summary="Never committed")
        claim.refresh_from_db()
        claim.save()
        raise RuntimeError("the analyst's save failed half-way")

    assert generation() == before  # nothing committed, nothing to invalidate
    assert reader.get(url).content == cached
    assert "Kept as published" in reader.get(url).text


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda c: Claim.objects.filter(pk=c.pk).update(summary="Bulk"), id="update"),
        pytest.param(
            lambda c: Party.objects.bulk_create([Party(name="Bulk", slug="bulk")]), id="bulk_create"
        ),
        pytest.param(lambda c: c.citations.all().delete(), id="queryset-delete"),
        pytest.param(
            lambda c: connection.cursor().execute(
                f"UPDATE {Claim._meta.db_table} SET summary = %s", ["Raw"]
            ),
            id="raw-sql",
        ),
    ],
)
def test_bulk_writes_that_bypass_model_signals_still_make_the_pages_stale(
    page_cache, reader, write
):
    claim = make_claim()
    reader.get(claim.get_absolute_url())
    before = generation()
    with transaction.atomic():
        write(claim)
        assert generation() == before  # not until the transaction commits
    assert generation() != before


def test_writes_to_sessions_and_logins_leave_the_cache_alone(page_cache, analyst, superuser):
    before = generation()
    credentials = {"username": superuser.username, "password": "correct-horse-battery"}
    assert Client().post(reverse("admin:login"), credentials).status_code == 302
    analyst.get(reverse("admin:index"))
    assert generation() == before


def test_only_statements_that_write_page_data_count_as_changes():
    assert changes_page_data('UPDATE "claims_claim" SET "summary" = %s WHERE "id" = %s')
    assert changes_page_data('INSERT INTO "sources_source" ("title") VALUES (%s)')
    assert changes_page_data('DELETE FROM "claims_historicalclaim" WHERE "id" IN (%s)')
    assert changes_page_data('TRUNCATE "auth_user", "claims_party" RESTART IDENTITY CASCADE;')
    assert changes_page_data("WITH moved AS (UPDATE claims_claim SET x = 1) SELECT 1")
    assert not changes_page_data('SELECT "claims_claim"."id" FROM "claims_claim"')
    assert not changes_page_data("WITH t AS (SELECT 1) SELECT * FROM claims_claim")
    assert not changes_page_data('UPDATE "django_session" SET "session_data" = %s')
    assert not changes_page_data('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)')
    assert not changes_page_data('UPDATE "auth_user" SET "last_login" = %s')


def test_a_logged_in_reader_is_never_served_or_stored_a_cached_page(
    page_cache, reader, analyst, django_assert_num_queries
):
    claim = make_claim()
    url = claim.get_absolute_url()
    staff_page = analyst.get(url)
    assert staff_page.status_code == 200
    assert "private" in staff_page["Cache-Control"]
    assert "no-store" in staff_page["Cache-Control"]
    reader.get(url)
    again = analyst.get(url)  # still built for the user, with their session
    assert "private" in again["Cache-Control"]
    assert analyst.session.session_key


def test_the_admin_is_never_cached(page_cache):
    client = Client()
    for _ in range(2):
        response = client.get(reverse("admin:login"))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    # The login page sets a CSRF cookie: proof that it was built, not replayed.
    assert "csrftoken" in response.cookies


def test_a_page_that_sets_a_cookie_is_not_stored(page_cache, reader, django_assert_num_queries):
    from tracker.page_cache import is_storable

    response = reader.get(reverse("home"))
    response.set_cookie("csrftoken", "x")
    assert not is_storable(response)


def test_head_requests_are_answered_from_the_cache_too(
    page_cache, reader, django_assert_num_queries
):
    claim = make_claim()
    reader.get(claim.get_absolute_url())
    with django_assert_num_queries(0):
        response = reader.head(claim.get_absolute_url())
    assert response.status_code == 200
    assert response.content == b""


def test_with_the_cache_unreachable_pages_are_built_and_a_missed_bump_is_retried(reader, tmp_path):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
    }
    claim = make_claim(summary="Served without the cache")
    with override_settings(PAGE_CACHE=True, CACHES={"default": unreachable}):
        bump_generation()
        assert tracker.cache._bump_pending
        response = reader.get(claim.get_absolute_url())
        assert response.status_code == 200
        assert "Served without the cache" in response.text
    good = backend("files", tmp_path)
    with override_settings(PAGE_CACHE=True, CACHES={"default": good}):
        assert generation() is not None  # the pending bump went through first
        assert not tracker.cache._bump_pending


def test_a_worker_answers_a_repeated_hit_from_its_own_memory_and_a_save_still_shows_at_once(
    page_cache, reader, monkeypatch
):
    import tracker.page_cache

    claim = make_claim(summary="Takedowns rose by half")
    url = claim.get_absolute_url()
    assert "Takedowns rose by half" in reader.get(url).text
    shared_reads: list[str] = []

    class CountingCache:
        def __getattr__(self, name):
            return getattr(page_cache, name)

        def get(self, key, *args, **kwargs):
            shared_reads.append(key)
            return page_cache.get(key, *args, **kwargs)

    monkeypatch.setattr(tracker.page_cache, "shared_cache", CountingCache())
    assert "Takedowns rose by half" in reader.get(url).text
    # Only the generation was read from the shared cache: the page came from this worker.
    assert not any(":page:" in key for key in shared_reads), shared_reads

    Claim.objects.filter(pk=claim.pk).update(summary="Takedowns rose by a third")
    assert "Takedowns rose by a third" in reader.get(url, follow=True).text


def test_a_page_another_worker_stored_is_read_from_the_shared_cache(page_cache, reader):
    import tracker.page_cache

    claim = make_claim(summary="Seizures doubled")
    url = claim.get_absolute_url()
    first = reader.get(url)
    # A second worker: its memory holds nothing yet.
    tracker.page_cache._local = tracker.page_cache.LocalPages(1024 * 1024)
    with CaptureQueriesContext(connection) as queries:
        second = reader.get(url)
    assert second.content == first.content
    assert len(queries) == 0


@override_settings(PAGE_CACHE_LOCAL_BYTES=0)
def test_with_no_memory_budget_every_hit_reads_the_shared_cache(page_cache, reader):
    import tracker.page_cache

    claim = make_claim(summary="Raids tripled")
    reader.get(claim.get_absolute_url())
    assert not tracker.page_cache._local.enabled
    assert tracker.page_cache._local.get("anything") is None
