"""The party list and a party's page: its people, disputes and claims on a timeline."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.cards import cards_with_opposing
from claims.meta import PageMeta, absolute
from claims.models import Claim, DisputeSide, Party, PartySummary
from claims.pagination import LinkedPage, page_url, paginate
from claims.structured_data.pages import Entry, party_json_ld
from claims.timeline import Timeline, YearFacet, build_timeline, facets_of

CLAIMS_PER_PARTY_PAGE = 50
PARTIES_PER_PAGE = 50


@require_safe
def party_list(request: HttpRequest, page: int | None = None) -> HttpResponseBase:
    base = reverse("parties:list")
    found = paginate(
        request, Party.objects.with_claim_counts(), PARTIES_PER_PAGE, base=base, page=page
    )
    if not isinstance(found, LinkedPage):
        return found
    meta = PageMeta.collection(
        title="Parties",
        description="The organisations and people whose claims are on record.",
        path=page_url(base, found.number),
        entries=[Entry(p.name, p.get_absolute_url()) for p in found.object_list],
    )
    context = {"parties": found.object_list, "page_obj": found, "meta": meta}
    return render(request, "claims/party_list.html", context)


@require_safe
def party_detail(request: HttpRequest, slug: str, page: int | None = None) -> HttpResponseBase:
    party = get_object_or_404(Party.objects.select_related("affiliation", "summary"), slug=slug)
    base = party.get_absolute_url()
    summary = PartySummary.of(party)  # the stored counts per year, built if missing
    years = facets_of(summary.years, CLAIMS_PER_PARTY_PAGE, lambda n: page_url(base, n))
    count = summary.claim_count
    # A timeline row shows the claim, its party and speaker and its rebuttals, never its
    # citations or figures: with_related()'s two prefetches would load them for nothing.
    timeline = Claim.objects.select_related("party", "speaker").timeline_of(
        party.group_ids(), count
    )
    found = paginate(request, timeline, CLAIMS_PER_PARTY_PAGE, base=base, page=page, count=count)
    if not isinstance(found, LinkedPage):
        return found
    party_page = PartyPage.of(party, found, years)
    context = {"page": party_page, "party": party, "meta": party_page.meta}
    return render(request, "claims/party_detail.html", context)


@dataclass
class PartyPage:
    party: Party
    members: list[Party]
    sides: list[DisputeSide]
    page_obj: LinkedPage
    timeline: Timeline
    years: list[YearFacet]

    @property
    def claim_count(self) -> int:
        return self.page_obj.paginator.count

    @property
    def meta(self) -> PageMeta:
        """A Person or Organization; the share image is the card of a claim of theirs."""
        party = self.party
        kind = party.get_kind_display().lower()
        who = (
            f"{party.role}, {party.affiliation.name}" if party.role and party.affiliation else kind
        )
        claims = list(self.page_obj.object_list)
        image_url = image_alt = ""
        if claims:
            image_url = absolute(reverse("claims:card", kwargs={"pk": claims[0].pk}))
            image_alt = f"{claims[0].party.name}: {claims[0].summary}"
        return PageMeta.page(
            title=party.name,
            description=f"{party.name} ({who}): {self.claim_count} claims on record, each quoted "
            "from its source, with what the other side said.",
            path=party.get_absolute_url(),
            json_ld=party_json_ld(party),
            image_url=image_url,
            image_alt=image_alt,
            og_type="profile",
        )

    @classmethod
    def of(cls, party: Party, page: LinkedPage, years: list[YearFacet]) -> PartyPage:
        """One page of the party's claims in timeline order, rebuttals drawn."""
        return cls(
            party=party,
            members=list(party.members.all()),
            sides=list(party.dispute_sides.select_related("dispute")),
            page_obj=page,
            timeline=build_timeline(cards_with_opposing(page.object_list)),
            years=years,
        )
