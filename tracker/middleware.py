"""Requests refused before any view sees them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from sources.validation import first_control_character

API_PREFIX = "/api/"


def refuse_control_characters_in_urls(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 400 with a page saying why to an address whose path or query string holds NUL
    or another control character (a tampered or broken link): PostgreSQL cannot even compare
    such text, so every view and filter would otherwise fail on it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if first_control_character(request.path) is not None or (
            first_control_character(query) is not None
        ):
            problem = (
                "The address contains a control character (such as %00, a NUL), which no "
                "page of this site uses. Check the link, or remove that part of the address."
            )
            if request.path.startswith(API_PREFIX):
                # The open-data API answers in its own documented error shape, not a page.
                return JsonResponse({"detail": problem}, status=400)
            return render(request, "400.html", {"problem": problem}, status=400)
        # A cookie is not something a reader can fix from the page: one that could not be
        # looked up (a session key with a NUL) is ignored, as if it had not been sent.
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if first_control_character(value) is None
        }
        return get_response(request)

    return middleware
