"""Pages of public lists whose links are paths (`<list>/page/<n>/`), so a static host can
serve every page of an unfiltered list; a filtered list (a query string) keeps `?page=N`.

Counting is bounded too: a view passes a count it already knows (from stored or faceted
counts), or the paginator counts at most `cap` + 1 rows and says "more than cap".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect

PAGE_URL = "page/<int:page>/"  # appended to a list's own URL pattern


class LinkedPage(Page):
    """A page that knows the address of every other page of its list."""

    def __init__(self, object_list: Any, number: int, paginator: LinkedPaginator) -> None:
        super().__init__(object_list, number, paginator)
        self.linked: LinkedPaginator = paginator

    @property
    def previous_url(self) -> str:
        return self.linked.url_of(self.previous_page_number()) if self.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.linked.url_of(self.next_page_number()) if self.has_next() else ""

    @property
    def capped(self) -> bool:
        return self.linked.capped


class LinkedPaginator(Paginator):
    def __init__(
        self,
        object_list: QuerySet | Sequence,
        per_page: int,
        *,
        url_of: Callable[[int], str],
        count: int | None = None,
        cap: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.url_of = url_of
        self.known_count = count
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if self.cap is not None and isinstance(self.object_list, QuerySet):
            # COUNT over a LIMIT: bounded whatever the table's size. Of ids only: an
            # annotation the list sorts by (a search's rank) is not computed to count.
            return self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return super().count

    @property
    def capped(self) -> bool:
        """Whether there are more items than the cap (the count and the pages stop there)."""
        return self.cap is not None and self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.capped:
            assert self.cap is not None
            return max(1, -(-self.cap // self.per_page))
        return super().num_pages

    def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> LinkedPage:
        return LinkedPage(object_list, number, self)


def page_url(base: str, number: int) -> str:
    """The path of page `number` of the list at `base` (page 1 is the list itself)."""
    return base if number <= 1 else f"{base}page/{number}/"


def paginate(
    request: HttpRequest,
    items: QuerySet | Sequence,
    per_page: int,
    *,
    base: str,
    page: int | None = None,
    count: int | None = None,
    cap: int | None = None,
) -> LinkedPage | HttpResponsePermanentRedirect:
    """Page `page` (from the path) of the list at `base`, or the redirect to its one address:
    `page/1/` and an unfiltered `?page=N` move to the path form. Beyond the last page, a path
    is not found; a filtered list's `?page=` gives its nearest page, as before."""
    query = request.GET.copy()
    asked = query.pop("page", [None])[-1]
    if query:  # filtered: dynamic only, pages in the query string
        rest = query.urlencode()

        def in_query(number: int) -> str:
            return (
                f"{base}?{rest}" if number <= 1 else f"{base}?{rest}&{urlencode({'page': number})}"
            )

        return LinkedPaginator(items, per_page, url_of=in_query, count=count, cap=cap).get_page(
            page or asked
        )  # type: ignore[return-value]
    if asked is not None or page == 1:
        number = int(asked) if asked and asked.isdigit() else 1
        return HttpResponsePermanentRedirect(page_url(base, page or number))

    def in_path(number: int) -> str:
        return page_url(base, number)

    paginator = LinkedPaginator(items, per_page, url_of=in_path, count=count, cap=cap)
    try:
        return paginator.page(page or 1)  # type: ignore[return-value]
    except InvalidPage as exc:
        raise Http404("There is no such page of this list.") from exc
