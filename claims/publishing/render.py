"""One address, asked of the site exactly as a reader's request reaches it (the WSGI
application with every middleware, the production settings of this process), and what the
baked folder gets for it."""

from __future__ import annotations

import enum
import io
import mimetypes
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host
from django.utils.html import escape

from claims.publishing.links import Links, links_in
from claims.publishing.outdir import (
    GZIP_SUFFIX,
    file_for,
    file_matches,
    sha256_of,
    write_if_changed,
    write_sibling,
)

# Bodies worth reading for links; images are not.
_LINKED_TYPES = ("text/", "application/xml", "application/atom+xml", "application/json")


class BakeError(Exception):
    """A page the site should serve could not be baked (the message names it)."""


class Result(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    MISSING = "missing"  # the live site answers 404: a broken link if a page named it
    SKIPPED = "skipped"  # a redirect no file can stand for (a path without its slash)


@dataclass
class Outcome:
    path: str
    result: Result
    file: str | None = None
    sha256: str | None = None
    etag: str | None = None
    redirect: bool = False
    sibling: str | None = None  # the file's precompressed .gz, when bake wrote one
    links: Links = field(default_factory=lambda: Links(frozenset(), frozenset(), 0))


def request_host() -> tuple[str, str]:
    """(host, scheme) the pages are requested with: SITE_URL's, so the site answers as it
    answers readers; its host must be one ALLOWED_HOSTS accepts."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.netloc
    domain, _ = split_domain_port(host)
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        raise BakeError(
            f"SITE_URL's host {domain!r} is not in ALLOWED_HOSTS: bake asks the site for its "
            "pages as readers do, on the public address."
        )
    return host, parts.scheme


class Renderer:
    """Asks the WSGI application for paths; one per process. precompress: write a .gz
    beside each text file (for nginx's gzip_static or a CDN)."""

    def __init__(self, root: Path, *, precompress: bool = False) -> None:
        self.root = root
        self.precompress = precompress
        self.host, self.scheme = request_host()
        self.handler = WSGIHandler()

    def get(self, path: str, etag: str | None = None) -> tuple[int, dict[str, str], bytes]:
        name, _, port = self.host.partition(":")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            # WSGI carries the decoded path as latin-1 code points of its UTF-8 bytes.
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": "",
            "SERVER_NAME": name,
            "SERVER_PORT": port or ("443" if self.scheme == "https" else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if etag:
            environ["HTTP_IF_NONE_MATCH"] = etag
        status: list[str] = []
        headers: dict[str, str] = {}

        def start_response(
            line: str, pairs: list[tuple[str, str]], exc_info: object = None, /
        ) -> Callable[[bytes], object]:
            status.append(line)
            for key, value in pairs:
                if key.lower() == "set-cookie":
                    raise BakeError(f"{path} sets a cookie: a page per reader cannot be baked.")
                headers[key.lower()] = value
            return lambda data: None  # the legacy write(); Django never calls it

        # One connection for the whole bake (as the test client keeps one): a server closes
        # it after each request when CONN_MAX_AGE is 0, which would mean a connect per page.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = self.handler(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return int(status[0].split(" ", 1)[0]), headers, content

    def bake(self, path: str, sha256: str | None, etag: str | None) -> Outcome:
        """Fetch the path and bring its file up to date; revalidate by ETag when the file on
        disk is still the one the ledger recorded (a changed or missing file is fetched whole)."""
        file = file_for(path)
        if file is None:
            raise BakeError(f"No file can serve {path!r}.")
        on_disk = file_matches(self.root, file, sha256) if etag else None
        status, headers, content = self.get(path, etag if on_disk is not None else None)
        if status == 304 and on_disk is not None:
            return self._outcome(path, file, on_disk, headers, etag, Result.UNCHANGED)
        if status in {200, 410}:  # 410: a withdrawn claim's page, which says so
            if b"csrfmiddlewaretoken" in content:
                raise BakeError(f"{path} has a CSRF token: a page per reader cannot be baked.")
            written = write_if_changed(self.root, file, content)
            result = Result.WRITTEN if written else Result.UNCHANGED
            return self._outcome(path, file, content, headers, headers.get("etag"), result)
        if status in {301, 302, 307, 308}:
            if not path.endswith("/"):
                return Outcome(path, Result.SKIPPED)
            content = redirect_page(headers["location"])
            written = write_if_changed(self.root, file, content)
            outcome = self._outcome(
                path, file, content, headers, None, Result.WRITTEN if written else Result.UNCHANGED
            )
            outcome.redirect = True
            return outcome
        if status == 404:
            (self.root / file).unlink(missing_ok=True)
            (self.root / (file + GZIP_SUFFIX)).unlink(missing_ok=True)
            return Outcome(path, Result.MISSING)
        raise BakeError(f"{path} answered {status}; nothing was written for it.")

    def _outcome(
        self,
        path: str,
        file: str,
        content: bytes,
        headers: dict[str, str],
        etag: str | None,
        result: Result,
    ) -> Outcome:
        # A 304 names no type: the file's name tells, as it will tell the static server.
        kind = headers.get("content-type") or mimetypes.guess_type(file)[0] or ""
        links = links_in(content, path) if kind.startswith(_LINKED_TYPES) else None
        outcome = Outcome(path, result, file, sha256_of(content), etag)
        outcome.sibling = write_sibling(self.root, file, content, precompress=self.precompress)
        if links is not None:
            outcome.links = links
        return outcome


def redirect_page(location: str) -> bytes:
    """What a static host serves where the live site answers 301: a page that sends the
    reader (meta refresh) and search engines (canonical) on."""
    target = location if "://" in location else settings.SITE_URL + location
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved</title>\n"
        f'<link rel="canonical" href="{escape(target)}">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(location)}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{escape(location)}">{escape(location)}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()
