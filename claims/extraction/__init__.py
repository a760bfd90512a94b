"""Extraction assist: propose the quotes and figures of an article, with offsets.

Pure Python and deterministic: regular expressions and a few heuristics, no network and no
model. An analyst reviews every proposal before it becomes a claim, so the extractor errs
on the side of proposing too much (recall) rather than too little.

- A *quote* is a passage between quotation marks (curly or straight, double or single,
  including the newspaper convention of a quote running over several paragraphs), with the
  speaker and party the text attributes it to where it says so: "said X", "X said:",
  "according to X", "in a statement, X", "X added", "– Name" on the line after a quote, and
  appositions such as "X, the company's chief ... officer".
- A *reported* quote (``form="reported"``) is a sentence of reported speech without
  quotation marks whose subject is a party or person and whose verb is a verb of saying
  ("Alibaba says it needs to ...", "The USTR estimates that ...", "According to the USTR,
  ..."), proposed whole unless it already holds a direct quote.
- A *figure* is a percentage, a count, an amount of money with its currency or a multiplier,
  with its qualifier ("nearly", "over", "about"), its sentence, and a guessed metric.

Offsets are character offsets into the body, so ``body[p.start:p.end] == p.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from claims.extraction.attribution import Attributor
from claims.extraction.figures import Figure, figure_proposal, find_figures
from claims.extraction.quotes import quote_proposal, quote_spans
from claims.extraction.reported import reported_proposals
from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.text import sentence_spans

# The entry point and the types of its signature. The project imports the types from
# types.py, where they are defined; they are listed here as the package's whole public face.
__all__ = ["KnownMetric", "KnownParty", "Proposal", "extract"]


def extract(
    body: str,
    *,
    parties: Sequence[KnownParty] = (),
    metrics: Sequence[KnownMetric] = (),
    published: date | None = None,
) -> list[Proposal]:
    """Every quote and figure of body, in reading order (quotes before figures at a tie).

    Read in order, so that "she added" and "the company said" refer back to the speaker
    met last.
    """
    sentences = sentence_spans(body)
    attributor = Attributor(body, parties)
    events: list[tuple[int, int, tuple[int, int] | Figure]] = [
        (start, 0, (start, end)) for start, end in quote_spans(body)
    ]
    events += [(figure.start, 1, figure) for figure in find_figures(body)]
    proposals: list[Proposal] = []
    quotes: list[Proposal] = []
    for _, _, item in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(item, tuple):
            quote = quote_proposal(body, sentences, attributor, *item)
            quotes.append(quote)
            proposals.append(quote)
        else:
            proposals.append(figure_proposal(body, sentences, attributor, item, quotes, metrics))
    proposals += reported_proposals(body, sentences, attributor, quotes)
    return sorted(proposals, key=lambda p: (p.start, p.kind != "quote", p.end))
