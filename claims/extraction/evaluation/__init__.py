"""The extraction evaluation: hand-annotated articles, the extractor and an every-sentence
baseline scored against them, per part (tuning, held out) and per kind (direct quotes,
reported quotes, figures).

The held-out part was written before the extractor was tuned on the tuning part and is
kept out of tuning: read its aggregate numbers, not its failures. Pure Python like the
extractor; `manage.py eval_extraction` prints the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from claims.extraction import extract
from claims.extraction.evaluation.baseline import baseline
from claims.extraction.evaluation.gold import PARTS, Article, GoldError, load_part
from claims.extraction.evaluation.report import PartResult, as_text
from claims.extraction.evaluation.scoring import Proposer, score

__all__ = ["PARTS", "Article", "GoldError", "PartResult", "as_text", "evaluate", "load_part"]


def evaluate(
    root: Path, parts: Sequence[str] = PARTS, *, proposer: Proposer = extract
) -> list[PartResult]:
    """Each part's scores for proposer and for the baseline. Raises GoldError."""
    results = []
    for part in parts:
        articles: list[Article] = load_part(root, part)
        gold_counts = {
            "direct": sum(1 for a in articles for q in a.quotes if q.form == "direct"),
            "reported": sum(1 for a in articles for q in a.quotes if q.form == "reported"),
            "figure": sum(len(a.figures) for a in articles),
        }
        results.append(
            PartResult(part, score(articles, proposer), score(articles, baseline), gold_counts)
        )
    return results
