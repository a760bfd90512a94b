"""The seed fixture: five sources, verbatim quotes, honest dates and figures.

Every test loads fixtures/seed.json into the test database and checks it against the seed
files in shared/seeds and their PROVENANCE.md, so a wrong or hand-edited fixture fails.
"""

import hashlib
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

from claims.anchoring import CONTEXT_CHARS
from claims.models import (
    Assessment,
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import DatePrecision, validate_precise_date
from sources.models import Source

SEEDS_DIR = settings.BASE_DIR.parent / "shared" / "seeds"
SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seed(db):
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)


def seed_files():
    return sorted(SEEDS_DIR.glob("*.txt"))


def provenance_rows():
    """The rows of the table in PROVENANCE.md: file, outlet, URL, published."""
    rows = []
    for line in (SEEDS_DIR / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].endswith(".txt"):
            rows.append(dict(zip(("file", "outlet", "url", "published"), cells, strict=True)))
    return rows


def source_for(path):
    return Source.objects.get(body_sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def statistic_pair(first, second):
    """The statistics with these two values that share a metric."""
    for a in Statistic.objects.filter(value=Decimal(first)):
        b = Statistic.objects.filter(metric=a.metric, value=Decimal(second)).first()
        if b is not None:
            return a, b
    pytest.fail(f"No metric has both {first} and {second}")


def test_the_seed_has_exactly_five_sources_one_per_seed_file():
    assert len(seed_files()) == 5
    assert Source.objects.count() == 5
    assert {source_for(path).pk for path in seed_files()} == set(
        Source.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("name", [path.name for path in sorted(SEEDS_DIR.glob("*.txt"))])
def test_each_source_body_is_byte_identical_to_its_seed_file(name):
    path = SEEDS_DIR / name
    source = source_for(path)
    assert source.body.encode("utf-8") == path.read_bytes()
    assert source.body_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sources_carry_the_outlet_url_and_date_given_in_provenance():
    rows = provenance_rows()
    assert len(rows) == 5
    for row in rows:
        source = source_for(SEEDS_DIR / row["file"])
        if row["outlet"].startswith("not established"):
            assert source.outlet is None
        else:
            assert source.outlet is not None
            assert source.outlet.name == re.sub(r"\s*\(.*\)$", "", row["outlet"])
        assert source.url == ("" if row["url"] == "unknown" else row["url"])
        day = re.match(r"(\d{4}-\d{2}-\d{2})", row["published"])
        if day:
            assert source.published_on.isoformat() == day.group(1)
            assert source.published_precision == DatePrecision.DAY
        else:
            assert row["published"].startswith("unknown")
            assert source.published_on is None
            assert source.published_precision == DatePrecision.UNKNOWN
            known = re.search(r"\((.*)\)", row["published"]).group(1)
            assert known in source.date_note


def test_source_dates_and_claim_dates_agree_with_their_precision():
    for source in Source.objects.all():
        validate_precise_date(
            source.published_on, source.published_precision, "published_on", "precision"
        )
    for claim in Claim.objects.all():
        validate_precise_date(claim.claimed_on, claim.claimed_precision, "claimed_on", "precision")
        if claim.claimed_precision == DatePrecision.UNKNOWN:
            assert claim.date_note, f"claim {claim.pk} has an unknown date and no note"


def test_the_seed_meets_the_minimum_counts():
    assert Party.objects.count() >= 12
    assert Claim.objects.count() >= 50
    assert Citation.objects.count() >= 55
    assert Statistic.objects.count() >= 15
    assert Metric.objects.filter(statistics__isnull=False).distinct().count() >= 8


def test_every_citation_quote_is_the_exact_passage_of_its_source_body():
    citations = list(Citation.objects.select_related("source"))
    assert citations
    for citation in citations:
        body = citation.source.body
        assert citation.quote
        assert not citation.needs_review
        assert body[citation.start : citation.end] == citation.quote, citation.pk


def test_every_citation_prefix_and_suffix_are_the_text_around_its_quote():
    for citation in Citation.objects.select_related("source"):
        body, start, end = citation.source.body, citation.start, citation.end
        assert citation.prefix == body[max(0, start - CONTEXT_CHARS) : start], citation.pk
        assert citation.suffix == body[end : end + CONTEXT_CHARS], citation.pk


def test_every_claim_has_at_least_one_citation():
    uncited = Claim.objects.annotate(n=Count("citations")).filter(n=0)
    assert list(uncited.values_list("pk", flat=True)) == []


def test_every_claim_speaker_belongs_to_the_claiming_party():
    for claim in Claim.objects.exclude(speaker=None).select_related("speaker"):
        assert claim.speaker.affiliation_id == claim.party_id, claim.pk


def test_every_named_person_is_affiliated_with_an_organisation():
    for person in Party.objects.filter(kind=Party.Kind.INDIVIDUAL):
        assert person.affiliation is not None, person.name
        assert person.role, person.name


@pytest.mark.parametrize(
    ("pattern", "min_sources"),
    [
        (r"deeply flawed, biased and politici[sz]ed process", 3),
        (r"scapegoat", 2),
        (r"1,000 arrests", 2),
        (r"nearly 1,000 offline manufacturing", 2),
        (r"not actually interested in seeing tangible results", 3),
    ],
)
def test_the_same_statement_reported_by_several_sources_is_one_claim(pattern, min_sources):
    citations = [c for c in Citation.objects.all() if re.search(pattern, c.quote)]
    assert {c.claim_id for c in citations} and len({c.claim_id for c in citations}) == 1
    assert len({c.source_id for c in citations}) >= min_sources


def test_evans_statement_is_attributed_to_alibaba_with_evans_as_speaker():
    citation = Citation.objects.filter(quote__contains="deeply flawed").first()
    assert citation is not None
    assert citation.claim.party.name == "Alibaba Group"
    assert citation.claim.speaker.name == "Michael Evans"


@pytest.mark.parametrize(
    ("first", "second", "metric_words"),
    [("-25", "-42", "takedown requests"), ("97", "95", "24 hours")],
)
def test_conflicting_takedown_figures_are_a_discrepancy_or_carry_a_scope_note(
    first, second, metric_words
):
    a, b = statistic_pair(first, second)
    assert metric_words in a.metric.name.lower()
    same_known_period = a.same_period_as(b)
    explained = bool(a.scope_note.strip() or b.scope_note.strip())
    assert same_known_period or explained


def test_figures_without_a_stated_period_have_none():
    for value in ("-25", "97"):
        statistic = Statistic.objects.get(value=Decimal(value), metric__name__icontains="takedown")
        assert statistic.period_start is None and statistic.period_end is None
        assert statistic.period_label == ""


def test_no_statistic_has_a_period_its_sources_do_not_state():
    dated = Statistic.objects.filter(Q(period_start__isnull=False) | Q(period_end__isnull=False))
    assert dated.exists()
    for statistic in dated:
        assert statistic.has_known_period, statistic.pk
        assert statistic.period_start <= statistic.period_end
        year = str(statistic.period_start.year)
        assert year in statistic.period_label, statistic.pk
        bodies = [c.source.body for c in statistic.claim.citations.select_related("source")]
        assert any(year in body for body in bodies), statistic.pk


def test_statistics_use_their_metric_unit_and_money_has_a_currency():
    for statistic in Statistic.objects.select_related("metric"):
        assert statistic.unit == statistic.metric.unit, statistic.pk
        is_money = statistic.unit == Metric.Unit.CURRENCY
        assert bool(statistic.currency) == is_money, statistic.pk


def test_takedown_figures_carry_the_other_coverage_periods_in_scope_notes():
    quarter, forty_two = statistic_pair("-25", "-42")
    assert "September 2016" in quarter.scope_note
    assert "not in this database" in quarter.scope_note
    assert "calendar 2017" in forty_two.scope_note
    assert forty_two.period_label == "2017"


@pytest.mark.parametrize(
    ("passage", "claimed_on", "precision"),
    [
        ("fake products today", "2016-06-01", DatePrecision.MONTH),
        ("took down 380 million product listings", "2016-10-01", DatePrecision.MONTH),
        ("In a report issued last year", "2017-01-01", DatePrecision.YEAR),
        ("The action is well deserved.", "2017-03-09", DatePrecision.DAY),
        ("The number of takedown requests declined by 25%", None, DatePrecision.UNKNOWN),
    ],
)
def test_claims_are_dated_only_as_precisely_as_the_text_allows(passage, claimed_on, precision):
    claim = Citation.objects.get(quote__contains=passage).claim
    assert claim.claimed_precision == precision
    assert (claim.claimed_on.isoformat() if claim.claimed_on else None) == claimed_on


def test_there_are_at_least_three_disputes_each_with_two_sides_and_ordered_points():
    disputes = Dispute.objects.all()
    assert disputes.count() >= 3
    for dispute in disputes:
        assert dispute.summary
        assert dispute.sides.count() >= 2
        points = list(dispute.points.all())
        assert len(points) >= 2
        orders = [point.order for point in points]
        assert orders == sorted(orders) and len(set(orders)) == len(orders)
        for point in points:
            assert point.placements.exists(), point.question


def test_claims_sit_under_the_side_of_their_own_party():
    placements = PointClaim.objects.select_related("point", "side", "claim__party")
    assert placements.exists()
    for placement in placements:
        assert placement.side.dispute_id == placement.point.dispute_id
        claim = placement.claim
        assert placement.side.party_id in {claim.party_id, claim.party.affiliation_id}, claim.pk


def test_each_point_where_two_sides_meet_has_a_relation_between_them():
    for dispute in Dispute.objects.all():
        for point in dispute.points.all():
            by_side = {}
            for placement in point.placements.all():
                by_side.setdefault(placement.side_id, set()).add(placement.claim_id)
            if len(by_side) < 2:
                continue
            on_point = set().union(*by_side.values())
            side_of = {claim: side for side, claims in by_side.items() for claim in claims}
            related = ClaimRelation.objects.filter(from_claim__in=on_point, to_claim__in=on_point)
            assert any(side_of[r.from_claim_id] != side_of[r.to_claim_id] for r in related), (
                point.question
            )


def test_the_conflicting_takedown_claims_are_related_as_contradicting():
    for first, second in (("-25", "-42"), ("97", "95")):
        a, b = statistic_pair(first, second)
        assert ClaimRelation.objects.filter(
            Q(from_claim=a.claim, to_claim=b.claim) | Q(from_claim=b.claim, to_claim=a.claim),
            kind=ClaimRelation.Kind.CONTRADICTS,
        ).exists()


def test_no_editor_assessments_are_seeded():
    assert Assessment.objects.count() == 0
