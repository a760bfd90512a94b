"""Dispute bundles: a dispute exported from one installation and imported into another
comes back whole, importing twice changes nothing, and a bundle that is wrong is refused
with a message naming what is wrong, importing nothing."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from claims.bundles.export import build_bundle
from claims.bundles.importer import import_bundle
from claims.bundles.schema import FORMAT, VERSION, BundleError, load_bundle
from claims.history import HISTORY_MODELS
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
    PointClaim,
    Statistic,
)
from sources.models import Outlet, Source
from tests.factories import (
    make_claim,
    make_dispute,
    make_metric,
    make_outlet,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db

SEED_DISPUTE = "taobao-notorious-markets-listing"
MODELS = [
    Outlet,
    Source,
    Party,
    Metric,
    Claim,
    Citation,
    Statistic,
    ClaimRelation,
    Assessment,
    Dispute,
    DisputeSide,
    DisputePoint,
    PointClaim,
]
HISTORIES = [model.history.model for model in HISTORY_MODELS]


def wipe() -> None:
    """Empty every table a bundle touches, history included: an installation with nothing."""
    for model in (PointClaim, DisputePoint, DisputeSide, Dispute, ClaimRelation, Assessment):
        model.objects.all().delete()
    for model in (Statistic, Citation, Claim):
        model.objects.all().delete()
    Party.objects.update(affiliation=None)
    for model in (Party, Metric, Source, Outlet, *HISTORIES):
        model._default_manager.all().delete()


def every_row() -> dict[str, list[dict]]:
    """Every row of every table a bundle touches, history tables too, with every value."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in (*MODELS, *HISTORIES)
    }


def counts() -> dict[str, int]:
    return {label: len(rows) for label, rows in every_row().items()}


def claim_view(claim: Claim) -> tuple:
    citations = [
        (c.source.slug, c.quote, c.start, c.end, c.prefix, c.suffix, c.needs_review)
        for c in claim.citations.all()
    ]
    statistics = [
        (
            s.metric.slug,
            s.value,
            s.unit,
            s.currency,
            s.qualifier,
            s.period_label,
            s.period_start,
            s.period_end,
            s.scope_note,
        )
        for s in claim.statistics.all()
    ]
    return (
        claim.party.slug,
        claim.speaker.slug if claim.speaker else None,
        claim.summary,
        claim.kind,
        claim.claimed_on,
        claim.claimed_precision,
        claim.date_note,
        tuple(sorted(citations, key=repr)),
        tuple(sorted(statistics, key=repr)),
    )


def picture(slug: str) -> dict:
    """The dispute and all it relies on in natural terms only (no database ids), read from
    the ORM independently of the exporter."""
    dispute = Dispute.objects.get(slug=slug)
    placements = PointClaim.objects.filter(point__dispute=dispute)
    claims = {p.claim for p in placements}
    parties = {c.party for c in claims} | {c.speaker for c in claims if c.speaker}
    parties |= {s.party for s in dispute.sides.all()}
    while missing := {p.affiliation for p in parties if p.affiliation} - parties:
        parties |= missing
    sources = {c.source for claim in claims for c in claim.citations.all()}
    metrics = {s.metric for claim in claims for s in claim.statistics.all()}
    relations = ClaimRelation.objects.filter(from_claim__in=claims, to_claim__in=claims)
    return {
        "dispute": (dispute.title, dispute.summary),
        "sides": [(s.party.slug, s.label, s.stance, s.order) for s in dispute.sides.all()],
        "points": [
            (
                point.question,
                point.summary,
                point.order,
                sorted(
                    (
                        (p.side.party.slug, p.order, claim_view(p.claim))
                        for p in point.placements.all()
                    ),
                    key=repr,
                ),
            )
            for point in dispute.points.order_by("order", "pk")
        ],
        "relations": sorted(
            ((claim_view(r.from_claim), r.kind, r.note, claim_view(r.to_claim)) for r in relations),
            key=repr,
        ),
        "sources": {
            s.slug: (
                s.title,
                (s.outlet.slug, s.outlet.name, s.outlet.homepage, s.outlet.description)
                if s.outlet
                else None,
                s.author,
                s.kind,
                s.published_on,
                s.published_precision,
                s.date_note,
                s.url,
                s.body.encode("utf-8"),  # byte for byte
                s.body_sha256,
            )
            for s in sources
        },
        "parties": {
            p.slug: (
                p.name,
                p.kind,
                p.affiliation.slug if p.affiliation else None,
                p.role,
                p.description,
                p.url,
            )
            for p in parties
        },
        "metrics": {m.slug: (m.name, m.definition, m.unit) for m in metrics},
    }


