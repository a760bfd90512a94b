"""Synthetic bulk data for the benchmark, written with bulk_create for speed.

Citation offsets are computed here rather than by Citation.save(), so each synthetic quote
is placed in the body by construction and stays verbatim.
"""

import datetime
import hashlib

from django.db import transaction
from django.urls import reverse

from claims.anchoring import make_anchor
from claims.models import (
    Citation,
    Claim,
    Dispute,
    DisputePoint,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from claims.search import rebuild_search_index
from sources.dates import DatePrecision
from sources.models import Source

SENTENCE = "Bench party {n} said that takedown figure {n} shows progress on counterfeits. "


@transaction.atomic
def grow(extra_claims: int) -> None:
    dispute = Dispute.objects.order_by("pk").first()
    point = DisputePoint.objects.filter(dispute=dispute).order_by("order").first()
    side = dispute.sides.order_by("order").first()
    metric = Metric.objects.order_by("pk").first()
    party = side.party
    per_source = 100
    for batch_start in range(0, extra_claims, per_source):
        numbers = range(batch_start, min(batch_start + per_source, extra_claims))
        body = "".join(SENTENCE.format(n=n) for n in numbers)
        source = Source.objects.create(
            title=f"Bench source {batch_start}",
            slug=f"bench-source-{batch_start}",
            body=body,
            body_sha256=hashlib.sha256(body.encode()).hexdigest(),
            published_on=datetime.date(2018, 1, 1),
            published_precision=DatePrecision.MONTH,
        )
        claims = Claim.objects.bulk_create(
            Claim(
                party=party,
                summary=f"Bench claim {n} on takedown figures",
                slug=f"bench-claim-{n}-on-takedown-figures",
                kind=Claim.Kind.STATISTIC,
                claimed_on=datetime.date(2017, 1 + n % 12, 1),
                claimed_precision=DatePrecision.MONTH,
            )
            for n in numbers
        )
        citations = []
        cursor = 0
        for n, claim in zip(numbers, claims, strict=True):
            sentence = SENTENCE.format(n=n)
            anchor = make_anchor(body, cursor, cursor + len(sentence) - 1)
            citations.append(
                Citation(
                    claim=claim,
                    source=source,
                    quote=anchor.exact,
                    start=anchor.start,
                    end=anchor.end,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                )
            )
            cursor += len(sentence)
        Citation.objects.bulk_create(citations)
        Statistic.objects.bulk_create(
            Statistic(claim=claim, metric=metric, value=n % 90, unit=metric.unit)
            for n, claim in zip(numbers, claims, strict=True)
        )
        PointClaim.objects.bulk_create(
            PointClaim(point=point, side=side, claim=claim, order=1000 + i)
            for i, claim in enumerate(claims)
        )
    rebuild_search_index()  # bulk_create bypasses save(), which keeps the index current


def sample_urls() -> dict[str, str]:
    claim = Claim.objects.order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    party = Party.objects.order_by("pk").first()
    metric = Metric.objects.order_by("pk").first()
    dispute = Dispute.objects.order_by("pk").first()
    return {
        "home": reverse("home"),
        "dispute": dispute.get_absolute_url(),
        "claim": claim.get_absolute_url(),
        "claims list": reverse("claims:list"),
        "claims search": reverse("claims:list") + "?q=takedown",
        "party": party.get_absolute_url(),
        "source": source.get_absolute_url(),
        "metric": metric.get_absolute_url(),
        "metrics list": reverse("metrics:list"),
    }
