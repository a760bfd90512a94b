"""People met in narration, for the pronouns and quotes that refer to them: "Those were the
words of Calloway's general manager, Mark Tully" makes Tully the "he" of the next sentence
and the speaker of the unattributed quote just before it."""

from __future__ import annotations

import re
from dataclasses import replace

from claims.extraction.attribution import Attribution, Attributor
from claims.extraction.types import Proposal
from claims.extraction.vocabulary import TITLES

_WORD = r"[A-Z][\w’'-]+"
# A person's name of two words or more, with the description before or after it.
_PERSON = re.compile(
    rf"(?:(?P<pre>(?:{_WORD}[’']s?|[Tt]he|[Ii]ts)\s+(?:[a-z][\w-]*\s+){{0,3}}[a-z][\w-]*),\s+)?"
    rf"(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?{_WORD}(?:\s+(?:van\s+|de\s+|von\s+)?{_WORD})+)"
    r"(?:,\s+(?P<app>[^,.;“”\"]{3,100})(?=,))?"
)
# How far into a sentence the person it introduces may be named ("The remark came from X").
NEAR_START = 60


def first_person(attributor: Attributor, text: str, at: int) -> tuple[int, Attribution]:
    """The first person text names, resolved with their description, and where; else
    (-1, empty)."""
    for match in _PERSON.finditer(text):
        raw = match.group("name")
        if match.group("pre"):
            raw = f"{match.group('pre')}, {raw}"
        elif match.group("app"):
            raw = f"{raw}, {match.group('app')}"
        description = (match.group("pre") or match.group("app") or "").lower().split()
        description += match.group("name").lower().split()  # "Councillor Ruth Ames"
        if not set(description) & TITLES and attributor.index.person(match.group("name")) is None:
            continue  # two capitalised words without a title may be a place ("Tallow Creek")
        who = attributor.resolve(raw, at + match.start())
        if who.speaker:
            return match.start(), who
    # "Back on the terraces, Telmo has started …": a surname met before, alone.
    for match in re.finditer(rf"(?<![\w’'-]){_WORD}(?![\w’'-])", text[: NEAR_START + 20]):
        if (earlier := attributor.seen.get(match.group().lower())) and earlier.speaker:
            return match.start(), earlier.carried(f"{match.group()} → {earlier.speaker}", 0.8)
    return -1, Attribution()


def attributed(quote: Proposal, who: Attribution, cue: str) -> Proposal:
    return replace(
        quote,
        **{**who.proposal_fields(), "cue": cue, "confidence": round(min(who.confidence, 0.6), 2)},
    )
