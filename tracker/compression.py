"""Compressed responses for readers, never for staff.

BREACH recovers a secret from a compressed page when the same page also reflects text the
attacker chose (a search box, a query string): the compressed length leaks how much of a
guess matches. Public pages hold no secret: the cached ones set no cookie and carry no CSRF
token, and every reader is sent the same bytes. A staff member's pages do hold secrets
(the CSRF token, which Django masks per response, but also unpublished assessments and
drafts next to the admin's search box), so those, and the admin whatever the cookies, are
sent uncompressed: a few staff, on a fast link, lose nothing that matters. Django's
"Heal the BREACH" padding stays on for what is compressed.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

from tracker.page_cache import is_anonymous_reader

# Already compressed: gzip would spend time to make them no smaller.
_COMPRESSED_TYPES = ("image/", "font/woff", "application/zip", "application/gzip")


class ReaderGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not is_anonymous_reader(request):
            return response
        if response.get("Content-Type", "").startswith(_COMPRESSED_TYPES):
            return response
        if response.status_code == 304:
            # A 304 has no body to compress, but names the page the 200 would have sent: the
            # compressed one's weak ETag, so the client's copy matches it.
            accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            if accepts and response.has_header("ETag"):
                response["ETag"] = re.sub(r'^"', 'W/"', response["ETag"])
                patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
