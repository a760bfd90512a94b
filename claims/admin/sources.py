"""The source admin as the claims app extends it: the text with its cited passages marked,
what re-anchoring did after a correction, and the extraction proposals that turn a passage
into a cited claim. Registered in place of sources.admin.SourceAdmin."""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from claims.accepting.forms import ProposalForm
from claims.models import Claim, Metric, Statistic
from claims.services import (
    ReanchorResult,
    SourceProposal,
    add_citation_from_proposal,
    create_claim_from_proposal,
    source_proposals,
)
from claims.templatetags.counterpoint import highlighted_body
from sources.admin import SourceAdmin
from sources.models import Source

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a dev-only package: for mypy only


class _CitationCount(TypedDict):
    n_citations: int


class SourceWithClaimsAdmin(SourceAdmin):
    change_form_template = "admin/sources/source/change_form.html"
    list_display = [*SourceAdmin.list_display[:-1], "citation_count", "added_at"]
    readonly_fields = [*SourceAdmin.readonly_fields, "marked_body"]
    fieldsets = [
        (title, {**options, "fields": [*options["fields"], "marked_body"]})
        if title == "Text"
        else (title, options)
        for title, options in SourceAdmin.fieldsets
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("citations"))

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj: "WithAnnotations[Source, _CitationCount]") -> int:
        return obj.n_citations

    @admin.display(description="cited passages")
    def marked_body(self, obj: Source) -> str:
        """The body with every cited passage marked, so an analyst sees what is already used.

        The marking is the public source page's (the highlighted_body template tag: the text
        escaped, overlapping passages nested); citations flagged for review are listed below.
        """
        if not obj.pk:
            return "Save the source to see its cited passages marked here."
        citations = list(obj.citations.select_related("claim").order_by("start", "end", "pk"))
        for citation in citations:
            citation.source = obj
        flagged = [c for c in citations if c.needs_review]
        review = ""
        if flagged:
            review = format_html(
                "<p><strong>Needs review:</strong> {}</p>",
                format_html_join("; ", "claim #{} “{}”", ((c.claim_id, c.quote) for c in flagged)),
            )
        return format_html(
            '<div class="cp-marked-body">{}</div>{}',
            highlighted_body(obj.body, [c for c in citations if c.is_anchored]),
            review,
        )

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        result = next((r for r in obj.change_reports if isinstance(r, ReanchorResult)), None)
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
        items = source_proposals(source=source)
        item = next((i for i in items if i.proposal.key == key), None)
        if item is None:
            messages.error(
                request, "That proposal is no longer in the source text; here are the current ones."
            )
            return HttpResponseRedirect(proposals_url)
        proposal = item.proposal
        if proposal.kind == "figure" and not can_accept(request.user, figure=True):
            raise PermissionDenied("Accepting a figure needs permission to add statistics.")
        form = ProposalForm(
            request.POST or None,
            source=source,
            proposal=proposal,
            user=request.user,
            matches=item.matches,
            siblings=_open_figures_of_sentence(items, proposal),
        )
        if request.method == "POST" and form.is_valid():
            try:
                message = _accept(source, form)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(f"{proposals_url}#proposal-{key}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": source,
            "title": "Accept a proposed figure" if form.is_figure else "Accept a proposed quote",
            "form": form,
            "item": item,
            "row": _row(source, item),
            "media": sum((f.media for f in form.figure_forms), self.media + form.media),
            "proposals_url": proposals_url,
        }
        return TemplateResponse(request, "admin/sources/source/accept_proposal.html", context)


def _open_figures_of_sentence(items: list[SourceProposal], proposal) -> list:
    """The figure proposals of the proposal's sentence that no claim has accepted yet."""
    if proposal.kind != "figure":
        return []
    return [
        i.proposal
        for i in items
        if i.proposal.kind == "figure"
        and (i.proposal.sentence_start, i.proposal.sentence_end)
        == (proposal.sentence_start, proposal.sentence_end)
        and (i.proposal.key == proposal.key or not i.is_accepted)
    ]


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
        # The figure as a statistic of it would be shown (Metric.Unit.render_value).
        unit = Metric.Unit(p.unit) if p.unit in Metric.Unit.values else Metric.Unit.COUNT
        qualifier = p.qualifier if p.qualifier in Statistic.Qualifier.values else ""
        label = Statistic.Qualifier(qualifier).label if qualifier else ""
        figure = f"{label} {unit.render_value(p.value, p.currency)}".strip()
    return {
        "item": item,
        "proposal": p,
        "figure": figure,
        "before": source.body[start : p.start],
        "after": source.body[p.end : end],
    }


def _accept(source: Source, form: ProposalForm) -> str:
    """Record the accepted proposal; the message that says what was recorded."""
    proposal, data = form.proposal, form.cleaned_data
    near = (
        (proposal.sentence_start, proposal.sentence_end)
        if proposal.kind == "figure"
        else (proposal.start, proposal.end)
    )
    cited = form.cited_claim
    if cited is not None:
        add_citation_from_proposal(
            claim=cited,
            source=source,
            quote=data["quote"],
            near=near,
            point=data.get("point"),
            side=data.get("side"),
        )
        sources = Claim.objects.get(pk=cited.pk).citations.values("source").distinct().count()
        return format_html(
            'Claim <a href="{}">#{} “{}”</a> now cites this source too: reported by {} sources.',
            reverse("admin:claims_claim_change", args=[cited.pk]),
            cited.pk,
            cited.summary,
            sources,
        )
    claim = create_claim_from_proposal(
        source=source,
        summary=data["summary"],
        kind=data["kind"],
        party=data.get("party"),
        new_party=data.get("new_party"),
        speaker=data.get("speaker"),
        new_speaker_name=data.get("new_speaker", ""),
        claimed_on=data.get("claimed_on"),
        claimed_precision=data["claimed_precision"],
        date_note=data.get("date_note", ""),
        quote=data["quote"],
        near=near,
        figures=[f.figure_data() for f in form.figure_forms if f.is_included],
        point=data.get("point"),
        side=data.get("side"),
    )
    return format_html(
        'Claim <a href="{}">“{}”</a> created, citing this source.',
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim.summary,
    )


admin.site.unregister(Source)
admin.site.register(Source, SourceWithClaimsAdmin)
