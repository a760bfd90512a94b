"""The home page and the about page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.cards import plain_cards
from claims.comparisons import open_discrepancies
from claims.models import Claim, Dispute

NEWEST_SHOWN = 6


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    newest = Claim.objects.with_related().order_by("-created_at", "-pk")[:NEWEST_SHOWN]
    return render(
        request,
        "home.html",
        {
            "disputes": Dispute.objects.for_listing(),
            "cards": plain_cards(newest),
            "discrepancies": open_discrepancies(limit=NEWEST_SHOWN),
        },
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")