def export_text(slug: str) -> str:
    out = io.StringIO()
    call_command("export_dispute", slug, stdout=out)
    return out.getvalue()


def import_file(tmp_path, bundle: dict | str) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(bundle if isinstance(bundle, str) else json.dumps(bundle), encoding="utf-8")
    out = io.StringIO()
    call_command("import_dispute", str(path), stdout=out)
    return out.getvalue()


def small_dispute() -> Dispute:
    """Two sides, two claims (one with a figure, one said by a person of a third party),
    a relation between them, one outlet and source."""
    agency = make_party(name="Trade Office", slug="trade-office", kind=Party.Kind.GOVERNMENT_AGENCY)
    company = make_party(name="Market Co", slug="market-co")
    holding = make_party(name="Holding Group", slug="holding-group")
    spokesman = make_party(
        name="Jo Speaker", slug="jo-speaker", kind=Party.Kind.INDIVIDUAL, affiliation=holding
    )
    source = make_source(outlet=make_outlet(slug="daily", name="The Daily"), slug="story")
    dispute = make_dispute(parties=(agency, company), slug="market-listing")
    denial = make_claim(
        party=company, speaker=spokesman, source=source, quote="We reject the listing entirely"
    )
    charge = make_claim(party=agency, source=source, quote="the market was notorious")
    make_statistic(
        claim=charge,
        metric=make_metric(slug="takedowns"),
        value=Decimal("-25.5"),
        period_label="last year",
    )
    ClaimRelation.objects.create(from_claim=denial, to_claim=charge, kind="rebuts", note="Flat.")
    place_claim(denial, dispute)
    place_claim(charge, dispute)
    return dispute


def test_the_seeded_dispute_exported_and_imported_into_an_empty_database_comes_back_whole(
    seeded, tmp_path
):
    before = picture(SEED_DISPUTE)
    assert before["points"] and before["relations"] and before["sources"]
    text = export_text(SEED_DISPUTE)
    wipe()
    assert sum(counts().values()) == 0

    output = import_file(tmp_path, text)

    assert picture(SEED_DISPUTE) == before
    exported = json.loads(text)
    assert f"claims: {len(exported['claims'])} created, 0 reused" in output
    assert f"sources: {len(exported['sources'])} created, 0 reused" in output
    assert Dispute.objects.count() == 1  # the one dispute, not the other seeded ones
    assert Claim.objects.count() == len(exported["claims"])


def test_importing_the_same_bundle_twice_changes_nothing(seeded, tmp_path):
    text = export_text(SEED_DISPUTE)
    wipe()
    import_file(tmp_path, text)
    rows = every_row()

    output = import_file(tmp_path, text)

    assert every_row() == rows  # same rows, same values, no new history records
    assert " 0 created" in output and "created" in output
    assert all(" 0 created" in line for line in output.splitlines()[1:])


def test_importing_a_bundle_into_the_installation_it_came_from_changes_nothing():
    dispute = small_dispute()
    rows = every_row()
    result = import_bundle(bundle=build_bundle(dispute=dispute))
    assert every_row() == rows
    assert not result.tally.created
    assert result.tally.reused["claims"] == 2


def test_the_bundle_names_records_by_natural_key_and_keeps_each_claims_origin():
    dispute = small_dispute()
    bundle = build_bundle(dispute=dispute)
    assert (bundle["format"], bundle["version"]) == (FORMAT, VERSION)
    denial = Claim.objects.get(party__slug="market-co")
    exported = next(c for c in bundle["claims"] if c["party"] == "market-co")
    assert exported["origin"]["id"] == denial.pk
    assert exported["origin"]["permalink"].endswith(denial.get_absolute_url())
    assert exported["speaker"] == "jo-speaker"
    # The speaker's organisation has no side, yet comes along as the speaker's affiliation.
    assert {p["slug"] for p in bundle["parties"]} >= {"jo-speaker", "holding-group"}
    assert bundle["relations"] == [
        {
            "from": exported["key"],
            "to": "c2" if exported["key"] == "c1" else "c1",
            "kind": "rebuts",
            "note": "Flat.",
        }
    ]
    (source,) = bundle["sources"]
    assert (source["slug"], source["outlet"]) == ("story", "daily")
    citation = exported["citations"][0]
    assert source["body"][citation["start"] : citation["end"]] == citation["quote"]
    without_origins = copy.deepcopy(bundle)
    for claim in without_origins["claims"]:
        del claim["origin"]
    assert f'"id": {denial.pk}' not in json.dumps(without_origins)
    assert '"pk"' not in json.dumps(without_origins)


