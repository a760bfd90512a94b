"""oEmbed 1.0 for claim permalinks and dispute points: which of our URLs can be embedded,
and the `rich` response whose html is an <iframe> of a minimal /embed/ page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html

from claims.models import Claim, DisputePoint

PROVIDER_NAME = "Counterpoint"
CACHE_AGE = 60 * 60
THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT = 1200, 630


class OEmbedQuery(forms.Form):
    """The consumer's request; format is checked apart, since xml is refused with 501."""

    url = forms.CharField(max_length=2000)
    maxwidth = forms.IntegerField(required=False, min_value=1, max_value=10_000)
    maxheight = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def message(self) -> str:
        return "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in self.errors.items()
        )


@dataclass(frozen=True)
class EmbedTarget:
    title: str
    author_name: str
    author_url: str
    embed_path: str
    image_path: str
    width: int
    height: int

    def response(self, maxwidth: int | None, maxheight: int | None) -> dict[str, Any]:
        """The oEmbed `rich` response, its frame no larger than the consumer allows."""
        width = min(self.width, maxwidth or self.width)
        height = min(self.height, maxheight or self.height)
        src = f"{settings.SITE_URL}{self.embed_path}"
        data: dict[str, Any] = {
            "version": "1.0",
            "type": "rich",
            "provider_name": PROVIDER_NAME,
            "provider_url": f"{settings.SITE_URL}/",
            "title": self.title,
            "author_name": self.author_name,
            "author_url": f"{settings.SITE_URL}{self.author_url}",
            "cache_age": CACHE_AGE,
            "width": width,
            "height": height,
            "html": format_html(
                '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
                'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
                src,
                width,
                height,
                self.title,
            ),
        }
        # A thumbnail is offered only when it fits what the consumer allows.
        if (maxwidth or THUMBNAIL_WIDTH) >= THUMBNAIL_WIDTH and (
            maxheight or THUMBNAIL_HEIGHT
        ) >= THUMBNAIL_HEIGHT:
            data |= {
                "thumbnail_url": f"{settings.SITE_URL}{self.image_path}",
                "thumbnail_width": THUMBNAIL_WIDTH,
                "thumbnail_height": THUMBNAIL_HEIGHT,
            }
        return data


def _ours(url: str, request_host: str) -> str | None:
    """The path of url when it is an http(s) address of this site, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    if parts.netloc not in {urlsplit(settings.SITE_URL).netloc, request_host}:
        return None
    return parts.path or "/"


def target_for(url: str, request_host: str) -> EmbedTarget | None:
    """What url embeds: a claim permalink (any slug) or a dispute point (#point-<id>)."""
    path = _ours(url, request_host)
    if path is None:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name in {"claims:detail", "claims:detail_by_id"}:
        claim = Claim.objects.select_related("party").filter(pk=match.kwargs["pk"]).first()
        if claim is None:
            return None
        return EmbedTarget(
            title=claim.summary,
            author_name=claim.party.name,
            author_url=claim.party.get_absolute_url(),
            embed_path=reverse("share:embed_claim", kwargs={"pk": claim.pk}),
            image_path=reverse("claims:card", kwargs={"pk": claim.pk}),
            width=560,
            height=340,
        )
    fragment = re.fullmatch(r"point-(\d+)", urlsplit(url).fragment)
    if match.view_name == "disputes:detail" and fragment:
        point = (
            DisputePoint.objects.select_related("dispute")
            .filter(pk=int(fragment.group(1)), dispute__slug=match.kwargs["slug"])
            .first()
        )
        if point is None:
            return None
        return EmbedTarget(
            title=point.question,
            author_name=PROVIDER_NAME,
            author_url=point.dispute.get_absolute_url(),
            embed_path=reverse("share:embed_point", kwargs={"pk": point.pk}),
            image_path=reverse(
                "disputes:point_card", kwargs={"slug": point.dispute.slug, "pk": point.pk}
            ),
            width=720,
            height=400,
        )
    return None
