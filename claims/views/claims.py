"""The claims list and the claim permalink, with the permalink's page assembly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.cards import RelatedClaim, plain_cards, related_claims
from claims.comparisons import StatisticReport, statistic_reports
from claims.exports import claims_csv_response
from claims.filters import ClaimFilter
from claims.history import Correction, public_corrections
from claims.meta import PageMeta, absolute, card_alt, exchange, share_title
from claims.models import Assessment, Citation, Claim, DisputePoint, Party, PointClaim
from claims.pagination import LinkedPage, paginate
from claims.search import matching
from claims.search.matching import highlights, lists_only_the_first
from claims.structured_data.claims import claim_json_ld
from claims.structured_data.pages import Entry
from claims.views.disputes import CLAIMS_PER_CELL
from claims.voices import Voice, pick_counterpart, representative_citation, voices_of

CLAIMS_PER_PAGE = 25
# The list counts and pages through at most this many claims (400 pages, each an index scan
# at a bounded offset); past it, readers narrow by date, party or dispute.
CLAIMS_COUNTED = 10_000


@require_safe
def claim_list(
    request: HttpRequest, page: int | None = None
) -> HttpResponseBase | StreamingHttpResponse:
    claims = Claim.objects.newest_first()
    claim_filter = ClaimFilter(request.GET or None, queryset=claims)
    results = claim_filter.qs if claim_filter.is_bound else claims
    # ?format=csv: every claim of the filtered list, all pages. A filter that was not
    # understood gets the list page with its messages, not an export of the wrong rows.
    wants_csv = request.GET.get("format") == "csv"
    if wants_csv and not claim_filter.errors:
        return claims_csv_response(results)
    found = paginate(
        request,
        results.with_related(),
        CLAIMS_PER_PAGE,
        base=reverse("claims:list"),
        page=page,
        cap=CLAIMS_COUNTED,
    )
    if not isinstance(found, LinkedPage):
        return found
    page_obj = found
    shown = list(page_obj.object_list)
    searched = claim_filter.search_text() if claim_filter.is_bound else ""
    return render(
        request,
        "claims/claim_list.html",
        {
            "filter": claim_filter,
            "page_obj": page_obj,
            "claims": shown,
            "cards": plain_cards(shown, highlights(searched, shown)),
            "search_stopped": lists_only_the_first(searched, page_obj.paginator.count),
            "search_limit": matching.SEARCH_LIMIT,
            "undated_left_out": claim_filter.undated_left_out() if claim_filter.is_bound else 0,
            "meta": PageMeta.collection(
                title="Claims",
                description="Every claim on record, each quoted from its source: filter by "
                "party, dispute, kind and date, or search the quotes.",
                path=request.get_full_path(),
                entries=[Entry(c.summary, c.get_absolute_url(), c) for c in shown],
            ),
        },
        status=400 if wants_csv else 200,
    )


@require_safe
def claim_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    try:
        claim = Claim.objects.for_permalink().get(pk=pk)
    except Claim.DoesNotExist as exc:
        # A permalink never just breaks: a claim that was removed says so (410 Gone).
        if withdrawn := Withdrawn.of(pk):
            context = {"w": withdrawn, "meta": withdrawn.meta}
            return render(request, "claims/claim_withdrawn.html", context, status=410)
        raise Http404("No claim has this number.") from exc
    # One canonical address per claim: the id alone and any stale slug answer 301.
    if request.path != claim.get_absolute_url():
        return redirect(claim.get_absolute_url(), permanent=True)
    page = ClaimPage.of(claim, site_url=settings.SITE_URL)
    return render(
        request, "claims/claim_detail.html", {"page": page, "claim": claim, "meta": page.meta}
    )


@dataclass
class Withdrawn:
    """What a removed claim's permalink shows, from its history."""

    claim_id: int
    summary: str
    party: Party | None
    claimed_display: str
    withdrawn_on: datetime.datetime

    @property
    def meta(self) -> PageMeta:
        path = reverse("claims:detail_by_id", kwargs={"pk": self.claim_id})
        return PageMeta.page(
            title=f"Claim {self.claim_id} withdrawn",
            description=f"Claim {self.claim_id} was removed from Counterpoint.",
            path=path,
            json_ld=[],
        )

    @classmethod
    def of(cls, pk: int) -> Withdrawn | None:
        last = Claim.history.filter(id=pk).order_by("-history_date", "-history_id").first()
        if last is None or last.history_type != "-":
            return None
        return cls(
            claim_id=pk,
            summary=last.summary,
            party=Party.objects.filter(pk=last.party_id).first(),
            claimed_display=last.instance.claimed_display,
            withdrawn_on=last.history_date,
        )


