"""Which addresses a baked site can serve, and the internal links a page names.

A static server maps a path to a file and ignores the query string, so only paths without
one are baked; the admin, the API and oEmbed are answers to requests, not pages, and stay on
the live site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

DYNAMIC_PREFIXES = ("/admin/", "/api/", "/oembed/")

# Link attributes (relative to the page), and absolute addresses on SITE_URL anywhere else:
# <meta content> (Open Graph images), sitemap <loc>, Atom <link>/<id>, JSON-LD, robots.txt.
_ATTRIBUTE = re.compile(rb"""\b(?:href|src|action)\s*=\s*["']([^"'<>]*)["']""")
_URL_TEXT = r"""[^\s"'<>\\]*"""


@dataclass(frozen=True)
class Links:
    internal: frozenset[str]  # paths to bake (no query, no fragment)
    static: frozenset[str]  # paths under STATIC_URL
    dynamic: int  # internal links a static host cannot serve (a query string, the API)


def static_prefix() -> str | None:
    """The path static files are served under, or None when they live on another host."""
    parts = urlsplit(settings.STATIC_URL)
    if parts.netloc:
        return None
    return "/" + parts.path.strip("/") + "/"


def links_in(content: bytes, page_path: str) -> Links:
    site = settings.SITE_URL
    page_url = site + page_path
    found: set[str] = set()
    for raw in _ATTRIBUTE.findall(content):
        found.add(urljoin(page_url, html.unescape(raw.decode("utf-8", "replace"))))
    absolute = re.compile(re.escape(site).encode() + _URL_TEXT.encode())
    for raw in absolute.findall(content):
        found.add(html.unescape(raw.decode("utf-8", "replace")))
    internal: set[str] = set()
    static: set[str] = set()
    dynamic = 0
    prefix = static_prefix()
    for url in found:
        path = _site_path(url, site)
        if path is None:
            continue
        if "?" in path:
            dynamic += 1
        elif prefix and path.startswith(prefix):
            static.add(path)
        elif path.startswith(DYNAMIC_PREFIXES):
            dynamic += 1
        else:
            internal.add(path)
    return Links(frozenset(internal), frozenset(static), dynamic)


def _site_path(url: str, site: str) -> str | None:
    """The path (and query) of an address on this site, without its fragment."""
    if url != site and not url.startswith(site + "/"):
        return None
    parts = urlsplit(url[len(site) :] or "/")
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def paths_of(links: Links, referrer: str) -> Iterator[tuple[str, str]]:
    for path in sorted(links.internal):
        yield path, referrer
