from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from claims.models import Claim, Dispute, Metric, Party


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"disputes": Dispute.objects.all()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def claim_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/claim_list.html", {"claims": Claim.objects.with_related()})


def claim_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.with_related(), pk=pk)
    if slug != claim.slug:
        return redirect(claim, permanent=True)
    return render(request, "claims/claim_detail.html", {"claim": claim})


def dispute_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/dispute_list.html", {"disputes": Dispute.objects.all()})


def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dispute = get_object_or_404(Dispute, slug=slug)
    return render(request, "claims/dispute_detail.html", {"dispute": dispute})


def party_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/party_list.html", {"parties": Party.objects.all()})


def party_detail(request: HttpRequest, slug: str) -> HttpResponse:
    party = get_object_or_404(Party, slug=slug)
    return render(request, "claims/party_detail.html", {"party": party})


def metric_list(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/metric_list.html", {"metrics": Metric.objects.all()})


def metric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    metric = get_object_or_404(Metric, slug=slug)
    return render(request, "claims/metric_detail.html", {"metric": metric})
