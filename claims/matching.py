"""Corroboration: the claims already in the database that a proposal repeats.

A proposal repeats a claim when another source reported the same thing: the same party in
similar words (a quote), or the same metric, value and period (a figure). Accepting it as a
citation of that claim, instead of as a new claim, is what makes "Reported by 2 sources".

The work is bounded whatever the size of the database: candidates come only from indexed
narrowings (the proposal's party or speaker through the claim's foreign keys; the guessed
metric through the statistic's), at most CANDIDATE_LIMIT rows each, loaded once for all the
proposals of a source (two queries); rapidfuzz then scores them in C and keeps the top few.

Why token-set ratio, and why 90:
- token_set_ratio compares the words two texts share with what each adds, ignoring order, so
  a second outlet printing a shorter excerpt of the same statement scores 100, and
  punctuation or typography (already folded away by comparable_words) costs nothing.
- 90 is one differing word in ten: a tense or an article changed by the second outlet's
  transcription ("we have closed" / "we closed"), not a different statement. Below that the
  same party is saying something else in its usual vocabulary.
- A text of fewer than MIN_CLEAR_WORDS words is never a clear match: "we reject it" is a
  subset of many statements. It is still offered, just not chosen for the analyst.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from rapidfuzz import fuzz, process

from claims.extraction.types import Proposal
from claims.models import Citation, Claim, Statistic
from claims.periods import Period
from claims.text import comparable_words
from sources.models import Source

CLEAR_SCORE = 90
SIMILAR_SCORE = 75  # offered, never the default: the analyst judges
MIN_CLEAR_WORDS = 5
CANDIDATE_LIMIT = 2000  # newest rows per narrowing; older claims of a prolific party are missed
TOP_N = 3


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: int  # 0–100
    reason: str
    is_clear: bool


def proposal_period(proposal: Proposal) -> Period | None:
    """The period a figure proposal states (fields the extractor may add; none before)."""
    return Period.stated(
        getattr(proposal, "period_start", None),
        getattr(proposal, "period_end", None),
        getattr(proposal, "period", "") or "",
    )


def _parties_of(proposal: Proposal) -> set[int]:
    return {pk for pk in (proposal.party_id, proposal.speaker_id) if pk is not None}


class ClaimMatcher:
    """The candidates for every proposal of one source, loaded once; then match() each."""

    def __init__(self, proposals: Sequence[Proposal], *, source: Source) -> None:
        party_ids = set().union(*(_parties_of(p) for p in proposals)) if proposals else set()
        metric_ids = {p.metric_id for p in proposals if p.kind == "figure" and p.metric_id}
        self._quotes: dict[int, list[Citation]] = defaultdict(list)
        self._figures: dict[int, list[Statistic]] = defaultdict(list)
        if party_ids:
            citations = (
                Citation.objects.filter(
                    Q(claim__party_id__in=party_ids) | Q(claim__speaker_id__in=party_ids),
                    needs_review=False,
                )
                .exclude(source=source)
                .select_related("claim")
                .only(
                    "quote",
                    "claim",
                    "claim__summary",
                    "claim__slug",
                    "claim__party",
                    "claim__speaker",
                )
                .order_by("-pk")[:CANDIDATE_LIMIT]
            )
            for citation in citations:
                for pk in {citation.claim.party_id, citation.claim.speaker_id} - {None}:
                    self._quotes[pk].append(citation)  # type: ignore[index]
        if metric_ids:
            statistics = (
                Statistic.objects.filter(metric_id__in=metric_ids)
                .exclude(claim__citations__source=source)
                .select_related("claim")
                .order_by("-pk")[:CANDIDATE_LIMIT]
            )
            for statistic in statistics:
                self._figures[statistic.metric_id].append(statistic)

    def match(self, proposal: Proposal) -> list[Match]:
        """The best matches, clear ones first, at most TOP_N."""
        if proposal.kind == "figure":
            found = self._figure_matches(proposal)
        else:
            found = self._word_matches(proposal)
        best: dict[int, Match] = {}
        for m in found:
            if m.claim.pk not in best or (m.is_clear, m.score) > (
                best[m.claim.pk].is_clear,
                best[m.claim.pk].score,
            ):
                best[m.claim.pk] = m
        ranked = sorted(best.values(), key=lambda m: (not m.is_clear, -m.score, m.claim.pk))
        return ranked[:TOP_N]

    def _word_matches(self, proposal: Proposal) -> list[Match]:
        words = comparable_words(proposal.text)
        candidates: dict[int, Citation] = {}
        for pk in _parties_of(proposal):
            candidates.update((c.pk, c) for c in self._quotes.get(pk, ()))
        if not words or not candidates:
            return []
        choices = {pk: comparable_words(c.quote) for pk, c in candidates.items()}
        scored = process.extract(
            words,
            choices,
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=TOP_N * 3,
            score_cutoff=SIMILAR_SCORE,
        )
        matches = []
        for text, score, pk in scored:
            shorter = min(len(words.split()), len(text.split()))
            claim = candidates[pk].claim
            clear = score >= CLEAR_SCORE and shorter >= MIN_CLEAR_WORDS
            matches.append(
                Match(
                    claim=claim,
                    score=round(score),
                    reason=f"the same party in similar words ({round(score)}% of words shared)",
                    is_clear=clear,
                )
            )
        return matches

    def _figure_matches(self, proposal: Proposal) -> list[Match]:
        if proposal.value is None or not proposal.metric_id:
            return []
        period = proposal_period(proposal)
        parties = _parties_of(proposal)
        matches = []
        for statistic in self._figures.get(proposal.metric_id, ()):
            if not _same_reading(proposal, statistic):
                continue
            claim = statistic.claim
            same_period = statistic.period == period
            same_party = not parties or bool(parties & {claim.party_id, claim.speaker_id})
            if not same_period:
                reason = f"the same value, for {statistic.period_display} (this: " + (
                    f"{period.text})" if period else "period not stated)"
                )
            elif not same_party:
                # Another party giving the same figure corroborates it independently: its own
                # claim, which the metric page then shows as agreeing.
                reason = "the same value and period, from another party"
            else:
                reason = "the same metric, value and period"
            matches.append(
                Match(
                    claim=claim,
                    score=100 if same_period and same_party else SIMILAR_SCORE,
                    reason=reason,
                    is_clear=same_period and same_party,
                )
            )
        return matches

    def match_all(self, proposals: Iterable[Proposal]) -> dict[str, list[Match]]:
        return {p.key: self.match(p) for p in proposals}


def _same_reading(proposal: Proposal, statistic: Statistic) -> bool:
    return (
        Decimal(statistic.value) == proposal.value
        and statistic.unit == proposal.unit
        and statistic.currency == proposal.currency
        and statistic.qualifier == proposal.qualifier
    )
