from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Outlet, Source


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage", "source_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_sources=Count("sources"))

    @admin.display(description="sources", ordering="n_sources")
    def source_count(self, obj: Outlet) -> int:
        return obj.n_sources


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "kind", "published_display", "citation_count", "added_at"]
    list_filter = ["kind", "outlet", "published_precision"]
    list_select_related = ["outlet"]
    search_fields = ["title", "author", "url", "body"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "added_at"

    class Media:
        css = {"all": ["sources/admin.css"]}

    readonly_fields = ["body_sha256", "added_by", "added_at", "updated_at", "marked_body"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "outlet", "author", "url"]}),
        ("Publication date", {"fields": ["published_on", "published_precision", "date_note"]}),
        ("Text", {"fields": ["body", "marked_body", "body_sha256"]}),
        ("Record", {"fields": ["added_by", "added_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("citations"))

    @admin.display(description="published", ordering="published_on")
    def published_display(self, obj: Source) -> str:
        return obj.published_display

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj: Source) -> int:
        return obj.n_citations

    @admin.display(description="cited passages")
    def marked_body(self, obj: Source) -> str:
        """The body with every cited passage marked, so an analyst sees what is already used."""
        if not obj.pk:
            return "Save the source to see its cited passages marked here."
        citations = list(obj.citations.select_related("claim").order_by("start", "end"))
        pieces = []
        cursor = 0
        for citation in citations:
            if citation.needs_review or citation.start < cursor:
                continue  # unanchored or overlapping: listed below, not marked inline
            pieces.append(format_html("{}", obj.body[cursor : citation.start]))
            pieces.append(
                format_html(
                    '<mark title="Claim #{}: {}">{}</mark>',
                    citation.claim_id,
                    citation.claim.summary,
                    obj.body[citation.start : citation.end],
                )
            )
            cursor = citation.end
        pieces.append(format_html("{}", obj.body[cursor:]))
        text = format_html_join("", "{}", ((p,) for p in pieces))
        flagged = [c for c in citations if c.needs_review]
        review = ""
        if flagged:
            review = format_html(
                "<p><strong>Needs review:</strong> {}</p>",
                format_html_join("; ", "claim #{} “{}”", ((c.claim_id, c.quote) for c in flagged)),
            )
        return format_html(
            '<div class="cp-marked-body">{}</div>{}',
            text,
            review,
        )

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        if not change and obj.added_by_id is None:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
