"""The benchmark's yardstick: the cheapest page Django can serve that still reads the
database, through the whole middleware stack. Mounted only with BENCH_VIEWS=true."""

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_safe

from claims.models import Claim


@require_safe
def bare(request: HttpRequest) -> HttpResponse:
    summary = Claim.objects.order_by("pk").values_list("summary", flat=True).first() or ""
    return HttpResponse(f"<!doctype html><title>bare</title><p>{escape(summary)}</p>")
