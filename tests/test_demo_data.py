"""generate_demo_data: the promised shapes at a small size, quotes verbatim at their offsets,
the models' rules kept, the same data for the same seed, and every public page answering."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count

from claims.anchoring import find_quote
from claims.demo.generator import Report, Scale, generate
from claims.models import (
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.models import Outlet, Source

N = 300


@pytest.fixture
def demo(seeded) -> Report:
    return generate(claims=N, seed=7)


def generated_claims():
    """The last N claims written: the run's own."""
    first = Claim.objects.order_by("-pk").values_list("pk", flat=True)[N - 1]
    return Claim.objects.filter(pk__gte=first)


def test_a_small_run_adds_the_claims_disputes_and_worst_cases_it_promises(demo):
    scale = Scale(N)
    assert demo.claims == N and demo.disputes == scale.disputes == 3
    generated_parties = Party.objects.filter(description__contains="demo data")
    worst_party = generated_parties.annotate(n=Count("claims")).order_by("-n").first()
    assert worst_party == demo.worst_party
    assert Claim.objects.by_party(demo.worst_party).count() == scale.worst_party_claims == 30
    worst_point = DisputePoint.objects.annotate(n=Count("placements")).order_by("-n").first()
    assert worst_point.dispute == demo.worst_dispute
    assert worst_point.n == scale.worst_point_placements == 20
    metrics = Metric.objects.filter(statistics__claim__in=generated_claims())
    counts = dict(metrics.annotate(n=Count("statistics")).values_list("slug", "n"))
    assert demo.worst_metric is not None
    assert counts.pop(demo.worst_metric.slug) == scale.worst_metric_values == 60
    assert counts and all(5 <= n <= 50 for n in counts.values())
    for dispute in Dispute.objects.filter(pk__gte=demo.worst_dispute.pk):
        assert dispute.sides.count() >= 2 and dispute.points.count() >= 2
        assert PointClaim.objects.filter(point__dispute=dispute).exists()
    people = Party.objects.filter(affiliation__isnull=False, spoken_claims__isnull=False)
    assert people.exists()
    assert ClaimRelation.objects.filter(kind=ClaimRelation.Kind.REBUTS).count() >= 2
    assert Outlet.objects.filter(sources__isnull=False).distinct().count() >= 4


def test_the_worst_case_metric_has_agreements_discrepancies_and_a_series(demo):
    readings = Counter(
        Statistic.objects.filter(metric=demo.worst_metric, qualifier="", scope_note="")
        .exclude(period_label="")
        .values_list("period_label", "value")
    )
    periods = {period for period, _ in readings}
    assert len(periods) >= 2  # a series
    assert any(n >= 2 for n in readings.values())  # the same figure twice: agreement
    by_period = Counter(period for period, _ in readings)
    assert any(n >= 2 for n in by_period.values())  # two figures for one period
    assert Statistic.objects.filter(metric=demo.worst_metric, period_label="").exists()


def test_every_generated_citation_is_verbatim_where_its_offsets_say(demo):
    generated = Citation.objects.filter(claim__in=generated_claims())
    assert generated.count() >= N
    for citation in generated.select_related("source"):
        body = citation.source.body
        assert body[citation.start : citation.end] == citation.quote
        assert citation.is_anchored
        found = find_quote(body, citation.quote, prefix=citation.prefix, suffix=citation.suffix)
        assert (found.start, found.end) == (citation.start, citation.end)


def test_generated_rows_pass_the_models_own_validation(demo):
    claims = generated_claims()
    for model, rows in [
        (Party, Party.objects.filter(description__contains="demo data")),
        (Party, Party.objects.filter(affiliation__description__contains="demo data")),
        (Outlet, Outlet.objects.filter(description__contains="demo data")),
        (Source, Source.objects.filter(outlet__description__contains="demo data")),
        (Claim, claims),
        (Citation, Citation.objects.filter(claim__in=claims).select_related("source")),
        (Statistic, Statistic.objects.filter(claim__in=claims)),
        (Metric, Metric.objects.filter(statistics__claim__in=claims).distinct()),
        (PointClaim, PointClaim.objects.filter(claim__in=claims)),
    ]:
        assert rows.exists(), model
        for row in rows:
            row.full_clean()


def fingerprint() -> list[tuple]:
    """The generated data without database ids, which differ between runs on PostgreSQL."""
    newest = generated_claims().order_by("pk")
    return [
        *newest.values_list(
            "party__slug", "speaker__slug", "summary", "kind", "claimed_on", "claimed_precision"
        ),
        *Citation.objects.filter(claim__in=newest).values_list(
            "claim__summary", "source__slug", "source__body_sha256", "start", "end", "prefix"
        ),
        *Statistic.objects.filter(claim__in=newest).values_list(
            "metric__slug", "value", "qualifier", "period_label", "scope_note"
        ),
        *PointClaim.objects.filter(claim__in=newest).values_list(
            "point__dispute__slug", "point__question", "side__party__slug", "order"
        ),
    ]


class Rollback(Exception):
    pass


def generated_once(seed: int) -> list[tuple]:
    with pytest.raises(Rollback), transaction.atomic():
        generate(claims=N, seed=seed)
        found = fingerprint()
        raise Rollback
    return found


def test_the_same_seed_generates_the_same_data_and_another_seed_other_data(seeded):
    first = generated_once(7)
    assert first == generated_once(7)
    assert first != generated_once(8)


def test_a_second_run_adds_beside_the_seed_and_the_first_without_clashing(demo):
    again = generate(claims=N, seed=7)
    assert again.worst_party != demo.worst_party
    assert again.worst_party.slug.startswith(demo.worst_party.slug)
    for model in (Party, Outlet, Source, Metric, Dispute):
        slugs = list(model._default_manager.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)), model


def test_the_command_prints_what_it_added_and_how_long_it_took(seeded):
    out = io.StringIO()
    call_command("generate_demo_data", "--claims", "100", "--seed", "3", stdout=out)
    assert "Added 100 claims" in out.getvalue()
    assert "Generated in " in out.getvalue()
    # On PostgreSQL the planner is given statistics for the freshly bulk-written tables.
    assert ("Planner statistics" in out.getvalue()) == (connection.vendor == "postgresql")
    call_command("generate_demo_data", "--claims", "100", "--seed", "4", "--history", stdout=out)
    assert "first records" in out.getvalue()
    newest = Claim.objects.order_by("-pk").first()
    assert newest is not None and newest.history.count() == 1
    with pytest.raises(CommandError, match="100 or more"):
        call_command("generate_demo_data", "--claims", "30")


def test_the_public_pages_answer_on_demo_data(demo, client):
    claim = Claim.objects.filter(placements__point__dispute=demo.worst_dispute).first()
    source = Source.objects.filter(outlet__description__contains="demo data").first()
    assert demo.worst_metric is not None and claim is not None and source is not None
    for url in [
        "/",
        "/claims/",
        "/claims/?q=counterfeit",
        "/claims/page/2/",
        claim.get_absolute_url(),
        demo.worst_party.get_absolute_url(),
        demo.worst_metric.get_absolute_url(),
        demo.worst_dispute.get_absolute_url(),
        source.get_absolute_url(),
        "/disputes/",
        "/parties/",
        "/metrics/",
        "/sources/",
        "/feeds/claims/",
        "/sitemap-claims.xml",
        "/api/claims/",
    ]:
        assert client.get(url).status_code == 200, url