def test_a_bundle_whose_quote_is_not_in_its_source_is_refused_naming_claim_and_source(tmp_path):
    bundle = build_bundle(dispute=small_dispute())
    wipe()
    claim = bundle["claims"][0]
    claim["citations"][0]["quote"] = "We welcome the listing entirely"
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, bundle)
    message = str(refused.value)
    assert f"Claim “{claim['key']}”" in message
    assert "source “story”" in message and "not in its body" in message
    assert "nothing was imported" in message
    assert sum(counts().values()) == 0


def test_a_bundle_whose_body_does_not_match_its_hash_is_refused_and_imports_nothing(tmp_path):
    bundle = build_bundle(dispute=small_dispute())
    wipe()
    bundle["sources"][0]["body_sha256"] = "0" * 64
    with pytest.raises(CommandError, match="Source “story”: its body does not match its SHA-256"):
        import_file(tmp_path, bundle)
    assert sum(counts().values()) == 0


def test_a_bundle_whose_body_was_edited_without_its_hash_is_refused():
    dispute = small_dispute()
    bundle = build_bundle(dispute=dispute)
    bundle["sources"][0]["body"] = bundle["sources"][0]["body"].replace("fell 25%", "fell 5%")
    with pytest.raises(BundleError, match="its body does not match its SHA-256"):
        import_bundle(bundle=bundle)


def test_malformed_json_is_refused_saying_where_it_breaks(tmp_path):
    with pytest.raises(CommandError, match=r"not valid JSON: .* line 1, column \d+"):
        import_file(tmp_path, '{"format": "counterpoint-dispute-bundle", "version": 1,')
    with pytest.raises(BundleError, match="not UTF-8"):
        load_bundle(b"\xff\xfe{}")
    with pytest.raises(BundleError, match="not an object"):
        load_bundle("[1, 2]")


def test_an_unknown_version_or_format_is_refused_with_a_message(tmp_path):
    bundle = build_bundle(dispute=small_dispute())
    wipe()
    with pytest.raises(CommandError, match=r"Unsupported bundle version 2: .* version 1 only"):
        import_file(tmp_path, {**bundle, "version": 2})
    with pytest.raises(CommandError, match="Unknown format 'something-else'"):
        import_file(tmp_path, {**bundle, "format": "something-else"})
    assert sum(counts().values()) == 0


def test_a_bundle_referring_to_records_it_does_not_contain_is_refused_naming_them():
    bundle = build_bundle(dispute=small_dispute())
    bundle["parties"] = [p for p in bundle["parties"] if p["slug"] != "holding-group"]
    bundle["claims"][0]["statistics"] = [{"metric": "nowhere"}]
    with pytest.raises(BundleError) as refused:
        import_bundle(bundle=bundle)
    assert any("statistic #1 has no “value”" in p for p in refused.value.problems)
    del bundle["claims"][0]["statistics"]
    with pytest.raises(BundleError, match="has no “statistics”"):
        import_bundle(bundle=bundle)
    bundle = build_bundle(dispute=Dispute.objects.get())
    bundle["parties"] = [p for p in bundle["parties"] if p["slug"] != "holding-group"]
    bundle["relations"][0]["to"] = "c99"
    with pytest.raises(BundleError) as refused:
        import_bundle(bundle=bundle)
    assert refused.value.problems == [
        "Party “jo-speaker” refers to party “holding-group”, which is not in the bundle.",
        f"Relation {bundle['relations'][0]['from']} rebuts c99 refers to claim “c99”, "
        "which is not in the bundle.",
    ]


def test_a_same_url_source_and_same_slug_party_already_here_are_reused_not_duplicated():
    bundle = build_bundle(dispute=small_dispute())
    exported = bundle["sources"][0]
    wipe()
    # The target's copy of the article has a correction note on top: same URL, other body.
    here = make_source(
        url=exported["url"], slug="the-story", body="Correction appended. " + exported["body"]
    )
    company = make_party(slug="market-co", name="Market Company Ltd")

    result = import_bundle(bundle=bundle)

    assert Source.objects.get() == here
    assert Party.objects.get(slug="market-co") == company
    assert company.claims.get().summary == next(
        c["summary"] for c in bundle["claims"] if c["party"] == "market-co"
    )
    assert result.tally.reused["sources"] == 1 and result.tally.created["sources"] == 0
    assert result.tally.reused["parties"] == 1 and result.tally.created["parties"] == 3
    shift = len("Correction appended. ")
    for citation in Citation.objects.all():  # anchored in the target's text, not the bundle's
        assert here.body[citation.start : citation.end] == citation.quote
        original = next(
            c
            for claim in bundle["claims"]
            for c in claim["citations"]
            if c["quote"] == citation.quote
        )
        assert citation.start == original["start"] + shift
    company.refresh_from_db()
    assert company.name == "Market Company Ltd"  # the target's party is left as it is


