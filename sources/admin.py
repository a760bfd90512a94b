from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from claims.forms import ProposalForm
from claims.selectors import highlight_body
from claims.services import FigureData, SourceProposal, create_claim_from_proposal, source_proposals
from sources.forms import SourceForm
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
    form = SourceForm
    change_form_template = "admin/sources/source/change_form.html"
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
        ("Text", {"fields": ["body", "upload", "marked_body", "body_sha256"]}),
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
        """The body with every cited passage marked, so an analyst sees what is already used.

        The marking is the public source page's (claims.selectors.highlight_body: the text
        escaped, overlapping passages nested); citations flagged for review are listed below.
        """
        if not obj.pk:
            return "Save the source to see its cited passages marked here."
        citations = list(obj.citations.select_related("claim").order_by("start", "end", "pk"))
        flagged = [c for c in citations if c.needs_review]
        review = ""
        if flagged:
            review = format_html(
                "<p><strong>Needs review:</strong> {}</p>",
                format_html_join("; ", "claim #{} “{}”", ((c.claim_id, c.quote) for c in flagged)),
            )
        return format_html(
            '<div class="cp-marked-body">{}</div>{}',
            highlight_body(obj.body, citations),
            review,
        )

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        if not change and obj.added_by_id is None:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
        result = obj.reanchor_result
        if result is None:
            return
        if result.moved or result.restored:
            messages.info(
                request,
                f"The text changed: {len(result.moved) + len(result.restored)} citation(s) "
                "were found again and their positions updated.",
            )
        if result.flagged:
            url = reverse("admin:claims_citation_changelist")
            messages.warning(
                request,
                format_html(
                    "{} citation(s) could not be found in the corrected text and are flagged "
                    '“needs review”: {}. <a href="{}?needs_review=yes&amp;source__id__exact={}">'
                    "Review them</a>.",
                    len(result.flagged),
                    format_html_join(
                        "; ", "claim #{} “{}”", ((c.claim_id, c.quote) for c in result.flagged)
                    ),
                    url,
                    obj.pk,
                ),
            )

    # Extraction assist -------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/proposals/",
                view(self.proposals_view),
                name="sources_source_proposals",
            ),
            path(
                "<path:object_id>/proposals/<str:key>/",
                view(self.accept_proposal_view),
                name="sources_source_accept_proposal",
            ),
            *super().get_urls(),
        ]

    def _source_or_redirect(self, request: HttpRequest, object_id: str):
        source = self.get_object(request, object_id)
        if source is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        return source, None

    def proposals_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        source, redirect = self._source_or_redirect(request, object_id)
        if redirect:
            return redirect
        items = source_proposals(source=source)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "title": f"Proposed quotes and figures: {source}",
            "rows": [_row(source, item) for item in items],
            "quote_count": sum(
                1 for i in items if i.proposal.kind == "quote" and i.proposal.form != "reported"
            ),
            "reported_count": sum(1 for i in items if i.proposal.form == "reported"),
            "figure_count": sum(1 for i in items if i.proposal.kind == "figure"),
            "accepted_count": sum(1 for i in items if i.is_accepted),
            "can_accept": can_accept(request.user),
        }
        return TemplateResponse(request, "admin/sources/source/proposals.html", context)

    def accept_proposal_view(self, request: HttpRequest, object_id: str, key: str) -> HttpResponse:
        source, redirect = self._source_or_redirect(request, object_id)
        if redirect:
            return redirect
        if not can_accept(request.user):
            raise PermissionDenied
        proposals_url = reverse("admin:sources_source_proposals", args=[source.pk])
        item = next((i for i in source_proposals(source=source) if i.proposal.key == key), None)
        if item is None:
            messages.error(
                request, "That proposal is no longer in the source text; here are the current ones."
            )
            return HttpResponseRedirect(proposals_url)
        proposal = item.proposal
        if proposal.kind == "figure" and not can_accept(request.user, figure=True):
            raise PermissionDenied("Accepting a figure needs permission to add statistics.")
        form = ProposalForm(
            request.POST or None, source=source, proposal=proposal, user=request.user
        )
        if request.method == "POST" and form.is_valid():
            try:
                claim = _create_claim(source, proposal, form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    format_html(
                        'Claim <a href="{}">“{}”</a> created, citing this source.',
                        reverse("admin:claims_claim_change", args=[claim.pk]),
                        claim.summary,
                    ),
                )
                return HttpResponseRedirect(f"{proposals_url}#proposal-{key}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "title": "Accept a proposed figure" if form.is_figure else "Accept a proposed quote",
            "form": form,
            "item": item,
            "row": _row(source, item),
            "media": self.media + form.media,
            "proposals_url": proposals_url,
        }
        return TemplateResponse(request, "admin/sources/source/accept_proposal.html", context)


def can_accept(user, *, figure: bool = False) -> bool:
    """Whether the user may turn a proposal into a claim with its citation (and statistic).

    Adding a speaker, a metric or a place on a dispute needs more; ProposalForm checks those.
    """
    needed = ["claims.add_claim", "claims.add_citation"]
    if figure:
        needed.append("claims.add_statistic")
    return user.has_perms(needed)


def _row(source: Source, item: SourceProposal) -> dict:
    """A proposal with the words around it, for display."""
    p = item.proposal
    start = min(p.sentence_start, p.start)
    end = max(p.sentence_end, p.end)
    figure = ""
    if p.value is not None:
        number = (
            f"{p.value:,f}".rstrip("0").rstrip(".") if "." in f"{p.value:f}" else f"{p.value:,f}"
        )
        unit = {"percent": "%", "multiplier": "×", "count": ""}.get(p.unit, f" {p.currency}")
        figure = f"{p.qualifier.replace('_', ' ')} {number}{unit}".strip()
    return {
        "item": item,
        "proposal": p,
        "figure": figure,
        "before": source.body[start : p.start],
        "after": source.body[p.end : end],
    }


def _create_claim(source: Source, proposal, data: dict):
    figure = None
    if proposal.kind == "figure":
        figure = FigureData(
            value=data["value"],
            unit=data["unit"],
            metric=data.get("metric"),
            new_metric_name=data.get("new_metric_name", ""),
            new_metric_definition=data.get("new_metric_definition", ""),
            currency=data.get("currency", ""),
            qualifier=data.get("qualifier", ""),
            period_label=data.get("period_label", ""),
        )
    return create_claim_from_proposal(
        source=source,
        summary=data["summary"],
        kind=data["kind"],
        party=data["party"],
        speaker=data.get("speaker"),
        new_speaker_name=data.get("new_speaker", ""),
        claimed_on=data.get("claimed_on"),
        claimed_precision=data["claimed_precision"],
        quote=data["quote"],
        near=(
            (proposal.sentence_start, proposal.sentence_end)
            if figure
            else (proposal.start, proposal.end)
        ),
        figure=figure,
        point=data.get("point"),
        side=data.get("side"),
    )
