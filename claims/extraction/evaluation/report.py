"""The evaluation as a plain-text table (per part and kind, extractor beside baseline) and
as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claims.extraction.evaluation.scoring import KINDS, MEASURES, QUOTE_MEASURES, Ratio, Scores

KIND_TITLES = {"direct": "direct quotes", "reported": "reported quotes", "figure": "figures"}


@dataclass
class PartResult:
    part: str
    extractor: Scores
    baseline: Scores
    gold_counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "articles": self.extractor.articles,
            "gold": self.gold_counts,
            "extractor": self.extractor.as_dict(),
            "baseline": self.baseline.as_dict(),
        }


def _cell(ratio: Ratio) -> str:
    if ratio.value is None:
        return "—"
    return f"{ratio.value:.2f} ({ratio.hits}/{ratio.total})"


def as_text(results: Sequence[PartResult]) -> str:
    lines: list[str] = []
    for result in results:
        counts = ", ".join(f"{n} {KIND_TITLES[k]}" for k, n in result.gold_counts.items())
        lines.append(
            f"Extraction evaluation: {result.part} part, {result.extractor.articles} articles "
            f"(gold: {counts})"
        )
        if not result.extractor.articles:
            lines += ["  no articles yet", ""]
            continue
        lines.append(f"  {'':<34}{'extractor':<18}{'baseline (every sentence)':<18}")
        for kind in KINDS:
            lines.append(f"  {KIND_TITLES[kind]}")
            for measure in MEASURES if kind == "figure" else QUOTE_MEASURES:
                ours, theirs = result.extractor[kind][measure], result.baseline[kind][measure]
                lines.append(f"    {MEASURES[measure]:<32}{_cell(ours):<18}{_cell(theirs)}")
        lines.append("")
    lines.append(
        "Recall and attribution count gold items; precision counts proposals of that kind. "
        "Attribution, value, qualifier, metric and period are over matched items; "
        '"wrong" shares count non-empty answers that are wrong (empty is not wrong).'
    )
    return "\n".join(lines)
