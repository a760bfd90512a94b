"""The claims list and the claim permalink, with the permalink's page assembly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from claims.cards import RelatedClaim, plain_cards, related_claims
from claims.comparisons import StatisticReport, statistic_reports
from claims.exports import claims_csv_response
from claims.filters import ClaimFilter
from claims.history import Correction, public_corrections
from claims.models import Assessment, Citation, Claim, DisputePoint, Party, PointClaim
from claims.structured_data import claim_json_ld
from claims.text import comparable_words, shorten

CLAIMS_PER_PAGE = 25


@require_safe
def claim_list(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    claims = Claim.objects.newest_first()
    claim_filter = ClaimFilter(request.GET or None, queryset=claims)
    results = claim_filter.qs if claim_filter.is_bound else claims
    # ?format=csv: every claim of the filtered list, all pages. A filter that was not
    # understood gets the list page with its messages, not an export of the wrong rows.
    wants_csv = request.GET.get("format") == "csv"
    if wants_csv and not claim_filter.errors:
        return claims_csv_response(results)
    page = Paginator(results.with_related(), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/claim_list.html",
        {
            "filter": claim_filter,
            "page_obj": page,
            "claims": page.object_list,
            "cards": plain_cards(page.object_list),
            "undated_left_out": claim_filter.undated_left_out() if claim_filter.is_bound else 0,
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
            return render(request, "claims/claim_withdrawn.html", {"w": withdrawn}, status=410)
        raise Http404("No claim has this number.") from exc
    # One canonical address per claim: the id alone and any stale slug answer 301.
    if request.path != claim.get_absolute_url():
        return redirect(claim.get_absolute_url(), permanent=True)
    page = ClaimPage.of(claim, site_url=settings.SITE_URL)
    return render(request, "claims/claim_detail.html", {"page": page, "claim": claim})


@dataclass
class Withdrawn:
    """What a removed claim's permalink shows, from its history."""

    claim_id: int
    summary: str
    party: Party | None
    claimed_display: str
    withdrawn_on: datetime.datetime

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
    """What another side of a dispute said on a point where this claim stands."""

    point: DisputePoint
    heading: str
    claims: list[Claim]


def other_sides(placements: list[PointClaim]) -> list[OtherSide]:
    """Claims placed on the same dispute points, under the other sides (one query)."""
    if not placements:
        return []
    own_sides = {p.side_id for p in placements}
    points = {p.point_id: p.point for p in placements}
    facing = (
        PointClaim.objects.filter(point_id__in=points)
        .exclude(side_id__in=own_sides)
        .select_related("side__party", "claim__party", "claim__speaker")
        .order_by("point__order", "side__order", "order", "pk")
    )
    grouped: dict[tuple[int, int], OtherSide] = {}
    for placement in facing:
        key = (placement.point_id, placement.side_id)
        if key not in grouped:
            grouped[key] = OtherSide(points[placement.point_id], placement.side.heading, [])
        grouped[key].claims.append(placement.claim)
    return list(grouped.values())


def representative_citation(citations: list[Citation]) -> Citation | None:
    """The citation whose quote stands for the claim in link previews and JSON-LD: the first
    that is anchored in its source and is not merely the source's title (a headline)."""
    return next(
        (
            c
            for c in citations
            if c.is_anchored and comparable_words(c.quote) != comparable_words(c.source.title)
        ),
        None,
    )


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
    meta_description: str
    cite_text: str
    json_ld: list[dict]

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
        description = (
            f"{claim.party.name}: “{shorten(quoted.quote if quoted else claim.summary, 160)}”"
        )
        counter = next((r for r in related if r.is_opposing), None)
        if counter:
            description += (
                f" — {counter.label.capitalize()} {counter.claim.party.name}: "
                f"“{shorten(counter.claim.summary, 120)}”"
            )
        elif facing:
            answer = facing[0].claims[0]
            description += f" — {answer.party.name}: “{shorten(answer.summary, 120)}”"
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
            meta_description=description,
            cite_text=(
                f"{claim.party.name}, “{claim.summary}” ({claim.claimed_display}). "
                f"Counterpoint, claim {claim.pk}. {canonical}"
            ),
            json_ld=claim_json_ld(
                claim,
                canonical=canonical,
                site_url=site_url,
                citations=citations,
                quoted=quoted,
                assessment=assessment,
            ),
        )
