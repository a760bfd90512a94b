"""Which known metric a figure measures, guessed from the words around it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from claims.extraction.types import KnownMetric

# Words of a fall. Defined here rather than in figures.py, which also reads them (a falling
# percentage is negative), because figures.py imports guess_metric from this module.
DECLINE = re.compile(
    r"\b(?:declin\w*|fell|fall(?:en|s)?|down|drop\w*|decreas\w*|reduc\w*|lower|cut|shr[iu]nk\w*|"
    r"slipp?\w*|fewer)\b",
    re.I,
)

_RISE = re.compile(
    r"\b(?:increas\w*|ris\w*|rose|gr[eo]w\w*|up|rais\w*|climb\w*|jump\w*|higher|fewer|more)\b", re.I
)
_STOPWORDS = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "to",
    "and",
    "or",
    "for",
    "by",
    "with",
    "its",
    "it",
    "as",
    "at",
    "that",
    "this",
    "were",
    "was",
    "is",
    "are",
    "be",
    "number",
    "year",
    "per",
    "cent",
}


def _content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z][a-z’'-]+", text.lower())
    return [w.rstrip("s") if len(w) > 4 else w for w in words if w not in _STOPWORDS]


_GENERIC_METRIC_WORDS = {"change", "share", "total", "rate", "level", "amount", "average"}


def _common_words(name: str, context: str) -> str:
    """The metric's name without the proper names the sentence also capitalises."""
    words = name.split()
    return " ".join(
        w
        for i, w in enumerate(words)
        if not (
            w[:1].isupper()
            and (i > 0 or (re.search(rf"\b{re.escape(w)}\b", context) and w.lower() not in context))
        )
    )


def guess_metric(
    *, noun: str, near: str, context: str, unit: str, metrics: Sequence[KnownMetric]
) -> KnownMetric | None:
    """The known metric of the same unit that best matches the words around a figure.

    The counted noun ("1,910 *leads*") weighs most, then the words next to the figure,
    then the rest of its sentence; each compared word by word with rapidfuzz so that
    plurals and small spelling differences still match.
    """
    head = _content_words(noun)[-1:] if noun else []
    near_words = _content_words(near)
    if DECLINE.search(context) or _RISE.search(context):
        near_words.append("change")
    context_words = _content_words(context)

    def covered(words: list[str], among: list[str]) -> float:
        if not words or not among:
            return 0.0
        hits = sum(1 for w in words if any(fuzz.ratio(w, c) >= 85 for c in among))
        return hits / len(words)

    best: tuple[float, KnownMetric] | None = None
    for metric in metrics:
        if metric.unit and metric.unit != unit:
            continue
        name_words = _content_words(metric.name)
        definition_words = _content_words(metric.definition)
        # What the metric counts must be named next to the figure: a word of its name that
        # is neither generic ("change", "share") nor a proper name that only says whose
        # figure it is ("Brightline revenue" for any figure near "Brightline").
        counted = [
            w
            for w in _content_words(_common_words(metric.name, context))
            if w not in _GENERIC_METRIC_WORDS
        ]
        if counted and (
            covered(counted, context_words + head) < 0.5 or not covered(counted, near_words + head)
        ):
            continue
        if unit == "count" and head and not covered(head, name_words + definition_words):
            continue  # "38,000 people" are not "Vehicles recalled"
        if name_words[:1] == ["change"] and "change" not in near_words:
            continue  # a level is not a change ("slipped to 11 per cent")
        score = (
            0.4 * covered(head, name_words)
            + 0.1 * covered(head, definition_words)
            + 0.3 * covered(name_words, near_words)
            + 0.1 * covered(name_words, context_words)
            + 0.1 * covered(definition_words, near_words)
        )
        if score >= 0.15 and (best is None or score > best[0]):
            best = (score, metric)
    return best[1] if best else None
