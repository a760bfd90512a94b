"""Importing a dispute bundle into this installation, merged with what it already has.

All or nothing: the bundle is checked (claims.bundles.schema), then every record is written
through its model's full_clean() in one transaction; the first refusal raises BundleError
and leaves the database as it was. Importing the same bundle again changes nothing, because
every record is first looked for by its natural key:

- outlets, parties, metrics by slug (outlets and metrics by name too, which is unique);
- sources by URL when given, or by the SHA-256 of their body;
- a claim by its party and a citation of the same source at the same passage (the quote
  anchored in the target's copy of the source, with the code the admin uses);
- the dispute by slug, its sides by party, its points by question and order, a placement
  by point and claim, a relation by its two claims and kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims.bundles.references import (
    Tally,
    check,
    describe,
    import_metrics,
    import_outlets,
    import_parties,
    import_sources,
    save_checked,
)
from claims.bundles.schema import BundleError, validate_bundle
from claims.models import (
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
from claims.text import shorten
from sources.models import Source


@dataclass(frozen=True)
class ImportResult:
    dispute: Dispute
    tally: Tally


@transaction.atomic
def import_bundle(*, bundle: dict[str, Any]) -> ImportResult:
    """Import the bundle (as json.loads gives it); raises BundleError, importing nothing,
    if anything in it is wrong or refused."""
    validate_bundle(bundle)
    tally = Tally()
    outlets = import_outlets(bundle["outlets"], tally)
    sources = import_sources(bundle["sources"], outlets, tally)
    parties = import_parties(bundle["parties"], tally)
    metrics = import_metrics(bundle["metrics"], tally)
    claims: dict[str, Claim] = {}
    for data in bundle["claims"]:
        taken = {claim.pk for claim in claims.values()}
        claims[data["key"]] = _import_claim(
            data, parties=parties, sources=sources, metrics=metrics, taken=taken, tally=tally
        )
    _import_relations(bundle["relations"], claims, tally)
    dispute = _import_dispute(bundle["dispute"], parties, claims, tally)
    return ImportResult(dispute=dispute, tally=tally)


def _anchored(data: dict[str, Any], sources: dict[str, Source], label: str) -> list[Citation]:
    """The claim's citations, unsaved, anchored in this database's copy of each source."""
    citations = []
    for item in data["citations"]:
        source = sources[item["source"]]
        citation = Citation(
            source=source, quote=item["quote"], prefix=item["prefix"], suffix=item["suffix"]
        )
        try:
            citation.anchor()
        except ValidationError as exc:
            raise BundleError(
                [
                    f"{label}: its quote “{shorten(item['quote'], 80)}” is not in source "
                    f"“{source.slug}” as this database has it: {describe(exc)}"
                ]
            ) from exc
        citations.append(citation)
    return citations


def _existing_claim(claim: Claim, citations: list[Citation], taken: set[int]) -> Claim | None:
    """The target's claim by the same party citing one of the same passages (one with the
    same summary first); a claim citing nothing, by party, summary and date."""
    if citations:
        passages = Q()
        for c in citations:
            passages |= Q(
                citations__source=c.source, citations__start=c.start, citations__end=c.end
            )
        matches = Claim.objects.filter(passages, party=claim.party)
    else:
        matches = Claim.objects.filter(
            party=claim.party,
            summary=claim.summary,
            claimed_on=claim.claimed_on,
            claimed_precision=claim.claimed_precision,
            citations__isnull=True,
        )
    found = list(matches.exclude(pk__in=taken).distinct().order_by("pk")[:50])
    same_summary = [m for m in found if m.summary == claim.summary]
    best = same_summary or found
    return best[0] if best else None


def _import_claim(
    data: dict[str, Any],
    *,
    parties: dict[str, Party],
    sources: dict[str, Source],
    metrics: dict[str, Metric],
    taken: set[int],
    tally: Tally,
) -> Claim:
    label = f"Claim “{data['key']}” (“{shorten(data['summary'], 60)}”)"
    fields = ("summary", "kind", "claimed_on", "claimed_precision", "date_note")
    candidate = Claim(
        party=parties[data["party"]],
        speaker=parties[data["speaker"]] if data["speaker"] else None,
        **{k: data[k] for k in fields},
    )
    check(candidate, label)
    citations = _anchored(data, sources, label)
    existing = _existing_claim(candidate, citations, taken)
    tally.count(Claim, created=existing is None)
    claim = existing or candidate
    if existing is None:
        save_checked(candidate, label)
    for citation in citations:
        citation.claim = claim
        same = claim.citations.filter(
            source=citation.source, start=citation.start, end=citation.end
        )
        found = existing is not None and same.exists()
        tally.count(Citation, created=not found)
        if not found:
            save_checked(citation, f"{label}, its citation of source “{citation.source.slug}”")
    for item in data["statistics"]:
        _import_statistic(item, claim, metrics, existing is None, label, tally)
    return claim


def _import_statistic(
    item: dict[str, Any],
    claim: Claim,
    metrics: dict[str, Metric],
    claim_is_new: bool,
    label: str,
    tally: Tally,
) -> None:
    fields = (
        "value",
        "unit",
        "currency",
        "qualifier",
        "period_label",
        "period_start",
        "period_end",
        "scope_note",
    )
    statistic = Statistic(
        claim=claim, metric=metrics[item["metric"]], **{k: item[k] for k in fields}
    )
    label = f"{label}, its figure for metric “{item['metric']}”"
    check(statistic, label)  # now with a Decimal value and dates, to compare with the target's
    # The same figure is the same reading; a scope note the target's analysts wrote on it
    # differently is theirs to keep, not a second figure.
    found = not claim_is_new and (
        Statistic.objects.filter(
            claim=claim,
            metric=statistic.metric,
            **{k: getattr(statistic, k) for k in fields if k != "scope_note"},
        ).exists()
    )
    tally.count(Statistic, created=not found)
    if not found:
        save_checked(statistic, label)


def _import_relations(
    records: list[dict[str, Any]], claims: dict[str, Claim], tally: Tally
) -> None:
    for data in records:
        ends = {"from_claim": claims[data["from"]], "to_claim": claims[data["to"]]}
        found = ClaimRelation.objects.filter(kind=data["kind"], **ends).exists()
        tally.count(ClaimRelation, created=not found)
        if not found:
            relation = ClaimRelation(kind=data["kind"], note=data["note"], **ends)
            save_checked(relation, f"Relation {data['from']} {data['kind']} {data['to']}")


def _import_dispute(
    data: dict[str, Any], parties: dict[str, Party], claims: dict[str, Claim], tally: Tally
) -> Dispute:
    dispute = Dispute.objects.filter(slug=data["slug"]).first()
    tally.count(Dispute, created=dispute is None)
    if dispute is None:
        dispute = Dispute(slug=data["slug"], title=data["title"], summary=data["summary"])
        save_checked(dispute, f"Dispute “{data['slug']}”")
    sides: dict[str, DisputeSide] = {}
    for item in data["sides"]:
        party = parties[item["party"]]
        side = dispute.sides.filter(party=party).first()
        tally.count(DisputeSide, created=side is None)
        if side is None:
            side = DisputeSide(
                dispute=dispute,
                party=party,
                **{k: item[k] for k in ("label", "stance", "order")},
            )
            save_checked(side, f"The side of “{item['party']}”")
        sides[item["party"]] = side
    for item in data["points"]:
        point = dispute.points.filter(question=item["question"], order=item["order"]).first()
        tally.count(DisputePoint, created=point is None)
        label = f"Point “{shorten(item['question'], 60)}”"
        if point is None:
            point = DisputePoint(
                dispute=dispute,
                **{k: item[k] for k in ("question", "summary", "order")},
            )
            save_checked(point, label)
        for placed in item["placements"]:
            claim = claims[placed["claim"]]
            found = PointClaim.objects.filter(point=point, claim=claim).exists()
            tally.count(PointClaim, created=not found)
            if not found:
                placement = PointClaim(
                    point=point, side=sides[placed["side"]], claim=claim, order=placed["order"]
                )
                save_checked(placement, f"{label}, its placement of claim “{placed['claim']}”")
    return dispute
