"""Admin for outlets and sources. The claims app extends SourceAdmin (claims.admin.sources)
with what depends on claims: cited passages, re-anchoring messages and proposals."""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from sources.admin_keys import KeyCheckingAdminMixin
from sources.forms import SourceForm
from sources.models import Outlet, Source

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a dev-only package: for mypy only


class _SourceCount(TypedDict):
    n_sources: int


@admin.register(Outlet)
class OutletAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "homepage", "source_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_sources=Count("sources"))

    @admin.display(description="sources", ordering="n_sources")
    def source_count(self, obj: "WithAnnotations[Outlet, _SourceCount]") -> int:
        return obj.n_sources


@admin.register(Source)
class SourceAdmin(KeyCheckingAdminMixin, SimpleHistoryAdmin):
    form = SourceForm
    list_display = ["title", "outlet", "kind", "published_display", "added_at"]
    list_filter = ["kind", "outlet", "published_precision"]
    list_select_related = ["outlet"]
    search_fields = ["title", "author", "url", "body"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "added_at"

    class Media:
        css = {"all": ["sources/admin.css"]}

    readonly_fields = ["body_sha256", "added_by", "added_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "outlet", "author", "url"]}),
        ("Publication date", {"fields": ["published_on", "date_note"]}),
        ("Text", {"fields": ["body", "upload", "save_anyway", "body_sha256"]}),
        ("Record", {"fields": ["added_by", "added_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="published", ordering="published_on")
    def published_display(self, obj: Source) -> str:
        return obj.published_display

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        if not change and obj.added_by_id is None:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
