"""Each page kind runs the same number of queries at 20 and at 400 claims (pinned exactly)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.comparisons import refresh_all_verdicts
from claims.models import (
    Assessment,
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PartySummary,
    PointClaim,
    Statistic,
)
from claims.search import rebuild_search_index
from sources.dates import DatePrecision
from sources.models import Outlet, Source

pytestmark = pytest.mark.django_db

SIZES = [20, 400]


@dataclass
class World:
    claim: Claim
    dispute: Dispute
    party: Party
    source: Source
    metric: Metric
    point: DisputePoint
    side: DisputeSide


def build(size: int) -> World:
    """size claims, quoted across three sources, placed on a dispute, with figures and links."""
    outlet = Outlet.objects.create(name="The Daily", slug="the-daily")
    sentences = [f"Sentence {i} says that figure {i} matters." for i in range(size)]
    sources = []
    for s in range(3):
        mine = [sentences[i] for i in range(s, size, 3)]
        source = Source(
            title=f"Source {s}",
            slug=f"source-{s}",
            outlet=outlet,
            published_on=datetime.date(2018, 1, 1),
            published_precision=DatePrecision.MONTH,
            body=" ".join(mine),
        )
        source.save()
        sources.append(source)
    agency = Party.objects.create(name="Agency", slug="agency", kind="government_agency")
    company = Party.objects.create(name="Company", slug="company", kind="company")
    speaker = Party.objects.create(
        name="Spokesperson", slug="spokesperson", kind="individual", affiliation=company
    )
    precisions = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.UNKNOWN]
    claims = []
    for i in range(size):
        precision = precisions[i % 4]
        day = datetime.date(2015 + i % 4, 1 + i % 12, 1 + i % 28)
        claimed_on = {
            DatePrecision.DAY: day,
            DatePrecision.MONTH: day.replace(day=1),
            DatePrecision.YEAR: day.replace(month=1, day=1),
            DatePrecision.UNKNOWN: None,
        }[precision]
        claims.append(
            Claim(
                party=agency if i % 2 else company,
                speaker=None if i % 2 else speaker,
                summary=f"Claim {i} about figure {i}",
                slug=f"claim-{i}-about-figure-{i}",
                kind=Claim.Kind.STATISTIC if i % 3 == 0 else Claim.Kind.ASSERTION,
                claimed_on=claimed_on,
                claimed_precision=precision,
            )
        )
    claims = Claim.objects.bulk_create(claims)
    citations = []
    for i, claim in enumerate(claims):
        source = sources[i % 3]
        start = source.body.index(sentences[i])
        citations.append(
            Citation(
                claim=claim,
                source=source,
                quote=sentences[i],
                start=start,
                end=start + len(sentences[i]),
                needs_review=(i == 5),
            )
        )
    Citation.objects.bulk_create(citations)
    metrics = [
        Metric.objects.create(
            name=f"Metric {m}", slug=f"metric-{m}", definition="D", unit="percent"
        )
        for m in range(2)
    ]
    Statistic.objects.bulk_create(
        Statistic(
            claim=claim,
            metric=metrics[i % 2],
            value=Decimal(i % 7),
            unit="percent",
            period_start=datetime.date(2015 + i % 3, 1, 1) if i % 4 else None,
            period_end=datetime.date(2015 + i % 3, 12, 31) if i % 4 else None,
            scope_note="Another definition." if i % 5 == 0 else "",
        )
        for i, claim in enumerate(claims)
        if i % 3 == 0
    )
    ClaimRelation.objects.bulk_create(
        ClaimRelation(from_claim=claims[i], to_claim=claims[i - 1], kind=kind)
        for i in range(1, size)
        for kind in [ClaimRelation.Kind.REBUTS if i % 2 else ClaimRelation.Kind.SUPPORTS]
    )
    dispute = Dispute.objects.create(title="Is it notorious?", slug="is-it-notorious")
    sides = {
        agency.pk: DisputeSide.objects.create(dispute=dispute, party=agency, stance="Yes", order=1),
        company.pk: DisputeSide.objects.create(
            dispute=dispute, party=company, stance="No", order=2
        ),
    }
    points = [
        DisputePoint.objects.create(dispute=dispute, question=f"Point {p}?", order=p)
        for p in range(3)
    ]
    PointClaim.objects.bulk_create(
        PointClaim(point=points[i % 3], side=sides[claim.party_id], claim=claim, order=i)
        for i, claim in enumerate(claims)
    )
    Assessment.objects.create(
        claim=claims[0],
        rating=Assessment.Rating.MIXED,
        rationale="Partly.",
        is_published=True,
        published_at=timezone.now(),
    )
    refresh_all_verdicts()  # the figures were bulk-created, as a bulk loader writes them
    # Give the permalink's claim a history, so its corrections are part of the count.
    claims[0].summary = "Claim 0 about figure 0, corrected"
    claims[0].save()
    side = sides[company.pk]
    rebuild_search_index()  # as every bulk loader does, so a search finds these claims
    Claim.objects.refresh_timeline_keys()  # and the stored keys and counts save() keeps
    PartySummary.refresh_all()
    return World(claims[0], dispute, company, sources[0], metrics[0], points[0], side)


PAGES = {
    # Newest claims (3), disputes with their sides (2), the stored discrepancies (1) and
    # their statistics (1): no query reads every statistic.
    "home": (lambda w: reverse("home"), 7),
    "about": (lambda w: reverse("about"), 0),
    # The capped count, the page of claims, their citations and figures, and the rest.
    "claim list": (lambda w: reverse("claims:list"), 7),
    "claim list filtered": (
        lambda w: (
            reverse("claims:list")
            + "?q=figure&party=company&date_from=2015-01-01&has_statistic=yes"
        ),
        # + the party's people (by_party), the count of undated claims the date filter left
        # out, the search highlights
        11,
    ),
    # + the citations of the other side's claim, quoted in the link preview, and the
    # histories of its parties and its figures' metrics (renames are corrections); the other
    # sides' claims in two steps: which (a window, at most a board cell each), then them.
    "claim detail": (lambda w: w.claim.get_absolute_url(), 17),
    "dispute list": (lambda w: reverse("disputes:list"), 3),  # count, disputes, sides
    # The dispute, sides, points, each cell's first placements with its count (one UNION),
    # the claims with citations and figures (3), the figures' comparisons (2), relations.
    "dispute detail": (lambda w: w.dispute.get_absolute_url(), 10),
    "party list": (lambda w: reverse("parties:list"), 2),  # count, parties with counts
    # The party with its stored counts by year (PartySummary: the facets and the count),
    # its people (the timeline's index scans), the page (with party and speaker), members,
    # sides, rebuttals: a timeline row shows no citations or figures.
    "party detail": (lambda w: w.party.get_absolute_url(), 6),
    "source list": (lambda w: reverse("sources:list"), 2),
    "source detail": (lambda w: w.source.get_absolute_url(), 2),
    "metric list": (lambda w: reverse("metrics:list"), 2),  # count, metrics with summaries
    # Metric with its stored summary and values order, the statistics the summary names,
    # the page of the values table, the sources of both: none compared, nothing counted.
    "metric detail": (lambda w: w.metric.get_absolute_url(), 4),
    "claim list page 2": (lambda w: reverse("claims:list_page", kwargs={"page": 2}), 7),
    "party detail page 2": (lambda w: w.party.get_absolute_url() + "page/2/", 6),
    "metric detail page 2": (lambda w: w.metric.get_absolute_url() + "page/2/", 4),
    # Point, side, the cell's count, its page of claims, their citations and figures.
    "dispute cell": (
        lambda w: reverse(
            "disputes:cell",
            kwargs={"slug": w.dispute.slug, "pk": w.point.pk, "side": w.side.pk},
        ),
        6,
    ),
}

# Small pages, so that page 2 exists at both sizes.
SMALL_PAGES = {
    "claims.views.claims.CLAIMS_PER_PAGE": 5,
    "claims.views.parties.CLAIMS_PER_PARTY_PAGE": 5,
    "claims.views.metrics.VALUES_PER_PAGE": 2,
}


@pytest.mark.parametrize("size", SIZES)
# Not named "page": pytest-playwright owns that fixture name.
@pytest.mark.parametrize("page_kind", PAGES)
def test_page_runs_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, monkeypatch, page_kind, size
):
    world = build(size)
    for name, value in SMALL_PAGES.items():
        monkeypatch.setattr(name, value)
    url, queries = PAGES[page_kind]
    with django_assert_num_queries(queries):
        response = client.get(url(world))
    assert response.status_code == 200


def test_the_big_world_really_is_big():
    build(400)
    assert Claim.objects.count() == 400
    assert PointClaim.objects.count() == 400
    assert Citation.objects.filter(needs_review=False).count() == 399
