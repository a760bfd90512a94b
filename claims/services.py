"""Writes that touch several models: a claim from a proposal, re-anchoring a source.

Each service is keyword-only, typed and atomic, and validates every object with
full_clean() before saving it, so a failure part-way leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.anchoring import CONTEXT_CHARS, QuoteNotFound, find_quote
from claims.extraction import extract
from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.matching import ClaimMatcher, Match
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
    """A proposal for one saved source, the claims that already cite it there, and the
    claims of other sources it repeats (claims.matching)."""

    proposal: Proposal
    claims: tuple[Claim, ...] = ()
    matches: tuple[Match, ...] = ()

    @property
    def is_accepted(self) -> bool:
        return bool(self.claims)

    @property
    def clear_match(self) -> Match | None:
        return next((m for m in self.matches if m.is_clear), None)


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
    """Every proposal for the source, marked with the claims that cite it and matched
    against the claims of other sources.

    Six queries whatever the size of the source: parties, metrics, citations with their
    claims' statistics, and the two candidate sets of claims.matching.
    """
    # "Last year" and "since mid-2017" are read against the article's date when it is known.
    published = source.published_on if source.published_precision != "unknown" else None
    proposals = extract(
        source.body, parties=known_parties(), metrics=known_metrics(), published=published
    )
    citations = list(
        source.citations.filter(needs_review=False)
        .select_related("claim")
        .prefetch_related("claim__statistics")
        .order_by("start")
    )
    matcher = ClaimMatcher(proposals, source=source)
    result = []
    for proposal in proposals:
        claims = {
            c.claim_id: c.claim
            for c in citations
            if c.start < proposal.end and proposal.start < c.end and _cites(c.claim, proposal)
        }
        result.append(
            SourceProposal(
                proposal=proposal,
                claims=tuple(claims.values()),
                matches=tuple(matcher.match(proposal)),
            )
        )
    return result


def _cites(claim: Claim, proposal: Proposal) -> bool:
    """Whether a claim citing the proposal's passage accepted this proposal.

    A figure's claim cites its whole sentence, so the passage alone would mark every figure
    of the sentence accepted: the claim must also give this figure's value (either sign,
    since the analyst may have corrected the sign).
    """
    if proposal.kind != "figure" or proposal.value is None:
        return True
    return any(abs(s.value) == abs(proposal.value) for s in claim.statistics.all())


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
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    scope_note: str = ""


@dataclass(frozen=True)
class NewParty:
    """A party the database does not know yet, typed by the analyst on the accept form."""

    name: str
    kind: str
    affiliation: Party | None = None

    def create(self) -> Party:
        party = Party(
            name=self.name,
            slug=unique_slug(Party, self.name),
            kind=self.kind,
            affiliation=self.affiliation,
        )
        party.full_clean()
        party.save()
        return party


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


def _cite(*, claim: Claim, source: Source, quote: str, near: tuple[int, int] | None) -> Citation:
    """The claim's citation of the passage, anchored before anything else is checked.

    Anchoring first means a quote that is not in the source gets only its own message: an
    unanchored citation would also fail the offsets' check constraints, whose raw text
    ("Constraint … is violated") means nothing to an analyst.
    """
    prefix = suffix = ""
    if near is not None:
        start, end = near
        prefix = source.body[max(0, start - CONTEXT_CHARS) : start]
        suffix = source.body[end : end + CONTEXT_CHARS]
    citation = Citation(claim=claim, source=source, quote=quote, prefix=prefix, suffix=suffix)
    citation.anchor()
    citation.full_clean()
    citation.save()
    return citation


def _place(*, claim: Claim, point: DisputePoint, side: DisputeSide | None) -> None:
    side = side or side_for(point=point, party=claim.party)
    if side is None:
        raise ValidationError(
            {"side": "The claim's party has no side in this dispute; choose one."}
        )
    placement = PointClaim(point=point, side=side, claim=claim)
    placement.full_clean()
    placement.save()


@transaction.atomic
def create_claim_from_proposal(
    *,
    source: Source,
    summary: str,
    kind: str,
    quote: str,
    party: Party | None = None,
    new_party: NewParty | None = None,
    speaker: Party | None = None,
    new_speaker_name: str = "",
    claimed_on: datetime.date | None = None,
    claimed_precision: str = DatePrecision.UNKNOWN,
    date_note: str = "",
    near: tuple[int, int] | None = None,
    figures: Sequence[FigureData] = (),
    point: DisputePoint | None = None,
    side: DisputeSide | None = None,
) -> Claim:
    """A claim with its citation of the source (its statistics, a party new to the
    database, its place on a dispute point), all or nothing.

    The quote is anchored by Citation.anchor(); ``near`` (the proposal's offsets) chooses
    among repeated passages. Raises ValidationError keyed by field when anything is wrong.
    """
    if new_party is not None:
        party = new_party.create()
    if party is None:
        raise ValidationError({"party": "Choose the party, or add a new one."})
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
    _cite(claim=claim, source=source, quote=quote, near=near)

    for figure in figures:
        statistic = Statistic(
            claim=claim,
            metric=_metric_for(figure),
            value=figure.value,
            unit=figure.unit,
            currency=figure.currency,
            qualifier=figure.qualifier,
            period_label=figure.period_label,
            period_start=figure.period_start,
            period_end=figure.period_end,
            scope_note=figure.scope_note,
        )
        statistic.full_clean()
        statistic.save()

    if point is not None:
        _place(claim=claim, point=point, side=side)
    return claim


@transaction.atomic
def add_citation_from_proposal(
    *,
    claim: Claim,
    source: Source,
    quote: str,
    near: tuple[int, int] | None = None,
    point: DisputePoint | None = None,
    side: DisputeSide | None = None,
) -> Citation:
    """Corroboration: the source reports a claim already recorded, so the claim gains a
    citation of it rather than a duplicate claim (and, if given, a place on a dispute
    point). One transaction; the quote is anchored in the source like any other."""
    citation = _cite(claim=claim, source=source, quote=quote, near=near)
    if point is not None:
        _place(claim=claim, point=point, side=side)
    return citation


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
