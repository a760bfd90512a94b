"""reverse(), remembered: the address of a page named by a view and its arguments.

Why: a list page links every row's claim, party, source and metric, and JSON-LD and link
previews name them again; each reverse() walks the URL resolver (~20 µs), which made
get_absolute_url() a visible part of every page's cost. An address depends only on the view
name, its arguments, the URL configuration and the script prefix, so it is kept per process
under exactly that key. Bounded (least recently used).
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=50_000)
def _reverse(viewname: str, kwargs: tuple[tuple[str, object], ...], urlconf, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def reverse_kept(viewname: str, **kwargs: object) -> str:
    """reverse(viewname, kwargs=kwargs), computed once per process for the same arguments."""
    # get_urlconf() is None unless a request set its own; then ROOT_URLCONF answers (tests
    # may override it).
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, tuple(sorted(kwargs.items())), urlconf, get_script_prefix())
