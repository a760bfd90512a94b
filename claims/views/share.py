"""Share images: a claim's quote against its answer, a dispute point's two sides, and the
site card. Each is a 1200×630 PNG, cached by what it draws and revalidated by ETag."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from claims.models import Claim, DisputePoint
from claims.share_images import ShareCard, cached_png, site_card
from claims.voices import PointVoices, counterpart, voices_of

# Browsers and link-preview crawlers may keep an image an hour, then revalidate by ETag:
# an edited quote shows within the hour, an unchanged one costs a 304.
MAX_AGE = 60 * 60


def _footer(path: str) -> str:
    return f"{settings.SITE_URL.split('://', 1)[-1]}{path}"


def png_response(request: HttpRequest, card: ShareCard) -> HttpResponse:
    etag = quote_etag(card.key())
    response = get_conditional_response(request, etag=etag)
    if response is None:
        png, _ = cached_png(card)
        response = HttpResponse(png, content_type="image/png")
        response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def claim_card(claim: Claim) -> ShareCard:
    """The claim's quote against its counterpart's (four queries with the claim's own)."""
    answer = counterpart(claim)
    voices = voices_of([claim, answer.claim] if answer else [claim])
    return ShareCard.of_voices(
        claim.summary,
        voices[claim.pk],
        voices[answer.claim.pk] if answer else None,
        _footer(claim.get_absolute_url()),
    )


@require_safe
def claim_card_png(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("party"), pk=pk)
    return png_response(request, claim_card(claim))


@require_safe
def point_card_png(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    point = get_object_or_404(
        DisputePoint.objects.select_related("dispute"), pk=pk, dispute__slug=slug
    )
    card = ShareCard.of_point(PointVoices.of(point), _footer(point.dispute.get_absolute_url()))
    return png_response(request, card)


@require_safe
def site_card_png(request: HttpRequest) -> HttpResponse:
    return png_response(request, site_card(_footer("/")))
