"""A small world with one of everything, and the URL of every public page kind in it: the
fixtures of the structured-data and share-card tests."""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from claims.models import Claim, ClaimRelation, Dispute, DisputePoint, Metric, Party
from sources.dates import DatePrecision
from sources.models import Source
from tests.factories import (
    make_claim,
    make_dispute,
    make_outlet,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

QUOTE = "Takedown requests fell 25% last year"
ANSWER = "We reject the listing entirely"


@dataclass
class World:
    company: Party
    agency: Party
    spokesperson: Party
    source: Source
    claim: Claim  # the company's, said by its spokesperson, rebutted by the agency
    answer: Claim  # the agency's rebuttal
    dispute: Dispute
    point: DisputePoint
    metric: Metric


def build_world() -> World:
    outlet = make_outlet(name="The Daily", homepage="https://daily.example/")
    source = make_source(
        title="Takedown requests fell, company says",
        outlet=outlet,
        author="A. Reporter",
        published_on=datetime.date(2018, 1, 1),
        published_precision=DatePrecision.MONTH,
        url="https://daily.example/takedowns",
    )
    company = make_party(name="MarketCo", slug="marketco", url="https://marketco.example/")
    agency = make_party(name="Trade Office", slug="trade-office", kind="government_agency")
    spokesperson = make_party(
        name="Jane Doe",
        slug="jane-doe",
        kind="individual",
        role="Spokesperson",
        affiliation=company,
    )
    claim = make_claim(
        party=company,
        speaker=spokesperson,
        summary="Takedown requests fell 25% year on year",
        quote=QUOTE,
        source=source,
        claimed_on=datetime.date(2018, 1, 1),
        claimed_precision=DatePrecision.MONTH,
    )
    answer = make_claim(
        party=agency,
        summary="The agency rejects the company's figures",
        quote=ANSWER,
        claimed_on=datetime.date(2017, 1, 1),
        claimed_precision=DatePrecision.YEAR,
    )
    ClaimRelation.objects.create(from_claim=answer, to_claim=claim, kind=ClaimRelation.Kind.REBUTS)
    dispute = make_dispute(parties=(agency, company), title="Is the market notorious?")
    place_claim(answer, dispute)
    place_claim(claim, dispute)
    statistic = make_statistic(claim=claim, value=-25)
    return World(
        company,
        agency,
        spokesperson,
        source,
        claim,
        answer,
        dispute,
        dispute.points.get(),
        statistic.metric,
    )


def page_urls(world: World) -> dict[str, str]:
    """Every public page kind, by name."""
    return {
        "home": reverse("home"),
        "about": reverse("about"),
        "claim list": reverse("claims:list"),
        "claim": world.claim.get_absolute_url(),
        "dispute list": reverse("disputes:list"),
        "dispute": world.dispute.get_absolute_url(),
        "party list": reverse("parties:list"),
        "party": world.company.get_absolute_url(),
        "person": world.spokesperson.get_absolute_url(),
        "source list": reverse("sources:list"),
        "source": world.source.get_absolute_url(),
        "metric list": reverse("metrics:list"),
        "metric": world.metric.get_absolute_url(),
    }
