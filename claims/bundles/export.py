"""A dispute as a bundle: the dispute, every placed claim, and everything they rely on.

Only the claims placed on the dispute are exported, with their citations, statistics, the
relations among them, and the parties, metrics, sources and outlets those name. Records
refer to each other by natural key; a claim is named by a key local to the bundle and keeps
its origin id and permalink for provenance only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from claims.bundles.schema import FORMAT, VERSION
from claims.models import (
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    Party,
    PointClaim,
    Statistic,
)
from sources.models import Outlet, Source


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _dispute(dispute: Dispute, points: list[DisputePoint], keys: dict[int, str]) -> dict:
    sides = dispute.sides.select_related("party").order_by("order", "pk")
    return {
        "slug": dispute.slug,
        "title": dispute.title,
        "summary": dispute.summary,
        "sides": [
            {"party": s.party.slug, "label": s.label, "stance": s.stance, "order": s.order}
            for s in sides
        ],
        "points": [
            {
                "question": point.question,
                "summary": point.summary,
                "order": point.order,
                "placements": [
                    {"claim": keys[p.claim_id], "side": p.side.party.slug, "order": p.order}
                    for p in point.placements.all()
                ],
            }
            for point in points
        ],
    }


def _citation(citation: Citation, sources: dict[int, Source]) -> dict:
    return {
        "source": sources[citation.source_id].slug,
        "quote": citation.quote,
        "start": citation.start,
        "end": citation.end,
        "prefix": citation.prefix,
        "suffix": citation.suffix,
    }


def _statistic(statistic: Statistic) -> dict:
    return {
        "metric": statistic.metric.slug,
        "value": str(statistic.value),  # as text: a JSON number would lose digits
        "unit": statistic.unit,
        "currency": statistic.currency,
        "qualifier": statistic.qualifier,
        "period_label": statistic.period_label,
        "period_start": _iso(statistic.period_start),
        "period_end": _iso(statistic.period_end),
        "scope_note": statistic.scope_note,
    }


def _claim(claim: Claim, key: str, sources: dict[int, Source]) -> dict:
    return {
        "key": key,
        "origin": {"id": claim.pk, "permalink": f"{settings.SITE_URL}{claim.get_absolute_url()}"},
        "party": claim.party.slug,
        "speaker": claim.speaker.slug if claim.speaker else None,
        "summary": claim.summary,
        "kind": claim.kind,
        "claimed_on": _iso(claim.claimed_on),
        "claimed_precision": claim.claimed_precision,
        "date_note": claim.date_note,
        "citations": [_citation(c, sources) for c in claim.citations.all() if not c.needs_review],
        "statistics": [_statistic(s) for s in claim.statistics.all()],
    }


def _parties(ids: set[int]) -> list[Party]:
    """The parties, and the organisations they are affiliated with, however far up."""
    found: dict[int, Party] = {}
    wanted = set(ids)
    while wanted:
        for party in Party.objects.filter(pk__in=wanted):
            found[party.pk] = party
        wanted = {p.affiliation_id for p in found.values() if p.affiliation_id} - set(found)
    return sorted(found.values(), key=lambda p: p.slug)


def _party(party: Party) -> dict:
    return {
        "slug": party.slug,
        "name": party.name,
        "kind": party.kind,
        "affiliation": party.affiliation.slug if party.affiliation else None,
        "role": party.role,
        "description": party.description,
        "url": party.url,
    }


def _source(source: Source) -> dict:
    return {
        "slug": source.slug,
        "title": source.title,
        "outlet": source.outlet.slug if source.outlet else None,
        "author": source.author,
        "kind": source.kind,
        "published_on": _iso(source.published_on),
        "published_precision": source.published_precision,
        "date_note": source.date_note,
        "url": source.url,
        "body": source.body,
        "body_sha256": source.body_sha256,
    }


def _outlet(outlet: Outlet) -> dict:
    return {
        "slug": outlet.slug,
        "name": outlet.name,
        "homepage": outlet.homepage,
        "description": outlet.description,
    }


def build_bundle(*, dispute: Dispute) -> dict[str, Any]:
    """The dispute as a bundle (a dict ready for json.dumps), in a stable order.

    Citations flagged for review are left out, and listed under "omitted": their quote is
    no longer in the corrected body, and a bundle vouches for every quote it carries.
    """
    points = list(
        dispute.points.order_by("order", "pk").prefetch_related(
            Prefetch(
                "placements",
                queryset=PointClaim.objects.select_related("side__party").order_by(
                    "side__order", "order", "pk"
                ),
            )
        )
    )
    claim_ids = {p.claim_id for point in points for p in point.placements.all()}
    claims = list(
        Claim.objects.filter(pk__in=claim_ids)
        .order_by("pk")
        .select_related("party", "speaker")
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.order_by("source_id", "start", "pk")),
            Prefetch("statistics", queryset=Statistic.objects.select_related("metric")),
        )
    )
    keys = {claim.pk: f"c{n}" for n, claim in enumerate(claims, start=1)}
    citations = [c for claim in claims for c in claim.citations.all()]
    sources = {
        s.pk: s
        for s in Source.objects.filter(pk__in={c.source_id for c in citations}).select_related(
            "outlet"
        )
    }
    relations = ClaimRelation.objects.filter(
        from_claim_id__in=claim_ids, to_claim_id__in=claim_ids
    ).order_by("from_claim_id", "kind", "to_claim_id")
    party_ids = {c.party_id for c in claims} | {c.speaker_id for c in claims if c.speaker_id}
    party_ids |= set(dispute.sides.values_list("party_id", flat=True))
    parties = _parties(party_ids)
    by_pk = {p.pk: p for p in parties}
    for party in parties:  # affiliations from the same objects, not a query each
        if party.affiliation_id:
            party.affiliation = by_pk[party.affiliation_id]
    metrics = {s.metric.slug: s.metric for claim in claims for s in claim.statistics.all()}
    outlets = {s.outlet.slug: s.outlet for s in sources.values() if s.outlet}
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "exported_from": settings.SITE_URL,
        "dispute": _dispute(dispute, points, keys),
        "claims": [_claim(claim, keys[claim.pk], sources) for claim in claims],
        "relations": [
            {
                "from": keys[r.from_claim_id],
                "to": keys[r.to_claim_id],
                "kind": r.kind,
                "note": r.note,
            }
            for r in relations
        ],
        "parties": [_party(p) for p in parties],
        "metrics": [
            {"slug": m.slug, "name": m.name, "definition": m.definition, "unit": m.unit}
            for _, m in sorted(metrics.items())
        ],
        "outlets": [_outlet(o) for _, o in sorted(outlets.items())],
        "sources": [_source(s) for s in sorted(sources.values(), key=lambda s: s.slug)],
        "omitted": [
            {
                "claim": keys[c.claim_id],
                "source": sources[c.source_id].slug,
                "quote": c.quote,
                "reason": "Flagged for review: the quote is not in the corrected source text.",
            }
            for c in citations
            if c.needs_review
        ],
    }
