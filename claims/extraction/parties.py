"""Names in the text matched with the parties the database knows: full names, surnames,
short forms ("Mike" for Michael), acronyms, and "the agency" for the agency in context."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from claims.extraction.types import KnownParty

# Short forms of given names, so "Mike Evans" is Michael Evans and "Kate Moss" Katherine Moss.
NICKNAMES = {
    "mike": "michael", "mick": "michael", "kate": "katherine", "katie": "katherine",
    "kathy": "katherine", "cathy": "catherine", "bill": "william", "will": "william",
    "bob": "robert", "rob": "robert", "jim": "james", "jimmy": "james", "tom": "thomas",
    "liz": "elizabeth", "beth": "elizabeth", "dan": "daniel", "dave": "david",
    "chris": "christopher", "jon": "jonathan", "alex": "alexander", "sam": "samuel",
    "ben": "benjamin", "tony": "anthony", "nick": "nicholas", "pete": "peter",
    "steve": "stephen", "matt": "matthew", "andy": "andrew", "sue": "susan",
    "jen": "jennifer", "joe": "joseph", "greg": "gregory", "ed": "edward", "ted": "edward",
    "rick": "richard", "dick": "richard", "jack": "john", "pat": "patrick", "tim": "timothy",
    "ron": "ronald", "don": "donald", "ken": "kenneth", "jeff": "jeffrey",
    "charlie": "charles", "fred": "frederick", "meg": "margaret", "maggie": "margaret",
}  # fmt: skip
# Words that make a name an organisation rather than a person.
ORG_WORDS = {
    "group", "association", "police", "inc", "ltd", "office", "ministry", "department",
    "agency", "company", "corp", "council", "coalition", "alliance", "commission", "bureau",
    "institute", "federation", "union", "foundation", "authority", "court", "government",
    "university", "league", "campaign", "securities", "capital", "bank", "holdings",
    "partners", "shipping", "pharma", "motors", "resources", "analytics", "energy", "port",
    "news", "trust", "society", "board", "service", "services", "plc", "llc", "network",
    "centre", "center", "fund", "mining", "airlines", "labs", "systems", "technologies",
    "academy", "cooperative", "administration", "chamber",
}  # fmt: skip
# What "the agency", "the company", "the miner" can refer to: the words of an
# organisation's name each stands for (an empty set: any organisation that is a business).
GENERIC_NOUNS: dict[str, set[str]] = {
    "agency": {"agency"}, "ministry": {"ministry"}, "department": {"department"},
    "commission": {"commission"}, "council": {"council"}, "league": {"league"},
    "association": {"association"}, "alliance": {"alliance"}, "campaign": {"campaign"},
    "authority": {"authority"}, "institute": {"institute"}, "office": {"office"},
    "government": {"government", "ministry"},
    "group": {"group", "league", "association", "alliance", "campaign", "coalition"},
    "regulator": {"agency", "commission", "authority", "office", "regulator"},
    "watchdog": {"agency", "commission", "authority", "office", "watchdog"},
    "company": set(), "firm": set(), "carmaker": set(), "automaker": set(), "miner": set(),
    "manufacturer": set(), "drugmaker": set(), "retailer": set(), "platform": set(),
    "giant": set(), "business": set(), "operator": set(), "insurer": set(), "bank": set(),
    "city": {"city"}, "union": {"union"}, "federation": {"federation"},
    "cooperative": {"cooperative"}, "board": {"board"}, "academy": {"academy"},
}  # fmt: skip
# The head noun of an organisation's name stands for it too: "the bureau" for the Taran
# Fisheries Bureau, "the port" for the Port of Caldmouth, "the chamber" for a chamber of commerce.
for _head in (
    "bureau", "port", "chamber", "court", "police", "foundation", "trust", "society",
    "network", "centre", "center", "fund", "university", "coalition", "administration",
):  # fmt: skip
    GENERIC_NOUNS.setdefault(_head, {_head})
PUBLIC_WORDS = {
    "agency", "ministry", "department", "commission", "council", "league", "association",
    "alliance", "campaign", "authority", "institute", "office", "government", "police",
    "court", "union", "federation", "coalition", "group", "society", "trust", "board",
    "bureau", "chamber", "university", "foundation",
}  # fmt: skip
_ACRONYM_SKIP = re.compile(r"\b(?:of|the|and|for)\b")


def first_name_forms(word: str) -> set[str]:
    word = word.lower()
    return {word, NICKNAMES.get(word, word)}


class PartyIndex:
    """Matches names in the text with the parties the database knows."""

    def __init__(self, parties: Sequence[KnownParty]) -> None:
        self.parties = list(parties)
        self.by_id = {p.id: p for p in self.parties}
        self.aliases: list[tuple[str, KnownParty]] = []
        for party in self.parties:
            name = party.name
            self.aliases.append((name.lower(), party))
            short = re.sub(r"\s*\(.*?\)", "", name)
            short = re.sub(r"\b(?:Group|Inc\.?|Ltd\.?|Corp\.?|Limited|plc)$", "", short).strip()
            if short and short != name:
                self.aliases.append((short.lower(), party))
            for part in (name, *re.split(r"\bof (?:the )?", name)[1:]):
                words = re.findall(r"[A-Z]\w*", _ACRONYM_SKIP.sub("", part))
                if len(words) >= 3:
                    self.aliases.append(("".join(w[0] for w in words).lower(), party))

    def organisations(self) -> list[KnownParty]:
        return [p for p in self.parties if not p.is_person]

    def person(self, name: str) -> KnownParty | None:
        """A known person by full name, by a short form of the given name, or by surname."""
        words = [w.lower() for w in name.replace("’", "'").split()]
        if not words:
            return None
        found = []
        for party in self.parties:
            if not party.is_person:
                continue
            known = party.name.lower().split()
            if words == known:
                return party
            if len(words) == 1 and words[0] in (known[-1], known[0]) and len(known) > 1:
                found.append(party)  # a surname, or a family name written first ("Gao")
            elif (
                len(words) >= 2
                and len(known) >= 2
                and words[-1] == known[-1]
                and first_name_forms(words[0]) & first_name_forms(known[0])
            ):
                return party  # "Mike Osei" for Michael Osei
        return found[0] if len(found) == 1 else None

    def organisation(self, text: str) -> KnownParty | None:
        """A known organisation named by text: its name, short name, acronym or the
        distinctive first word of its name ("Meridian" for Meridian Motors)."""
        text = re.sub(r"^(?:the|an?)\s+", "", text.strip().lower())
        text = re.sub(r"['’]s?$", "", text).strip()
        if len(text) < 2:
            return None
        best: tuple[float, KnownParty] | None = None
        for alias, party in self.aliases:
            if party.is_person:
                continue
            if alias == text:
                return party
            score = fuzz.ratio(alias, text) if min(len(alias), len(text)) > 3 else 0
            if score >= 90 and (best is None or score > best[0]):
                best = (score, party)
        if best:
            return best[1]
        # "Ministry of Commerce" or "Foreign Ministry" for the Tarvos Ministry of (Foreign
        # Affairs|Commerce): every word of text in the name of exactly one organisation.
        words = set(re.findall(r"\w+", text)) - {"of", "the", "and", "for"}
        if len(words) >= 2:
            within = [
                p
                for p in self.organisations()
                if words <= {w.lower() for w in re.findall(r"\w+", p.name)}
            ]
            if len(within) == 1:
                return within[0]
        heads = [
            p
            for p in self.organisations()
            if (first := p.name.split()[0].lower()) == text
            and first not in ORG_WORDS | PUBLIC_WORDS | {"national", "state", "the"}
        ]
        return heads[0] if len(heads) == 1 else None

    def office(self, field: str, title: str) -> KnownParty | None:
        """ "Energy Minister": the Ministry of Energy, when the database knows it."""
        body = {"minister": "ministry", "secretary": "department"}.get(title)
        return self.organisation(f"{field} {body}") if body else None

    def mentions(self, text: str) -> Iterable[tuple[int, KnownParty]]:
        """Every mention of a known organisation in text, with its offset."""
        for alias, party in self.aliases:
            if party.is_person or len(alias) < 3:
                continue
            for match in re.finditer(rf"\b{re.escape(alias)}\b", text, re.IGNORECASE):
                yield match.start(), party

    def generic(self, noun: str, recent: Sequence[KnownParty | str]) -> KnownParty | str | None:
        """What "the agency" or "the company" refers to: the organisation met most recently
        whose name has that word (a business for "the company"), or the only known one."""
        words = GENERIC_NOUNS.get(noun.lower())
        if words is None:
            return None

        def fits(name: str) -> bool:
            name_words = {w.lower() for w in re.findall(r"\w+", name)}
            return bool(name_words & words) if words else not name_words & PUBLIC_WORDS

        for party in reversed(recent):
            if fits(party if isinstance(party, str) else party.name):
                return party
        known = [p for p in self.organisations() if fits(p.name)]
        return known[0] if len(known) == 1 else None
