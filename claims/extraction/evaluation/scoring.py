"""Matching proposals to the gold, and the scores of one proposer over a part.

A proposal matches a gold quote when their spans overlap with an IoU of at least 0.6 (any
quote proposal, whatever its form), and a gold figure when the spans overlap at all. Each
gold item and each proposal is matched at most once, greedily by best IoU. Proposals are
read with getattr for the fields the extractor may or may not have yet (`new_party`,
`period`), so the same harness scores it before and after they exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from claims.extraction.evaluation.gold import Article, GoldFigure, GoldQuote

QUOTE_IOU = 0.6
KINDS = ("direct", "reported", "figure")

# extract(body, parties=..., metrics=...) or anything with its signature.
Proposer = Callable[..., Sequence[Any]]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    if overlap <= 0:
        return 0.0
    return overlap / (max(a[1], b[1]) - min(a[0], b[0]))


def match(
    gold: Sequence[tuple[int, int]], proposed: Sequence[tuple[int, int]], threshold: float
) -> dict[int, int]:
    """Gold index → proposal index: pairs at or above threshold (above 0 when it is 0),
    best IoU first, each side used once; ties go to the earlier item, for a stable result."""
    pairs = [
        (score, g, p)
        for g, gs in enumerate(gold)
        for p, ps in enumerate(proposed)
        if (score := iou(gs, ps)) > 0 and score >= threshold
    ]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, g, p in pairs:
        if g not in matched and p not in used:
            matched[g] = p
            used.add(p)
    return matched


def same_party(a: str, b: str) -> bool:
    """Party names compared case-insensitively, without a leading "the"."""

    def norm(name: str) -> str:
        name = " ".join(name.split()).casefold()
        return name[4:] if name.startswith("the ") else name

    return norm(a) == norm(b)


def proposed_party(proposal: Any) -> str:
    """The proposal's party, or the new party it proposes when the party is unknown."""
    return getattr(proposal, "party", "") or getattr(proposal, "new_party", "") or ""


def proposal_kind(proposal: Any) -> str:
    if proposal.kind == "figure":
        return "figure"
    return "direct" if getattr(proposal, "form", "") == "direct" else "reported"


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


# The measures of each kind, in report order; the last five are figures' only.
MEASURES = {
    "recall": "span recall",
    "precision": "span precision",
    "attribution": "attribution",
    "wrong_attribution": "wrong attribution (not empty)",
    "value": "value and sign",
    "qualifier": "qualifier",
    "metric": "metric guess",
    "wrong_metric": "wrong metric guess (not empty)",
    "period": "period (informative)",
}
QUOTE_MEASURES = ("recall", "precision", "attribution", "wrong_attribution")


@dataclass
class KindScores:
    measures: dict[str, Ratio] = field(default_factory=lambda: {m: Ratio() for m in MEASURES})

    def __getitem__(self, measure: str) -> Ratio:
        return self.measures[measure]


@dataclass
class Scores:
    articles: int = 0
    kinds: dict[str, KindScores] = field(default_factory=lambda: {k: KindScores() for k in KINDS})

    def __getitem__(self, kind: str) -> KindScores:
        return self.kinds[kind]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"articles": self.articles}
        for kind, scores in self.kinds.items():
            names = MEASURES if kind == "figure" else QUOTE_MEASURES
            data[kind] = {
                m: {"value": scores[m].value, "hits": scores[m].hits, "total": scores[m].total}
                for m in names
            }
        return data


def score(articles: Iterable[Article], proposer: Proposer) -> Scores:
    """The scores of proposer over articles, counted over all of them together."""
    scores = Scores()
    for article in articles:
        scores.articles += 1
        # The article's date goes in as the source's date does in the admin, so that "last
        # year" can be read; a proposer that ignores it (the baseline) takes **kwargs.
        proposals = list(
            proposer(
                article.body,
                parties=article.parties,
                metrics=article.metrics,
                published=article.published_date,
            )
        )
        quotes = [p for p in proposals if p.kind == "quote"]
        figures = [p for p in proposals if p.kind == "figure"]
        _score_quotes(scores, article.quotes, quotes)
        _score_figures(scores, article.figures, figures)
    return scores


def _score_quotes(scores: Scores, gold: list[GoldQuote], proposals: list[Any]) -> None:
    matched = match(
        [(q.start, q.end) for q in gold], [(p.start, p.end) for p in proposals], QUOTE_IOU
    )
    for g, quote in enumerate(gold):
        kind = scores[quote.form]
        kind["recall"].add(g in matched)
        if g in matched:
            _score_attribution(kind, quote.party, proposals[matched[g]])
    used = set(matched.values())
    for p, proposal in enumerate(proposals):
        scores[proposal_kind(proposal)]["precision"].add(p in used)


def _score_figures(scores: Scores, gold: list[GoldFigure], proposals: list[Any]) -> None:
    kind = scores["figure"]
    matched = match([(f.start, f.end) for f in gold], [(p.start, p.end) for p in proposals], 0.0)
    for g, figure in enumerate(gold):
        kind["recall"].add(g in matched)
        if g not in matched:
            continue
        proposal = proposals[matched[g]]
        _score_attribution(kind, figure.party, proposal)
        value = getattr(proposal, "value", None)
        kind["value"].add(value is not None and Decimal(value) == figure.value)
        kind["qualifier"].add((getattr(proposal, "qualifier", "") or "") == figure.qualifier)
        metric = getattr(proposal, "metric", "") or ""
        kind["metric"].add(metric.casefold() == figure.metric.casefold())
        kind["wrong_metric"].add(bool(metric) and metric.casefold() != figure.metric.casefold())
        period = " ".join((getattr(proposal, "period", "") or "").split())
        kind["period"].add(period.casefold() == " ".join(figure.period.split()).casefold())
    used = set(matched.values())
    for p in range(len(proposals)):
        kind["precision"].add(p in used)


def _score_attribution(kind: KindScores, gold_party: str, proposal: Any) -> None:
    party = proposed_party(proposal)
    kind["attribution"].add(same_party(party, gold_party))
    kind["wrong_attribution"].add(bool(party) and not same_party(party, gold_party))
