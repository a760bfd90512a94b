"""Writes that touch several models: a claim from a proposal, re-anchoring a source.

Each service is keyword-only, typed and atomic, and validates every object with
full_clean() before saving it, so a failure part-way leaves nothing behind.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.anchoring import CONTEXT_CHARS, QuoteNotFound, find_quote
from claims.extraction import extract
from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.models import (
    Citation,
    Claim,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import DatePrecision
from sources.models import Source, unique_slug

# ---------------------------------------------------------------------------------------
# Extraction assist
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceProposal:
    """A proposal for one saved source, and the claims that already cite its passage."""

    proposal: Proposal
    claims: tuple[Claim, ...] = ()

    @property
    def is_accepted(self) -> bool:
        return bool(self.claims)


def known_parties() -> list[KnownParty]:
    return [
        KnownParty(
            id=party.pk,
            name=party.name,
            is_person=party.is_person,
            affiliation_id=party.affiliation_id,
        )
        for party in Party.objects.only("pk", "name", "kind", "affiliation_id")
    ]


def known_metrics() -> list[KnownMetric]:
    return [
        KnownMetric(id=m.pk, name=m.name, definition=m.definition, unit=m.unit)
        for m in Metric.objects.only("pk", "name", "definition", "unit")
    ]


def source_proposals(*, source: Source) -> list[SourceProposal]:
    """Every proposal for the source, marked with the claims whose citation overlaps it.

    Three queries whatever the size of the source: parties, metrics, citations.
    """
    # "Last year" and "since mid-2017" are read against the article's date when it is known.
    published = source.published_on if source.published_precision != "unknown" else None
    proposals = extract(
        source.body, parties=known_parties(), metrics=known_metrics(), published=published
    )
    citations = list(
        source.citations.filter(needs_review=False).select_related("claim").order_by("start")
    )
    result = []
    for proposal in proposals:
        claims = {
            c.claim_id: c.claim
            for c in citations
            if c.start < proposal.end and proposal.start < c.end
        }
        result.append(SourceProposal(proposal=proposal, claims=tuple(claims.values())))
    return result


@dataclass(frozen=True)
class FigureData:
    """The statistic of a figure proposal. Give a metric, or a name and definition for a new
    one."""

    value: Decimal
    unit: str
    metric: Metric | None = None
    new_metric_name: str = ""
    new_metric_definition: str = ""
    currency: str = ""
    qualifier: str = ""
    period_label: str = ""


def _speaker_named(name: str, party: Party) -> Party:
    """The person of that name, added (affiliated with the party) if not yet known."""
    existing = Party.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    person = Party(
        name=name,
        slug=unique_slug(Party, name),
        kind=Party.Kind.INDIVIDUAL,
        affiliation=None if party.is_person else party,
    )
    person.full_clean()
    person.save()
    return person


def _metric_for(figure: FigureData) -> Metric:
    if figure.metric is not None:
        return figure.metric
    metric = Metric(
        name=figure.new_metric_name,
        slug=unique_slug(Metric, figure.new_metric_name),
        definition=figure.new_metric_definition,
        unit=figure.unit,
    )
    metric.full_clean()
    metric.save()
    return metric


def side_for(*, point: DisputePoint, party: Party) -> DisputeSide | None:
    """The column of a dispute where the party's claims go: its own, or its organisation's."""
    sides = {side.party_id: side for side in point.dispute.sides.all()}
    own = sides.get(party.pk)
    if own is None and party.affiliation_id is not None:
        return sides.get(party.affiliation_id)
    return own


@transaction.atomic
def create_claim_from_proposal(
    *,
    source: Source,
    summary: str,
    kind: str,
    party: Party,
    quote: str,
    speaker: Party | None = None,
    new_speaker_name: str = "",
    claimed_on: datetime.date | None = None,
    claimed_precision: str = DatePrecision.UNKNOWN,
    date_note: str = "",
    near: tuple[int, int] | None = None,
    figure: FigureData | None = None,
    point: DisputePoint | None = None,
    side: DisputeSide | None = None,
) -> Claim:
    """A claim with its citation of the source (and its statistic, and its place on a
    dispute point), all or nothing.

    The quote is anchored by Citation.anchor(); ``near`` (the proposal's offsets) chooses
    among repeated passages. Raises ValidationError keyed by field when anything is wrong.
    """
    if speaker is None and new_speaker_name:
        speaker = _speaker_named(new_speaker_name, party)
    claim = Claim(
        summary=summary,
        kind=kind,
        party=party,
        speaker=speaker,
        claimed_on=claimed_on,
        claimed_precision=claimed_precision,
        date_note=date_note,
    )
    claim.full_clean()
    claim.save()

    prefix = suffix = ""
    if near is not None:
        start, end = near
        prefix = source.body[max(0, start - CONTEXT_CHARS) : start]
        suffix = source.body[end : end + CONTEXT_CHARS]
    citation = Citation(claim=claim, source=source, quote=quote, prefix=prefix, suffix=suffix)
    citation.full_clean()
    citation.save()

    if figure is not None:
        statistic = Statistic(
            claim=claim,
            metric=_metric_for(figure),
            value=figure.value,
            unit=figure.unit,
            currency=figure.currency,
            qualifier=figure.qualifier,
            period_label=figure.period_label,
        )
        statistic.full_clean()
        statistic.save()

    if point is not None:
        side = side or side_for(point=point, party=party)
        if side is None:
            raise ValidationError(
                {"side": "The claim's party has no side in this dispute; choose one."}
            )
        placement = PointClaim(point=point, side=side, claim=claim)
        placement.full_clean()
        placement.save()
    return claim


# ---------------------------------------------------------------------------------------
# Re-anchoring
# ---------------------------------------------------------------------------------------


@dataclass
class ReanchorResult:
    moved: list[Citation] = field(default_factory=list)
    restored: list[Citation] = field(default_factory=list)
    flagged: list[Citation] = field(default_factory=list)
    unchanged: list[Citation] = field(default_factory=list)


def _flag(citation: Citation) -> None:
    # Kept exactly as it was (quote, offsets, context) so an analyst can see what was cited;
    # clean() is skipped on purpose: it would try, and fail, to anchor the quote again.
    citation.needs_review = True
    citation.clean_fields()
    citation.save(update_fields=["needs_review"])


@transaction.atomic
def reanchor_source(*, source: Source) -> ReanchorResult:
    """Find every citation of the source again in its (corrected) body.

    Exact match first, then the normalised one (typographic quotes, dashes, whitespace,
    Unicode normal form, soft hyphens and zero-width characters: claims.anchoring); the
    stored prefix and suffix choose among repeated passages. A citation found again gets its
    offsets and context updated (and loses any "needs review" flag); one that cannot be
    found is kept and flagged for review. Nothing is ever deleted.
    """
    result = ReanchorResult()
    citations = source.citations.select_related("claim").order_by("start", "pk")
    for citation in citations:
        citation.source = source
        was_flagged = citation.needs_review
        try:
            found = find_quote(
                source.body, citation.quote, prefix=citation.prefix, suffix=citation.suffix
            )
        except QuoteNotFound:
            if not was_flagged:
                _flag(citation)
            result.flagged.append(citation)
            continue
        before = (citation.quote, citation.start, citation.end, citation.prefix, citation.suffix)
        after = (found.exact, found.start, found.end, found.prefix, found.suffix)
        if before == after and not was_flagged:
            result.unchanged.append(citation)
            continue
        citation.quote = found.exact
        citation.start, citation.end = found.start, found.end
        citation.prefix, citation.suffix = found.prefix, found.suffix
        citation.needs_review = False
        try:
            citation.full_clean()
        except ValidationError:
            # e.g. the claim already cites the passage the quote now points at.
            citation.refresh_from_db()
            citation.source = source
            if not citation.needs_review:
                _flag(citation)
            result.flagged.append(citation)
            continue
        citation.save()
        (result.restored if was_flagged else result.moved).append(citation)
    return result
