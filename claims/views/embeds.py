"""oEmbed and the minimal embed pages it frames: a claim card, a dispute point's sides."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from claims.embeds import OEmbedQuery, target_for
from claims.models import Claim, DisputePoint
from claims.voices import PointVoices, counterpart, voices_of


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "json")
    if fmt == "xml":  # oEmbed 1.0 §2.3.4: a format the provider does not offer is a 501
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    if fmt != "json":
        return HttpResponse("format must be json.", status=400, content_type="text/plain")
    query = OEmbedQuery(request.GET)
    if not query.is_valid():
        return HttpResponse(query.message(), status=400, content_type="text/plain")
    target = target_for(query.cleaned_data["url"], request.get_host())
    if target is None:
        return HttpResponseNotFound(
            "Only claim permalinks and dispute points of this site can be embedded.",
            content_type="text/plain",
        )
    data = target.response(query.cleaned_data["maxwidth"], query.cleaned_data["maxheight"])
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"  # public data, fetched by any consumer
    return response


@require_safe
@xframe_options_exempt
def embed_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("party"), pk=pk)
    answer = counterpart(claim)
    voices = voices_of([claim, answer.claim] if answer else [claim])
    context = {
        "claim": claim,
        "own": voices[claim.pk],
        "answer": answer,
        "other": voices[answer.claim.pk] if answer else None,
        "other_heading": (
            f"{answer.label.capitalize()} {answer.claim.party.name}".strip() if answer else ""
        ),
    }
    return render(request, "embed/claim.html", context)


@require_safe
@xframe_options_exempt
def embed_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(DisputePoint.objects.select_related("dispute"), pk=pk)
    return render(request, "embed/point.html", {"point": PointVoices.of(point)})