@dataclass
class OtherSide:
    """What another side of a dispute said on a point where this claim stands: the first
    CLAIMS_PER_CELL of its claims, as its board cell shows them, and how many it has."""

    point: DisputePoint
    heading: str
    claims: list[Claim]
    total: int = 0
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.claims)


def other_sides(placements: list[PointClaim]) -> list[OtherSide]:
    """Claims placed on the same dispute points, under the other sides, at most
    CLAIMS_PER_CELL per side and point (one query: a window numbers and counts each cell,
    as on the board, so a claim on a point with 2,000 placements still lists 8 per side)."""
    if not placements:
        return []
    own_sides = {p.side_id for p in placements}
    points = {p.point_id: p.point for p in placements}
    # Which placements, and how many per cell, from the placements alone (a window in the
    # board's order within a cell, claims.views.disputes._first_placements); then only those
    # are loaded with their claims. One query that joins and filters on the window costs
    # more to plan and compile than these two small ones.
    cell = [F("point_id"), F("side_id")]
    in_cell_order = [F("order").asc(), F("claim__claimed_on").asc(nulls_last=True), F("pk").asc()]
    picked = dict(
        PointClaim.objects.filter(point_id__in=points)
        .exclude(side_id__in=own_sides)
        .annotate(
            place=Window(RowNumber(), partition_by=cell, order_by=in_cell_order),
            in_cell=Window(Count("pk"), partition_by=cell),
        )
        .filter(place__lte=CLAIMS_PER_CELL)
        .values_list("pk", "in_cell")
    )
    shown = (
        PointClaim.objects.filter(pk__in=list(picked))
        .select_related("side__party", "claim__party", "claim__speaker")
        .order_by("point__order", "point_id", "side__order", "side_id", *in_cell_order)
    )
    grouped: dict[tuple[int, int], OtherSide] = {}
    for placement in shown:
        key = (placement.point_id, placement.side_id)
        if key not in grouped:
            point = points[placement.point_id]
            more_url = reverse(
                "disputes:cell",
                kwargs={"slug": point.dispute.slug, "pk": point.pk, "side": placement.side_id},
            )
            grouped[key] = OtherSide(
                point,
                placement.side.heading,
                [],
                picked[placement.pk],
                more_url,
            )
        grouped[key].claims.append(placement.claim)
    return list(grouped.values())


@dataclass
class ClaimPage:
    """Everything the claim permalink shows, from a claim loaded with for_permalink()."""

    claim: Claim
    citations: list[Citation]
    corrections: list[Correction]
    related: list[RelatedClaim]
    other_sides: list[OtherSide]
    statistics: list[StatisticReport]
    assessment: Assessment | None
    placements: list[PointClaim]
    canonical_url: str
    cite_text: str
    meta: PageMeta

    @property
    def corroboration(self) -> int:
        """How many distinct sources report the claim."""
        return len({c.source_id for c in self.citations})

    @classmethod
    def of(cls, claim: Claim, *, site_url: str) -> ClaimPage:
        citations = list(claim.citations.all())
        placements = list(claim.placements.all())
        canonical = f"{site_url}{claim.get_absolute_url()}"
        related = related_claims([claim.pk]).get(claim.pk, [])
        facing = other_sides(placements)
        assessment = Assessment.objects.published_for(claim)
        quoted = representative_citation(citations)
        own = Voice.of(claim, citations)
        answer = pick_counterpart(related, [side.claims[0] for side in facing])
        other = voices_of([answer.claim])[answer.claim.pk] if answer else None
        return cls(
            claim=claim,
            citations=citations,
            corrections=public_corrections(claim),
            related=related,
            other_sides=facing,
            statistics=statistic_reports(claim.statistics.all()),
            assessment=assessment,
            placements=placements,
            canonical_url=canonical,
            # Our summary is never put in quotation marks: only the source's own words are.
            cite_text=(
                f"{claim.party.name}{', ' if own.verbatim else ': '}"
                f"{own.quoted(len(own.text) + 2)} ({claim.claimed_display}). "
                f"Counterpoint, claim {claim.pk}. {canonical}"
            ),
            meta=PageMeta.page(
                title=share_title(claim.party.name, claim.summary),
                description=exchange(own, other, label=answer.label if answer else ""),
                path=claim.get_absolute_url(),
                json_ld=claim_json_ld(
                    claim,
                    canonical=canonical,
                    citations=citations,
                    quoted=quoted,
                    assessment=assessment,
                ),
                image_url=absolute(reverse("claims:card", kwargs={"pk": claim.pk})),
                image_alt=card_alt(own, other),
                og_type="article",
                embeddable=((canonical, claim.summary),),
            ),
        )
