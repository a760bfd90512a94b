"""The seed corpus (fixtures/corpus/): five verbatim sources, their claims, honest figures.

Every test loads the corpus with `manage.py seed --force`, as the `seeded` fixture does, and
checks the database against the corpus files themselves, so a wrong or hand-edited file, or
a loader that drops or rewrites something, fails.
"""

import hashlib
import re
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q

from claims.anchoring import CONTEXT_CHARS
from claims.corpus import CorpusError, corpus_directory, load_corpus, read_corpus
from claims.corpus.loading import MODELS as CORPUS_MODELS
from claims.history import HISTORY_MODELS
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
from claims.verdicts import Reading, Verdict, verdict
from sources.dates import DatePrecision
from sources.models import Source

CORPUS = corpus_directory()
# The models the corpus holds, as the loader lists them.
MODELS = {model.__name__: model for model in CORPUS_MODELS}
# Pinned, so that an object dropped from the files (and so from the computed counts) fails.
EXPECTED_COUNTS = {
    "Outlet": 3,
    "Source": 5,
    "Party": 16,
    "Metric": 26,
    "Claim": 112,
    "Citation": 137,
    "Statistic": 33,
    "ClaimRelation": 46,
    "Dispute": 3,
    "DisputeSide": 8,
    "DisputePoint": 12,
    "PointClaim": 68,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus_loaded(django_db_setup, django_db_blocker):
    """The corpus loaded once for the module, as `manage.py seed --force` loads it, inside a
    transaction rolled back when the module ends; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", "--force", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def seed(corpus_loaded, db):
    """Every test starts from the loaded corpus; what it changes is rolled back after it."""


def source_tomls():
    return {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CORPUS / "sources").glob("*.toml"))
    }


def source_for(key):
    return Source.objects.get(slug=source_tomls()[key]["source"]["slug"])


def snapshot():
    """Every row of every seeded model and every history table, as plain values."""
    rows = {name: list(model.objects.order_by("pk").values()) for name, model in MODELS.items()}
    for model in HISTORY_MODELS:
        rows[f"history of {model.__name__}"] = list(model.history.order_by("history_id").values())
    return rows


def copy_of_corpus(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def statistic_pair(first, second):
    """The statistics with these two values whose metrics are about the same figure."""
    for a in Statistic.objects.filter(value=Decimal(first)):
        b = Statistic.objects.filter(metric=a.metric, value=Decimal(second)).first()
        if b is not None:
            return a, b
    pytest.fail(f"No metric has both {first} and {second}")


# -- the files and the database agree ------------------------------------------------------


def test_the_corpus_has_five_sources_each_a_text_and_a_toml_named_by_its_key():
    keys = sorted(path.stem for path in (CORPUS / "sources").glob("*.txt"))
    assert keys == ["000", "001", "002", "003", "004"]
    assert sorted(source_tomls()) == keys
    assert Source.objects.count() == 5


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_each_source_body_is_byte_identical_to_its_corpus_text(key):
    path = CORPUS / "sources" / f"{key}.txt"
    source = source_for(key)
    assert source.body.encode("utf-8") == path.read_bytes()
    assert source.body_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_citation_quote_is_the_exact_passage_at_its_offsets():
    citations = list(Citation.objects.select_related("source"))
    assert citations
    for citation in citations:
        body, start, end = citation.source.body, citation.start, citation.end
        assert citation.quote and not citation.needs_review, citation.pk
        assert body[start:end] == citation.quote, citation.pk
        assert citation.prefix == body[max(0, start - CONTEXT_CHARS) : start], citation.pk
        assert citation.suffix == body[end : end + CONTEXT_CHARS], citation.pk


def test_every_quote_in_the_files_is_stored_under_its_own_id_claim_and_source():
    for key, data in source_tomls().items():
        for claim in data.get("claims", []):
            for cite in claim["citations"]:
                citation = Citation.objects.select_related("source").get(pk=cite["id"])
                assert citation.claim_id == claim["id"]
                assert citation.quote == cite["quote"]
                assert citation.source == source_for(cite.get("source", key))


def test_the_database_holds_as_many_objects_of_each_model_as_the_files_declare():
    declared = read_corpus(directory=CORPUS).counts()
    assert declared == {name: model.objects.count() for name, model in MODELS.items()}
    assert declared == EXPECTED_COUNTS


def test_sources_carry_the_url_date_and_outlet_of_their_toml():
    for key, data in source_tomls().items():
        row, source = data["source"], source_for(key)
        assert source.title == row["title"]
        assert source.url == row.get("url", "")
        assert source.author == row.get("author", "")
        assert source.kind == row["kind"]
        assert source.date_note == row.get("date_note", "")
        assert (source.outlet.slug if source.outlet else None) == row.get("outlet")
        assert row["provenance"]
        published = row.get("published")
        if published is None:
            assert source.published_on is None
            assert source.published_precision == DatePrecision.UNKNOWN
            assert source.date_note
        else:
            assert source.published_on.isoformat().startswith(published)
            assert source.published_precision == {10: "day", 7: "month", 4: "year"}[len(published)]


def test_sources_carry_the_outlet_url_and_date_that_provenance_gives():
    expected = {
        "000": (None, "", None),
        "001": ("Securing Industry", "a6673", None),
        "002": ("The Drum", "2018/01/15", "2018-01-15"),
        "003": ("The Counterfeit Report", "id=634", "2017-03-09"),
        "004": ("Securing Industry", "a7670", None),
    }
    for key, (outlet, in_url, published) in expected.items():
        source = source_for(key)
        assert (source.outlet.name if source.outlet else None) == outlet
        assert in_url in source.url
        assert (source.published_on.isoformat() if source.published_on else None) == published
    assert "January 2018 at the earliest" in source_for("000").date_note
    assert "January 2018 by its content" in source_for("001").date_note
    assert "IPR Protection Summit in Seattle" in source_for("004").date_note


@pytest.mark.parametrize(
    ("claim_id", "passage"),
    [
        (1, "because they included Alibaba’s Taobao marketplace on the list"),
        (13, "not actually interested in seeing tangible results"),
        (44, "a decline in the number of takedown requests"),
        (68, "likely the greatest proliferator of fake goods"),
        (73, "fake products today"),
        (85, "is not evidence of insincerity"),
        (107, "Alibaba has become a very important partner to us."),
    ],
)
def test_the_permalinks_of_sample_claims_are_unchanged(client, claim_id, passage):
    claim = Claim.objects.get(pk=claim_id)
    citations = list(claim.citations.all())
    assert any(passage in citation.quote for citation in citations)
    assert claim.get_absolute_url().startswith(f"/claims/{claim_id}/")
    response = client.get(f"/claims/{claim_id}/", follow=True)
    assert response.status_code == 200
    for citation in citations:
        assert citation.get_absolute_url().endswith(f"#citation-{citation.pk}")


def test_new_objects_get_ids_after_the_seeded_ones():
    party = Party.objects.get(slug="ustr")
    claim = Claim.objects.create(party=party, summary="A claim made after the seed")
    assert claim.pk > max(c["id"] for c in read_corpus(directory=CORPUS).claims)


# -- loading is idempotent, all or nothing, and names what is wrong --------------------------


def test_rerunning_the_seed_command_changes_nothing():
    before = snapshot()
    call_command("seed", "--force", verbosity=0)
    report = load_corpus(directory=CORPUS)
    assert not report.changed
    assert sum(report.history_started.values()) == 0
    assert snapshot() == before


def test_the_command_leaves_a_database_with_sources_alone_without_force(capsys):
    Source.objects.filter(slug=source_for("000").slug).update(title="Edited by an analyst")
    call_command("seed")
    assert "already present" in capsys.readouterr().out
    assert source_for("000").title == "Edited by an analyst"
    call_command("seed", "--force", verbosity=0)
    assert source_for("000").title == source_tomls()["000"]["source"]["title"]


def test_a_changed_field_is_updated_with_a_history_record_and_nothing_else(tmp_path):
    corpus = copy_of_corpus(tmp_path)
    claim = Claim.objects.get(pk=4)
    edit(corpus / "sources" / "000.toml", f'summary = "{claim.summary}"', 'summary = "Edited"')
    records = claim.history.count()
    report = load_corpus(directory=corpus)
    assert report.updated["Claim"] == 1
    assert sum(report.updated.values()) == 1 and sum(report.created.values()) == 0
    claim.refresh_from_db()
    assert claim.summary == "Edited"
    assert claim.history.count() == records + 1


def test_a_quote_not_in_its_text_is_refused_naming_the_file_and_claim(tmp_path):
    corpus = copy_of_corpus(tmp_path)
    edit(
        corpus / "sources" / "001.toml",
        "called the relisting political point scoring",
        "called the relisting pure political point scoring",
    )
    before = snapshot()
    with pytest.raises(CorpusError) as refused:
        load_corpus(directory=corpus)
    message = str(refused.value)
    assert "sources/001.toml" in message
    assert re.search(r"claim \d+, citation \d+", message)
    assert "not verbatim" in message
    assert snapshot() == before


def test_the_command_reports_a_refused_corpus_as_an_error(tmp_path, settings):
    shutil.copytree(CORPUS, tmp_path / "fixtures" / "corpus")
    settings.BASE_DIR = tmp_path
    edit(
        tmp_path / "fixtures" / "corpus" / "sources" / "003.toml",
        "The action is well deserved.",
        "The action is richly deserved.",
    )
    with pytest.raises(CommandError, match=r"sources/003\.toml: claim \d+"):
        call_command("seed", "--force", verbosity=0)


def test_a_value_a_model_refuses_midway_rolls_back_everything_loaded_before_it(tmp_path):
    corpus = copy_of_corpus(tmp_path)
    title = source_tomls()["000"]["source"]["title"]
    edit(corpus / "sources" / "000.toml", f'title = "{title}"', 'title = "Changed first"')
    claim = Claim.objects.get(pk=107)
    edit(
        corpus / "sources" / "004.toml", f'summary = "{claim.summary}"', f'summary = "{"x" * 301}"'
    )
    before = snapshot()
    with pytest.raises(CorpusError, match=r"sources/004\.toml: claim 107: summary"):
        load_corpus(directory=corpus)
    assert snapshot() == before
    assert source_for("000").title == title


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "sources/000.toml",
            'party = "ustr"',
            'party = "nobody"',
            r"claim 1: unknown party “nobody”",
        ),
        (
            "sources/002.toml",
            "[[claims]]\nid = ",
            "[[claims]]\nid = 1\nold_id = ",
            r"unknown field",
        ),
        ("parties.toml", 'affiliation = "ustr"', 'affiliation = "usrt"', r"unknown affiliation"),
        (
            "sources/003.toml",
            'published = "2017-03-09"',
            'published = "9 March 2017"',
            r"not a date",
        ),
        ("sources/003.toml", 'published = "2017-03-09"', 'published = "2017-02-30"', r"not a date"),
        (
            "relations.toml",
            "[[relations]]\nfrom = ",
            "[[relations]]\nfrom = 9999\nx = ",
            r"unknown field",
        ),
        ("metrics.toml", 'unit = "percent"', 'unit = "per cent"', r"unit “per cent”"),
    ],
)
def test_a_wrong_corpus_file_is_refused_with_the_file_and_item_named(
    tmp_path, file, old, new, message
):
    corpus = copy_of_corpus(tmp_path)
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as refused:
        read_corpus(directory=corpus)
    assert str(refused.value).startswith(file)


def test_a_duplicate_claim_id_and_a_missing_field_are_refused(tmp_path):
    corpus = copy_of_corpus(tmp_path)
    first = tomllib.loads((corpus / "sources" / "000.toml").read_text(encoding="utf-8"))
    taken = first["claims"][0]["id"]
    path = corpus / "sources" / "004.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    own = data["claims"][0]["id"]
    edit(path, f"[[claims]]\nid = {own}\n", f"[[claims]]\nid = {taken}\n")
    with pytest.raises(CorpusError, match=rf"sources/004\.toml: claim {taken}: duplicate claim id"):
        read_corpus(directory=corpus)
    edit(path, f"[[claims]]\nid = {taken}\n", f"[[claims]]\nid = {own}\n")
    edit(path, 'kind = "article"\n', "")
    with pytest.raises(CorpusError, match=r"sources/004\.toml: \[source\]: missing field “kind”"):
        read_corpus(directory=corpus)


def test_evans_statement_is_attributed_to_alibaba_with_evans_as_speaker():
    citation = Citation.objects.filter(quote__contains="deeply flawed").first()
    assert citation is not None
    assert citation.claim.party.slug == "alibaba-group"
    assert citation.claim.speaker.slug == "michael-evans"


@pytest.mark.parametrize(
    ("first", "second", "metric_words"),
    [("-25", "-42", "takedown requests"), ("97", "95", "24 hours")],
)
def test_differing_takedown_figures_are_periods_not_stated_not_a_conflict(
    first, second, metric_words
):
    a, b = statistic_pair(first, second)
    assert metric_words in a.metric.name.lower()
    found = verdict(Reading.of(a), Reading.of(b))
    assert found == Verdict.PERIOD_UNKNOWN
    assert not found.is_conflict


def test_figures_without_a_stated_period_have_none():
    for value in ("-25", "97"):
        statistic = Statistic.objects.get(value=Decimal(value), metric__name__icontains="takedown")
        assert statistic.period_start is None and statistic.period_end is None
        assert statistic.period_label == ""


def test_no_statistic_has_a_period_its_sources_do_not_state():
    dated = Statistic.objects.filter(Q(period_start__isnull=False) | Q(period_end__isnull=False))
    assert dated.exists()
    for statistic in dated:
        assert statistic.period is not None and statistic.period.is_dated, statistic.pk
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


def test_no_fact_from_coverage_outside_the_corpus_is_recorded():
    outside = ("other coverage", "September 2016", "calendar 2017", "annual report")
    texts = [
        *Statistic.objects.values_list("scope_note", flat=True),
        *ClaimRelation.objects.values_list("note", flat=True),
        *Claim.objects.values_list("summary", flat=True),
        *Claim.objects.values_list("date_note", flat=True),
        *Metric.objects.values_list("definition", flat=True),
    ]
    for text in texts:
        for phrase in outside:
            assert phrase.lower() not in text.lower(), text
    for path in CORPUS.rglob("*.toml"):
        body = path.read_text(encoding="utf-8").lower()
        assert not any(phrase.lower() in body for phrase in outside), path.name


def test_takedown_figures_without_a_period_in_their_text_say_so():
    for value in ("-25", "97"):
        statistic = Statistic.objects.get(value=Decimal(value), metric__name__icontains="takedown")
        assert "not stated in this text" in statistic.scope_note
    forty_two = Statistic.objects.get(value=Decimal("-42"), metric__slug="takedown-requests-change")
    assert forty_two.period_label == "2017"
    assert "fall in 2017" in forty_two.scope_note


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


def test_differing_takedown_figures_are_related_but_not_as_contradicting():
    # One figure of each pair has no period in its text: the texts do not show a conflict.
    for first, second in (("-25", "-42"), ("97", "95")):
        a, b = statistic_pair(first, second)
        assert not verdict(Reading.of(a), Reading.of(b)).is_conflict
        between = ClaimRelation.objects.filter(
            Q(from_claim=a.claim, to_claim=b.claim) | Q(from_claim=b.claim, to_claim=a.claim)
        )
        assert [r.kind for r in between] == [ClaimRelation.Kind.QUALIFIES]
        assert "states no period" in between[0].note


def test_a_claim_contradicts_a_figure_only_for_the_same_stated_period():
    for relation in ClaimRelation.objects.filter(kind=ClaimRelation.Kind.CONTRADICTS):
        for a in relation.from_claim.statistics.all():
            for b in relation.to_claim.statistics.filter(metric=a.metric_id):
                assert a.period is not None and a.period == b.period, relation


def test_no_claim_rebuts_a_claim_made_after_it():
    rebuttals = ClaimRelation.objects.filter(kind=ClaimRelation.Kind.REBUTS)
    for relation in rebuttals.select_related("from_claim", "to_claim"):
        made, answered = relation.from_claim.claimed_on, relation.to_claim.claimed_on
        if made and answered:
            assert made >= answered, relation
    # Evans's post, quoted by the press release, came before it: it cannot rebut it.
    assert not rebuttals.filter(from_claim=85, to_claim=68).exists()
    assert rebuttals.filter(from_claim=87, to_claim=85).exists()


def test_supports_are_only_where_a_text_ties_the_two_claims():
    dropped = [(21, 68), (40, 33), (92, 39)]
    for a, b in dropped:
        assert not ClaimRelation.objects.filter(from_claim=a, to_claim=b).exists()
    for a, b in [(33, 52), (34, 52)]:
        assert ClaimRelation.objects.get(from_claim=a, to_claim=b).kind == "qualifies"


@pytest.mark.parametrize("hedge", ["reportedly", "alleged", "nearly", "may take weeks", "so far"])
def test_summaries_keep_the_hedges_of_their_quotes(hedge):
    for claim in Claim.objects.prefetch_related("citations"):
        if any(hedge in citation.quote for citation in claim.citations.all()):
            assert hedge in claim.summary, claim.pk


@pytest.mark.parametrize(
    ("claim_id", "words"),
    [(37, "appear"), (44, "perhaps indicative"), (49, "suggests"), (11, "over 1,000")],
)
def test_summaries_keep_other_qualifiers_of_their_text(claim_id, words):
    assert words in Claim.objects.get(pk=claim_id).summary


@pytest.mark.parametrize("claim_id", [35, 36, 39, 111])
def test_a_word_lost_in_the_scraped_text_is_noted_not_filled_in(claim_id):
    claim = Claim.objects.get(pk=claim_id)
    assert "Taobao" not in claim.summary
    assert "missing in the scraped text" in claim.date_note


def test_figures_that_count_different_things_are_different_metrics():
    locations = Statistic.objects.get(
        value=Decimal("1000"), metric__unit="count", qualifier="nearly"
    )
    facilities = Statistic.objects.get(value=Decimal("1328"))
    assert locations.metric_id != facilities.metric_id
    assert "locations" in locations.metric.name and "Facilities" in facilities.metric.name
    arrests = Statistic.objects.get(value=Decimal("1000"), qualifier="over")
    assert arrests.period_label == "so far" and arrests.period_start is None


@pytest.mark.parametrize(
    ("claim_id", "party", "speaker", "passage"),
    [
        (108, "uk-ecommerce-blog", None, "who are alleged to purposefully and routinely"),
        (109, "securing-industry", None, "joint, anonymous purchases of branded goods"),
        (110, "the-counterfeit-report", None, "Alibaba (BABA), eBay (EBAY), Amazon (AMZN)"),
        (111, "ustr", None, "call in the 2016 List for to expand its Good Faith"),
        (112, "alibaba-group", None, "In an 11-page point-by-point rebuttal"),
    ],
)
def test_the_claims_added_by_the_fact_check_are_attributed_as_the_text_does(
    claim_id, party, speaker, passage
):
    claim = Claim.objects.get(pk=claim_id)
    assert claim.party.slug == party
    assert (claim.speaker.slug if claim.speaker else None) == speaker
    assert any(passage in citation.quote for citation in claim.citations.all())


def test_the_tripling_of_the_alliance_is_a_figure_and_new_claims_sit_on_their_points():
    tripling = Statistic.objects.get(claim=100, metric__slug="aaca-size-multiple")
    assert tripling.value == 3 and tripling.unit == Metric.Unit.MULTIPLIER
    assert PointClaim.objects.filter(claim=111, point=4, side__party__slug="ustr").exists()
    assert PointClaim.objects.filter(claim=112, point=5, side__party__slug="alibaba-group").exists()


def test_no_editor_assessments_are_seeded():
    assert Assessment.objects.count() == 0
