"""The home page and the about page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.cards import plain_cards
from claims.comparisons import open_discrepancies
from claims.links import PagePaths
from claims.meta import SITE_DESCRIPTION, PageMeta
from claims.models import Assessment, Claim, Dispute
from claims.structured_data.pages import about_ld, website_ld

NEWEST_SHOWN = 6
DISPUTES_SHOWN = 12  # the rest are on the dispute list's pages


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    newest = Claim.objects.with_related().order_by("-created_at", "-pk")[:NEWEST_SHOWN]
    discrepancies = open_discrepancies(limit=NEWEST_SHOWN, paths=PagePaths())
    return render(
        request,
        "home.html",
        {
            "disputes": Dispute.objects.for_listing()[:DISPUTES_SHOWN],
            "cards": plain_cards(newest),
            "discrepancies": discrepancies,
            "meta": PageMeta.page(
                title="Counterpoint: who claimed what, and on which evidence",
                description=SITE_DESCRIPTION,
                path="/",
                json_ld=website_ld(SITE_DESCRIPTION),
            ),
        },
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    description = (
        "How Counterpoint verifies quotes, compares figures, shows dates at their known "
        "precision and rates claims on a 1–5 scale."
    )
    path = request.path
    meta = PageMeta.page(
        title="How Counterpoint works",
        description=description,
        path=path,
        json_ld=about_ld(path, description),
    )
    # The rating scale as the JSON-LD gives it, best first: one definition, shown here.
    ratings = sorted(Assessment.Rating, key=lambda r: -r.scale_value)
    return render(request, "about.html", {"meta": meta, "ratings": ratings})
