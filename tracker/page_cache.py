"""Whole pages for anonymous readers, from the shared cache, never stale; and the
Cache-Control every reader's response carries.

Listed above GZipMiddleware, so a page is stored compressed and a hit costs no compression,
and above sessions, auth and everything else that a hit does not need: a hit is two cache
reads (the generation, then the page), and the page is usually found in this worker's own
memory (see LocalPages). The security and CSP middleware sit above this one and still add
their headers to every hit.

Only a reader without a session (no session or messages cookie) is served from the cache or
has pages stored: such a request is anonymous whatever the session would hold, so every
reader in that position is sent the same page. A response is stored only when nothing about
it is personal: no cookies set (a page with a CSRF token sets one), no Vary beyond
Accept-Encoding and Cookie, no Cache-Control saying private or no-store, not streamed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from typing import NamedTuple, TypeGuard

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)

from tracker.cache import database_tag, generation

logger = logging.getLogger(__name__)

# Redirects are cheap to build, and one replayed as a plain response would lose its .url.
_STORED_STATUSES = {200}
_VARY_DELIMITER = re.compile(r"\s*,\s*")
# A Vary on these is covered: the key has the encoding, and only cookie-less readers share.
_COVERED_VARY = {"accept-encoding", "cookie"}
_PERSONAL_CACHE_CONTROL = re.compile(r"\b(?:private|no-store)\b", re.IGNORECASE)


def is_anonymous_reader(request: HttpRequest) -> bool:
    """No session (so no login, no flash message) and not a page that is never public."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.path_info.startswith(settings.PAGE_CACHE_EXCLUDED_PATHS)


class Entry(NamedTuple):
    """A stored page: plain data, so a hit unpickles no response object."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> Entry:
        return cls(response.status_code, tuple(response.headers.items()), response.content)

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class LocalPages:
    """This worker's own copy of the pages it served last, by the same keys as the shared
    cache, within a byte budget (least recently used first out).

    It can never serve a stale page: a key holds the data generation, which is still read
    from the shared cache on every request, and a page stored under a generation never
    changes. A change makes every key here unreachable at once, and they age out. What it
    saves is the second read of a hit: a file (or Redis round trip), its unpickling and,
    for the file cache, decompression; a hit then costs about a quarter less CPU.
    """

    def __init__(self, max_bytes: int) -> None:
        self._lock = threading.Lock()  # runserver and threaded servers share one instance
        self._pages: LRUCache[str, Entry] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda entry: len(entry.content) + 512
        )
        self.enabled = max_bytes > 0

    def get(self, key: str) -> Entry | None:
        if not self.enabled:
            return None
        with self._lock:
            return self._pages.get(key)

    def put(self, key: str, entry: Entry) -> None:
        if not self.enabled or len(entry.content) + 512 > self._pages.maxsize:
            return
        with self._lock:
            self._pages[key] = entry


_local = LocalPages(settings.PAGE_CACHE_LOCAL_BYTES)


def _reset_local_pages(*, setting: str, **kwargs: object) -> None:
    # Tests turn the cache on and off and point it at other stores: start each empty.
    global _local
    if setting in {"PAGE_CACHE", "PAGE_CACHE_LOCAL_BYTES", "CACHES"}:
        _local = LocalPages(settings.PAGE_CACHE_LOCAL_BYTES)


setting_changed.connect(_reset_local_pages)


def page_key(request: HttpRequest, token: str) -> str:
    # GZipMiddleware's own test: the requests it compresses for share a key.
    accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    encoding = "gzip" if accepts else ""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"counterpoint:page:{database_tag()}:{token}:{encoding}:{digest}"


def is_storable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
    if not isinstance(response, HttpResponse):
        return False  # streamed or a file: built as it is sent
    if response.status_code not in _STORED_STATUSES or response.cookies:
        return False
    if _PERSONAL_CACHE_CONTROL.search(response.get("Cache-Control", "")):
        return False
    varies = {
        v.strip().lower() for v in _VARY_DELIMITER.split(response.get("Vary", "")) if v.strip()
    }
    return varies <= _COVERED_VARY


def mark_public(response: HttpResponseBase) -> None:
    # no-cache, not a max-age: a browser or CDN keeping a claim even 60 seconds would show
    # it stale after an analyst's correction. They may store it, but ask each time; with
    # the ETag that is a 304 from this cache, without sending the page again.
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, no_cache=True)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_anonymous_reader(request):
            response = self.get_response(request)
            # Logged-in pages (and the admin's) show what only staff may see: no shared
            # cache may keep them, nor the browser's disk.
            add_never_cache_headers(response)
            return response
        if request.method not in {"GET", "HEAD"} or not settings.PAGE_CACHE:
            response = self.get_response(request)
            mark_public(response)
            return response
        # The generation is read before the page is built: if data changes while it is
        # being built, the page is stored under a generation that is already gone.
        key = self._key(request)
        entry = self._get(key) if key else None
        if entry is not None:
            hit = entry.response()
            return get_conditional_response(request, etag=hit.get("ETag"), response=hit) or hit
        response = self.get_response(request)
        mark_public(response)
        # HEAD may be answered from a GET's page, but does not store one: Django's
        # ConditionalGetMiddleware gives only GET responses their ETag.
        if key and request.method == "GET" and is_storable(response):
            self._set(key, Entry.of(response))
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        token = generation()
        return page_key(request, token) if token else None

    @staticmethod
    def _get(key: str) -> Entry | None:
        if (local := _local.get(key)) is not None:
            return local
        try:
            found = shared_cache.get(key)
        except Exception:
            logger.warning("Page cache read failed; building the page.", exc_info=True)
            return None
        if not isinstance(found, Entry):
            return None
        _local.put(key, found)
        return found

    @staticmethod
    def _set(key: str, entry: Entry) -> None:
        _local.put(key, entry)
        try:
            shared_cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Page cache write failed; the page was still sent.", exc_info=True)
