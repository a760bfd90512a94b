"""People met in narration, for the pronouns and quotes that refer to them: "Those were the
words of Calloway's general manager, Mark Tully" makes Tully the "he" of the next sentence
and the speaker of the unattributed quote just before it."""

from __future__ import annotations

import re
from dataclasses import replace

from claims.extraction.attribution import Attribution, Attributor
from claims.extraction.grammar import ORG_RUN, is_org_name
from claims.extraction.parties import GENERIC_NOUNS
from claims.extraction.types import Proposal
from claims.extraction.vocabulary import NOT_NAMES, TITLES

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


_PASSIVE = re.compile(r"\s+(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+\w+(?:ed|en)\b")


def notice_subject(attributor: Attributor, sentence: str) -> None:
    """An organisation that opens a sentence of narration ("Clearspring sees things
    differently.") is the "it" and "its" of what follows, as a speaker would be."""
    if subject := subject_org(attributor, sentence, at=-1, strict=False):
        attributor.last_org = subject


def subject_org(attributor: Attributor, sentence: str, at: int, strict: bool = True) -> Attribution:
    """The organisation a sentence opens with: its name, or (strict, for the figures of
    narration) only its full name or "the company" for the one in context, since a
    place's name is often an organisation's first word ("Velden handled …")."""
    if strict and (generic := re.match(r"\W*[Tt]he\s+([a-z]+)\s+[a-z]", sentence)):
        noun = generic.group(1)
        if noun not in GENERIC_NOUNS or _PASSIVE.match(sentence, generic.end(1)):
            return Attribution()
        return attributor.generic(noun, at)
    run = re.match(rf"\W*(?:[Tt]he\s+)?({ORG_RUN.pattern})(?![’'])", sentence)
    if not run or run.group(1).split()[0].lower() in NOT_NAMES:
        return Attribution()
    if strict and _PASSIVE.match(sentence, run.end()):
        return Attribution()  # "Lumen Social was fined €18.5 million": not its claim
    name = run.group(1)
    if strict:
        known = [p for at_, p in attributor.index.mentions(name) if at_ == 0]
        party = known[0] if known else None
    else:
        party = attributor.index.organisation(name)
    if party:
        return Attribution(party=party.name, party_id=party.id, confidence=0.7)
    if is_org_name(name) and not strict:
        return Attribution(party=name, new_party=name, confidence=0.5)
    return Attribution()
