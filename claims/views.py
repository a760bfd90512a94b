"""Public pages of the claims app: thin views over claims.selectors."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from claims import selectors
from claims.filters import ClaimFilter
from claims.models import Claim, Dispute, Metric, Party

CLAIMS_PER_PAGE = 25


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "disputes": selectors.dispute_list(),
            "newest": Claim.objects.with_related().order_by("-created_at", "-pk")[:6],
            "discrepancies": selectors.open_discrepancies(limit=6),
        },
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.with_related().newest_first()
    claim_filter = ClaimFilter(request.GET or None, queryset=claims)
    results = claim_filter.qs if claim_filter.is_bound else claims
    page = Paginator(results, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/claim_list.html",
        {
            "filter": claim_filter,
            "page_obj": page,
            "claims": page.object_list,
            "undated_left_out": claim_filter.undated_left_out() if claim_filter.is_bound else 0,
        },
    )


@require_safe
def claim_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    try:
        claim = selectors.claim_for_page(pk)
    except Claim.DoesNotExist as exc:
        # A permalink never just breaks: a claim that was removed says so (410 Gone).
        if withdrawn := selectors.withdrawn_claim(pk):
            return render(request, "claims/claim_withdrawn.html", withdrawn, status=410)
        raise Http404("No claim has this number.") from exc
    # One canonical address per claim: the id alone and any stale slug answer 301.
    if request.path != claim.get_absolute_url():
        return redirect(claim.get_absolute_url(), permanent=True)
    return render(
        request, "claims/claim_detail.html", selectors.claim_page(claim, settings.SITE_URL)
    )


@require_safe
def dispute_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/dispute_list.html", {"disputes": selectors.dispute_list()})


@require_safe
def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dispute = get_object_or_404(Dispute, slug=slug)
    return render(
        request, "claims/dispute_detail.html", {"board": selectors.dispute_board(dispute)}
    )


@require_safe
def party_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/party_list.html", {"parties": selectors.party_list()})


@require_safe
def party_detail(request: HttpRequest, slug: str) -> HttpResponse:
    party = get_object_or_404(Party.objects.select_related("affiliation"), slug=slug)
    return render(
        request,
        "claims/party_detail.html",
        selectors.party_page(party, request.GET.get("page")),
    )


@require_safe
def metric_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/metric_list.html", {"metrics": selectors.metric_list()})


@require_safe
def metric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    metric = get_object_or_404(Metric, slug=slug)
    report = selectors.metric_report(metric, request.GET.get("page"))
    return render(request, "claims/metric_detail.html", {"report": report})
