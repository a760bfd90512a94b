"""Small hand-written factories: each makes a valid object and takes overrides."""

import datetime
import itertools
from decimal import Decimal

from claims.models import (
    Citation,
    Claim,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import DatePrecision
from sources.models import Outlet, Source

_seq = itertools.count(1)

DEFAULT_BODY = (
    "The agency said the market was notorious. "
    "“We reject the listing entirely,” the company said in a statement. "
    "Takedown requests fell 25% last year, and 97% were handled within 24 hours."
)


def make_outlet(**kwargs) -> Outlet:
    n = next(_seq)
    fields = {"name": f"Outlet {n}", "slug": f"outlet-{n}"}
    fields.update(kwargs)
    return Outlet.objects.create(**fields)


def make_source(**kwargs) -> Source:
    n = next(_seq)
    fields = {
        "title": f"Source {n}",
        "slug": f"source-{n}",
        "kind": Source.Kind.ARTICLE,
        "published_on": datetime.date(2018, 1, 15),
        "published_precision": DatePrecision.DAY,
        "url": f"https://example.org/articles/{n}",
        "body": f"{DEFAULT_BODY} (Article {n}.)",
    }
    fields.update(kwargs)
    source = Source(**fields)
    source.full_clean()
    source.save()
    return source


def make_party(**kwargs) -> Party:
    n = next(_seq)
    fields = {"name": f"Party {n}", "slug": f"party-{n}", "kind": Party.Kind.COMPANY}
    fields.update(kwargs)
    return Party.objects.create(**fields)


def make_claim(*, quote: str | None = None, source: Source | None = None, **kwargs) -> Claim:
    """A claim with one citation; pass quote/source to choose the cited passage."""
    n = next(_seq)
    fields = {
        "summary": f"Claim number {n}",
        "kind": Claim.Kind.ASSERTION,
        "claimed_on": datetime.date(2018, 1, 1),
        "claimed_precision": DatePrecision.MONTH,
    }
    fields.update(kwargs)
    if "party" not in fields:
        fields["party"] = make_party()
    claim = Claim(**fields)
    claim.full_clean()
    claim.save()
    make_citation(
        claim=claim,
        source=source or make_source(),
        quote=quote or "We reject the listing entirely",
    )
    return claim


def make_citation(**kwargs) -> Citation:
    citation = Citation(**kwargs)
    citation.full_clean()
    citation.save()
    return citation


def make_metric(**kwargs) -> Metric:
    n = next(_seq)
    fields = {
        "name": f"Metric {n}",
        "slug": f"metric-{n}",
        "definition": "Year-on-year change in brand-owner takedown requests.",
        "unit": Metric.Unit.PERCENT,
    }
    fields.update(kwargs)
    return Metric.objects.create(**fields)


def make_statistic(**kwargs) -> Statistic:
    fields = {"value": Decimal("-25"), "unit": Metric.Unit.PERCENT}
    fields.update(kwargs)
    if "metric" not in fields:
        fields["metric"] = make_metric(unit=fields["unit"])
    if "claim" not in fields:
        fields["claim"] = make_claim(quote="Takedown requests fell 25% last year")
    statistic = Statistic(**fields)
    statistic.full_clean()
    statistic.save()
    return statistic


def make_dispute(*, parties: tuple[Party, Party] | None = None, **kwargs) -> Dispute:
    """A dispute with two sides and one point."""
    n = next(_seq)
    fields = {"title": f"Is dispute {n} settled?", "slug": f"dispute-{n}", "summary": "Summary."}
    fields.update(kwargs)
    dispute = Dispute.objects.create(**fields)
    first, second = parties or (make_party(), make_party())
    DisputeSide.objects.create(dispute=dispute, party=first, stance="Yes", order=1)
    DisputeSide.objects.create(dispute=dispute, party=second, stance="No", order=2)
    DisputePoint.objects.create(dispute=dispute, question="Is the first point true?", order=1)
    return dispute


def place_claim(claim: Claim, dispute: Dispute, *, point: DisputePoint | None = None) -> PointClaim:
    """Put a claim on a point of the dispute, under the side of its party."""
    point = point or dispute.points.first()
    side = dispute.sides.get(party=claim.party)
    return PointClaim.objects.create(point=point, side=side, claim=claim)