def test_a_refusal_part_way_through_the_writes_leaves_nothing_behind():
    bundle = build_bundle(dispute=small_dispute())
    exported = bundle["sources"][0]
    wipe()
    # Same URL, but this copy of the text no longer has the company's words.
    make_source(url=exported["url"], body="The agency said the market was notorious. Nothing else.")
    before = every_row()
    with pytest.raises(BundleError) as refused:
        import_bundle(bundle=bundle)
    (problem,) = refused.value.problems
    assert "We reject the listing entirely" in problem
    assert "not in source" in problem and "as this database has it" in problem
    assert every_row() == before  # parties and outlets written before the claims are gone too


def test_a_dispute_already_here_is_merged_point_by_point_and_side_by_side():
    bundle = build_bundle(dispute=small_dispute())
    wipe()
    agency = make_party(slug="trade-office", name="Trade Office")
    here = Dispute.objects.create(slug="market-listing", title="Our title", summary="")
    DisputeSide.objects.create(dispute=here, party=agency, stance="Our stance", order=1)
    DisputePoint.objects.create(dispute=here, question="Is the first point true?", order=1)
    DisputePoint.objects.create(dispute=here, question="A point only we have", order=2)

    result = import_bundle(bundle=bundle)

    assert result.dispute == here and Dispute.objects.count() == 1
    here.refresh_from_db()
    assert here.title == "Our title"
    assert [(s.party.slug, s.stance) for s in here.sides.order_by("order")] == [
        ("trade-office", "Our stance"),
        ("market-co", "No"),
    ]
    assert list(here.points.values_list("question", flat=True)) == [
        "Is the first point true?",
        "A point only we have",
    ]
    assert here.points.get(order=1).placements.count() == 2


def test_imported_records_are_written_through_validation_and_say_where_they_came_from():
    bundle = build_bundle(dispute=small_dispute())
    wipe()
    bundle["claims"][0]["claimed_precision"] = "fortnight"
    with pytest.raises(BundleError, match=r"Claim “c1” .*claimed_precision"):
        import_bundle(bundle=bundle)
    assert sum(counts().values()) == 0
    bundle["claims"][0]["claimed_precision"] = "month"
    import_bundle(bundle=bundle)
    record = Claim.history.order_by("history_id").first()
    assert record is not None
    assert record.history_change_reason == "Imported from a dispute bundle"


def test_a_claim_here_with_the_same_party_and_passage_is_reused_whatever_its_summary():
    dispute = small_dispute()
    bundle = build_bundle(dispute=dispute)
    denial = Claim.objects.get(party__slug="market-co")
    Claim.objects.filter(pk=denial.pk).update(summary="Market Co rejects the listing")
    claims_before = Claim.objects.count()

    result = import_bundle(bundle=bundle)

    assert Claim.objects.count() == claims_before
    assert result.tally.reused["claims"] == 2
    assert Claim.objects.get(pk=denial.pk).summary == "Market Co rejects the listing"


def test_a_citation_flagged_for_review_is_left_out_and_listed_as_omitted(tmp_path):
    dispute = small_dispute()
    citation = Citation.objects.get(claim__party__slug="market-co")
    Citation.objects.filter(pk=citation.pk).update(needs_review=True)
    bundle = json.loads(export_text(dispute.slug))
    (omitted,) = bundle["omitted"]
    assert omitted["quote"] == citation.quote and omitted["source"] == "story"
    exported = next(c for c in bundle["claims"] if c["party"] == "market-co")
    assert exported["citations"] == []
    wipe()
    import_file(tmp_path, bundle)
    assert Claim.objects.count() == 2 and Citation.objects.count() == 1


def test_exporting_an_unknown_dispute_names_the_ones_there_are():
    small_dispute()
    with pytest.raises(
        CommandError, match=r"No dispute has the slug “nope”\. Known: market-listing"
    ):
        call_command("export_dispute", "nope", stdout=io.StringIO())


def test_the_export_command_writes_a_file_the_import_command_reads(tmp_path):
    small_dispute()
    path = tmp_path / "out.json"
    call_command("export_dispute", "market-listing", output=path, stderr=io.StringIO())
    assert load_bundle(path.read_bytes())["dispute"]["slug"] == "market-listing"
    wipe()
    out = io.StringIO()
    call_command("import_dispute", str(path), dry_run=True, stdout=out)
    assert "Would import" in out.getvalue() and "claims: 2 created, 0 reused" in out.getvalue()
    assert sum(counts().values()) == 0  # a dry run saves nothing
    call_command("import_dispute", str(path), stdout=io.StringIO())
    assert Claim.objects.count() == 2
