"""Who said it: the speaker and party the grammar of reporting gives a passage ("X said",
"said X, the company's chief ...", "according to X", "in a statement, X"), carried across
sentences ("he added", "the company said"), with a cue and a confidence. Where the text
does not settle it, the attribution is left empty rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from claims.extraction.grammar import (
    ACCORDING,
    GENERIC_IN,
    IN_STATEMENT,
    LEADING_JUNK,
    ORG_AFTER,
    ORG_RUN,
    POSSESSIVE,
    attribution_after,
    attribution_before,
    common_noun,
    is_org_name,
    name_runs,
)
from claims.extraction.parties import GENERIC_NOUNS, PartyIndex
from claims.extraction.types import KnownParty
from claims.extraction.vocabulary import (
    DOCUMENTS,
    MONTH_NAMES,
    NOT_NAMES,
    TITLES,
    VAGUE,
)


@dataclass
class Attribution:
    speaker: str = ""
    party: str = ""
    speaker_id: int | None = None
    party_id: int | None = None
    new_party: str = ""
    new_party_affiliation: str = ""
    cue: str = ""
    confidence: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.speaker or self.party)

    def carried(self, cue: str, confidence: float) -> Attribution:
        return replace(self, cue=cue, confidence=min(self.confidence, confidence))

    def proposal_fields(self) -> dict[str, Any]:
        """The Proposal fields this attribution fills: one list for quotes, reported
        speech and figures alike."""
        return {
            "speaker": self.speaker,
            "party": self.party,
            "speaker_id": self.speaker_id,
            "party_id": self.party_id,
            "new_party": self.new_party,
            "new_party_affiliation": self.new_party_affiliation,
            "cue": self.cue,
            "confidence": round(self.confidence, 2),
        }

    @property
    def is_person(self) -> bool:
        return bool(self.speaker)


class Attributor:
    """Resolves who said what, remembering earlier speakers for "she added" and "Evans"."""

    def __init__(self, body: str, parties: Sequence[KnownParty]) -> None:
        self.body = body
        self.index = PartyIndex(parties)
        self.mentions = sorted(self.index.mentions(body), key=lambda m: m[0])
        self.previous = Attribution()  # the last attributed quote
        self.previous_end = -1
        self.last_person = Attribution()
        self.last_org = Attribution()
        self.seen: dict[str, Attribution] = {}  # each part of a name met → its attribution
        # Organisations the database does not know, named in the body ("the Marine Stock
        # Council"), so that "the council" can refer to one before it is a speaker.
        self.new_orgs: list[tuple[int, str]] = [
            (m.start(), name)
            for m in ORG_RUN.finditer(body)
            if is_org_name(name := re.sub(r"^The\s+", "", m.group()))
            and self.index.organisation(name) is None
            and name.split()[0].lower() not in NOT_NAMES
            and len(name.split()) > 1
        ]
        self.documents: dict[str, Attribution] = {}
        self.titles: dict[str, Attribution] = {}  # "mayor" → the person named Mayor X
        self.people: list[Attribution] = []  # persons named, the last last
        self.pronouns: dict[str, str] = {}  # speaker → "he" or "she", as the text calls them
        self.author = Attribution()  # who wrote the text, for its "we" and "our"

    # -- resolving one mention -------------------------------------------------------------
    def _org(self, text: str, at: int) -> Attribution:
        text = re.sub(r"^(?:the|an?|its)\s+", "", text.strip(), flags=re.I).strip()
        text = re.sub(r"[’']s?$", "", text).strip()
        if not text:
            return Attribution()
        if party := self.index.organisation(text):
            return Attribution(party=party.name, party_id=party.id, confidence=0.9)
        head = text.split()[-1].lower()
        if len(text.split()) <= 2 and head in GENERIC_NOUNS and not text[0].isupper():
            return self.generic(head, at)
        if head in GENERIC_NOUNS and len(text.split()) == 1:
            return self.generic(head, at)
        if text[0].isupper():
            self.new_orgs.append((at, text))
            return Attribution(party=text, new_party=text, confidence=0.6)
        return Attribution()

    def generic(self, noun: str, at: int) -> Attribution:
        recent: list[tuple[int, KnownParty | str]] = [m for m in self.mentions if m[0] < at]
        recent += [(pos, name) for pos, name in self.new_orgs if pos < at]
        if self.last_org.party:
            # the organisation last attributed weighs as the most recent
            last = self.index.by_id.get(self.last_org.party_id or 0) or self.last_org.party
            recent.append((at, last))
        recent.sort(key=lambda m: m[0])
        found = self.index.generic(noun, [p for _, p in recent])
        if found is None:
            return Attribution()
        if isinstance(found, str):
            return Attribution(party=found, new_party=found, cue=f"the {noun}", confidence=0.5)
        return Attribution(party=found.name, party_id=found.id, cue=f"the {noun}", confidence=0.7)

    def _person(self, name: str, org: Attribution) -> Attribution:
        name = re.sub(r"^(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+", "", name)
        if person := self.index.person(name):
            result = Attribution(speaker=person.name, speaker_id=person.id, confidence=0.9)
            if affiliation := self.index.by_id.get(person.affiliation_id or 0):
                result.party, result.party_id = affiliation.name, affiliation.id
            elif org:
                result.party, result.party_id = org.party, org.party_id
            return result
        for part in name.split():
            earlier = self.seen.get(part.lower())
            if earlier and (
                len(name.split()) == 1 or earlier.speaker.lower().endswith(name.lower())
            ):
                return earlier.carried(f"{name} → {earlier.speaker}", 0.8)
        if len(name.split()) == 1:
            if common_noun(self.body, name):
                return org  # "Installers warn …": the word is written lower case elsewhere
            full = re.search(
                rf"\b([A-Z][\w’'-]+(?: (?:van|von|de|der|da|al))? {re.escape(name)})\b",
                self.body,
            )
            if (
                full
                and full.group(1).split()[0].lower() not in NOT_NAMES | TITLES
                and not is_org_name(full.group(1))
                and self.index.organisation(full.group(1)) is None
            ):
                name = full.group(1)
            else:
                return self._org(name, 0) if org.party == "" else org
        result = Attribution(
            speaker=name,
            party=org.party,
            party_id=org.party_id,
            new_party=name,
            new_party_affiliation=org.party,
            confidence=0.75 if org else 0.5,
        )
        return result

    def resolve(self, raw: str, at: int) -> Attribution:
        """The party and speaker a phrase such as "Mike Osei, the agency's director" names;
        a title it gives a person ("Mayor Daniel Okafor") is remembered for "the mayor"."""
        who = self._resolve(raw, at)
        if who.speaker and not re.match(r"\W*(?:the|this|he|she)\b", raw, re.I):
            for word in re.findall(r"[a-z]+", raw.lower()):
                if word in TITLES - {"senior", "general", "vice", "managing", "head", "chief"}:
                    self.titles[word] = who
        return who

    def _resolve(self, raw: str, at: int) -> Attribution:
        raw = re.sub(r"\s+", " ", raw).strip(" “”\"'‘’–—-,")
        raw = LEADING_JUNK.sub("", raw).strip()
        # "Amir Haddad, who has driven for Zipride for six years": a relative clause
        # describes the speaker; only one saying what they head or work for affiliates them.
        raw = re.sub(
            r",\s+who\s+(?!(?:heads|leads|chairs|runs|directs|manages|works|is|was|founded|"
            r"co-founded|represents|speaks)\b).*$",
            "",
            raw,
        )
        raw = re.sub(
            r"\s+(?:on|in|at|during|last|this|earlier)\s+(?:\w+day|week|month|year|"
            rf"{'|'.join(m.capitalize() for m in MONTH_NAMES)}|an?\s+(?:statement|interview|"
            r"letter|briefing|press\s+conference))\b.*$",
            "",
            raw,
        )
        if not raw:
            return Attribution()
        lower = raw.lower()
        words = lower.split()
        head = re.sub(r"[’']s?$", "", words[-1])
        if len(words) > 1 and words[-1] in VAGUE and raw.split()[0][0].isupper():
            # "Health officials": officials of a known organisation so named, else nobody's
            body_of = self.index.organisation(" ".join(raw.split()[:-1]))
            if body_of is None:
                return Attribution()
            return Attribution(party=body_of.name, party_id=body_of.id, confidence=0.6)
        if words[0] in VAGUE:
            # "Analysts at Fenwick Securities" name their firm; "many analysts" nobody.
            firm = ORG_AFTER.search(raw)
            return (
                self._org(firm.group("org"), at)
                if firm and firm.group("org")[0].isupper()
                else Attribution()
            )
        # "the Detmold-based carmaker": a description, whatever capitals its modifiers have;
        # "the city's own transport office" is the city's, when no office is in context.
        if (
            words[0] in {"the", "its"}
            and head in GENERIC_NOUNS
            and "," not in raw
            and raw.split()[-1].islower()
            and ((found := self.generic(head, at)) or not POSSESSIVE.search(raw))
        ):
            return found
        title = re.fullmatch(r"(?:the|this)\s+(?:\w+\s+)?(\w+)(?:[’']s\s+\w+)?", lower)
        if title and title.group(1) in TITLES and (named := self.titles.get(title.group(1))):
            # "the mayor", "the mayor's office": the person that title was given to
            if not lower.endswith(title.group(1)):
                return Attribution(party=named.party, party_id=named.party_id, confidence=0.6)
            return named.carried(f"“{raw}” → {named.speaker}", 0.75)
        if lower in {"he", "she"}:
            person = self._by_pronoun(lower)
            return person.carried(f"“{raw}” → {person.speaker}", 0.75)
        if re.fullmatch(r"(?:the|this)\s+(?:\w+\s+)?(\w+)", lower) and words[-1] in TITLES:
            return self.last_person.carried(f"“{raw}” → {self.last_person.speaker}", 0.75)
        if self.author and (lower == "we" or lower.startswith("our ")):
            return self.author.carried(f"“{raw}” → {self.author.party}, who wrote this", 0.7)
        if lower in {"it", "they", "we"}:
            return self.last_org.carried(f"“{raw}” → {self.last_org.party}", 0.7)
        if (head in DOCUMENTS or (len(words) > 1 and words[-2] in DOCUMENTS)) and not (
            self.index.organisation(raw)  # "Kestrel Data" is a name, not a document
        ):
            owner = self._document_owner(raw, head, at)
            return owner.carried(f"{raw} → {owner.party}", 0.6) if owner else Attribution()
        org = Attribution()
        if known := min(self.index.mentions(raw), key=lambda m: m[0], default=None):
            org = Attribution(party=known[1].name, party_id=known[1].id, confidence=0.9)
        # "analyst at Barrow Capital", "spokesman for the ministry"; not the "of" inside a
        # name ("Department of Health").
        people = [n for n in name_runs(raw) if len(n.split()) > 1 and not is_org_name(n)]
        after = [
            m
            for m in ORG_AFTER.finditer(raw)
            if not m.group("before")[0].isupper()
            or any(n.endswith(m.group("before")) for n in people)  # "Jane Roe of Acme"
        ]
        if not org and after:
            org = self._org(after[0].group("org"), at)
        if not org:
            for match in POSSESSIVE.finditer(raw):
                candidate = match.group("who")
                if candidate.lower() in {"it", "its"}:
                    org = self.last_org.carried("its", 0.7)
                elif candidate.lower().split()[-1] in TITLES and self.last_person.party:
                    # "the mayor's office": the organisation of the person that title names
                    last = self.last_person
                    org = Attribution(party=last.party, party_id=last.party_id, confidence=0.6)
                elif not self.index.person(candidate.split()[-1]):
                    org = self._org(candidate, at)
                if org:
                    break
        if not org and re.match(r"^its\b", lower):
            org = self.last_org.carried("its", 0.7)
        if not org and self.author and re.search(r"\bour\b", lower):
            org = self.author  # "Dr Sunita Rao, our chair"
        names = name_runs(raw)
        person_names = [n for n in names if not is_org_name(n)]
        if not org:
            title_at = next((i for i, w in enumerate(words) if w in TITLES), None)
            if title_at:
                before = " ".join(raw.split()[:title_at]).split(",")[-1]
                # "Ministry of Commerce spokesperson Shu Ting": the whole name before the title
                runs = [
                    r
                    for r in ORG_RUN.findall(before)
                    if is_org_name(r) or self.index.organisation(r)
                ] or name_runs(before)
                if runs and (office := self.index.office(runs[-1], words[title_at])):
                    org = Attribution(party=office.name, party_id=office.id, confidence=0.8)
                elif runs:
                    org = self._org(runs[-1], at)
                    person_names = [n for n in person_names if n not in runs[-1]]
                elif words[title_at - 1] in GENERIC_NOUNS:
                    org = self.generic(words[title_at - 1], at)
        if not org and (orgs := [n for n in ORG_RUN.findall(raw) if is_org_name(n)]):
            org = self._org(orgs[0], at)
        if not org and (generic := GENERIC_IN.search(raw)):
            org = self.generic(generic.group("noun").lower(), at)
        person_names = [n for n in person_names if not (org and (n in org.party or is_org_name(n)))]
        # a full name before a lone capitalised word ("Fisheries Minister Katrin Holm")
        person_names.sort(key=lambda n: len(n.split()) < 2)
        if person_names and (len(person_names[0].split()) > 1 or self._is_surname(person_names[0])):
            return self._person(person_names[0], org)
        if org:
            return org
        if person_names and (known_org := self.index.organisation(person_names[0])):
            # "Agrilon stated": the distinctive first word of a known organisation's name
            return Attribution(party=known_org.name, party_id=known_org.id, confidence=0.8)
        if person_names:
            return self._person(person_names[0], org)
        if head in GENERIC_NOUNS:
            return self.generic(head, at)
        return Attribution()

    def _is_surname(self, word: str) -> bool:
        if self.index.person(word) or word.lower() in self.seen:
            return True
        return self.index.organisation(word) is None and bool(
            re.search(rf"\b[A-Z][\w’'-]+ {re.escape(word)}\b", self.body)
        )

    def _document_owner(self, raw: str, noun: str, at: int) -> Attribution:
        for owned in POSSESSIVE.finditer(raw):
            if owner := self._org(owned.group("who"), at):
                return owner
        if after := ORG_AFTER.search(raw):
            return self._org(after.group("org"), at)
        if len(raw.split()) >= 2 and raw.split()[-2].lower() in GENERIC_NOUNS:
            return self.generic(raw.split()[-2].lower(), at)
        return self.documents.get(noun, Attribution())

    # -- state ---------------------------------------------------------------------------
    def _by_pronoun(self, pronoun: str) -> Attribution:
        """The person "he" or "she" refers to: the last one named whom the text has not
        already called by the other pronoun; nobody rather than the wrong one."""
        for person in reversed(self.people):
            known = self.pronouns.get(person.speaker)
            if known in (None, pronoun):
                self.pronouns[person.speaker] = pronoun
                return person
        return Attribution()

    def _met(self, person: Attribution) -> None:
        self.last_person = person
        self.people = [p for p in self.people if p.speaker != person.speaker] + [person]

    def notice(self, person: Attribution) -> None:
        """A person named in narration: the antecedent of the next "he" or "she"."""
        self._met(person)
        for part in person.speaker.split():
            self.seen.setdefault(part.lower(), person)

    def remember(self, who: Attribution, sentence: str = "") -> None:
        if not who:
            return
        if who.speaker:
            self._met(who)
            for part in who.speaker.split():
                if part[0].isupper():
                    self.seen[part.lower()] = who
        if who.party:
            self.last_org = Attribution(party=who.party, party_id=who.party_id, confidence=0.7)
        for noun in DOCUMENTS:
            if re.search(rf"\b{noun}\b", sentence, re.I):
                self.documents.setdefault(noun, who)

    def raw_for_quote(self, first: tuple[int, int], last: tuple[int, int], start: int, end: int):
        raw = attribution_after(self.body, end, last[1])
        raw = raw or attribution_before(self.body, first[0], start)
        if raw:
            return raw, "said X"
        for pattern, cue in ((ACCORDING, "according to X"), (IN_STATEMENT, "in a statement, X")):
            if match := pattern.search(self.body, first[0], max(last[1], end)):
                return match.group("who"), cue
        return "", ""

    def attribute(
        self, first: tuple[int, int], last: tuple[int, int], start: int, end: int
    ) -> Attribution:
        """The attribution of a direct quote, from the words around it or carried over."""
        raw, cue = self.raw_for_quote(first, last, start, end)
        who = self.resolve(raw, start) if raw else Attribution()
        if who and not who.cue:
            who.cue = cue.replace("X", raw.strip()[:60])
        gap = self.body[self.previous_end : start] if self.previous_end >= 0 else "\n\n"
        if not who and not raw and self.previous and gap.count("\n\n") <= 1:
            # A second quote straight after the first, or opening the next paragraph.
            who = self.previous.carried("carried from previous sentence", 0.6)
        self.previous = who
        self.remember(who, self.body[first[0] : last[1]])
        self.previous_end = end
        return who
