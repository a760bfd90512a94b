"""The party list and a party's page: its people, disputes and claims on a timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.cards import cards_with_opposing
from claims.models import Claim, DisputeSide, Party
from claims.timeline import Timeline, build_timeline

CLAIMS_PER_PARTY_PAGE = 50


@require_safe
def party_list(request: HttpRequest) -> HttpResponse:
    parties = Party.objects.with_claim_counts()
    return render(request, "claims/party_list.html", {"parties": parties})


@require_safe
def party_detail(request: HttpRequest, slug: str) -> HttpResponse:
    party = get_object_or_404(Party.objects.select_related("affiliation"), slug=slug)
    page = PartyPage.of(party, request.GET.get("page"))
    return render(request, "claims/party_detail.html", {"page": page, "party": party})


@dataclass
class PartyPage:
    party: Party
    members: list[Party]
    sides: list[DisputeSide]
    page_obj: Page
    timeline: Timeline

    @property
    def claim_count(self) -> int:
        return self.page_obj.paginator.count

    @classmethod
    def of(cls, party: Party, page_number: str | None) -> PartyPage:
        """The party's claims paginated in timeline order, rebuttals drawn."""
        claims = Claim.objects.by_party(party).with_related().chronological()
        page = Paginator(claims, CLAIMS_PER_PARTY_PAGE).get_page(page_number)
        return cls(
            party=party,
            members=list(party.members.all()),
            sides=list(party.dispute_sides.select_related("dispute")),
            page_obj=page,
            timeline=build_timeline(cards_with_opposing(page.object_list)),
        )
