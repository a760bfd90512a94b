"""Who said it: the speaker and party the text attributes a passage to, and the index that
matches names in the text with the parties the database knows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz

from claims.extraction.types import KnownParty

_VERB = (
    r"said|says|say|added|adds|stated|states|claimed|claiming|proclaimed|told|wrote|"
    r"writes|explained|noted|notes|argued|argues|insisted|warned|urged|calls|called|"
    r"commented|declared|announced|estimates|insists|suggests"
)
# After a quote the verb comes first only for plain verbs of saying (“…,” said X).
_VERB_FIRST = r"said|says|added|adds|stated|wrote|explained|noted|declared|told \w+"
_VERB_RE = re.compile(rf"\b(?:{_VERB})\b")
_ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;:“”\"\n]{2,90})", re.IGNORECASE)
_IN_STATEMENT = re.compile(r"\bin a statement,\s+(?P<who>[^,.;:“”\"\n]{2,90})", re.IGNORECASE)
_DASH_BYLINE = re.compile(r"^[\s\"”’]*\n\s*[–—-]\s*(?P<who>[^\n]{2,120})")
_TITLES = {
    "president",
    "vice",
    "ceo",
    "cfo",
    "coo",
    "chief",
    "officer",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "minister",
    "secretary",
    "head",
    "executive",
    "manager",
    "founder",
    "senior",
    "general",
    "counsel",
    "representative",
    "editor",
    "analyst",
}
PRONOUNS = {"he", "she", "it", "they", "we", "i"}
# Capitalised words that start a sentence or an idiom ("All told") and name nobody.
_NOT_NAMES = {
    "all",
    "and",
    "but",
    "yet",
    "so",
    "however",
    "earlier",
    "over",
    "in",
    "on",
    "as",
    "this",
    "that",
    "the",
    "it",
    "its",
    "there",
    "speaking",
    "giving",
    "delivering",
}
_GENERIC = re.compile(
    r"^(?:the|this|that|its|his|her)\s+(?:e-commerce\s+|online\s+|chinese\s+|us\s+)?"
    r"(?:company|firm|group|giant|site|retailer|platform|marketplace|e-retailer|report|"
    r"agency|organisation|organization|association|statement|review|business)\b",
    re.IGNORECASE,
)
# Words that make a capitalised name an organisation rather than a person.
_ORG_WORDS = {
    "group",
    "association",
    "police",
    "inc",
    "ltd",
    "office",
    "ministry",
    "department",
    "agency",
    "company",
    "corp",
    "council",
    "coalition",
    "alliance",
    "commission",
    "bureau",
    "institute",
    "federation",
    "union",
    "foundation",
    "report",
    "authority",
    "court",
    "government",
    "university",
}
_NAME_WORD = re.compile(r"^[A-Z][\w’'.&-]*$")
_LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|yet|so|then|also|in|on|which|who|that|while|\d{4})\b[\s,]*)+", re.I
)


@dataclass
class _Who:
    speaker: str = ""
    org: str = ""
    coref: bool = False  # a pronoun or "the company": refers back to an earlier speaker


def _parse_who(raw: str) -> _Who:
    """Split "Alibaba Group President Michael Evans" into a person and an organisation."""
    head, _, apposition = raw.strip().partition(",")
    head = _LEADING_JUNK.sub("", head.strip(" “”\"'‘’–—-")).strip()
    of_org = ""
    if match := re.match(r"^(.*?[A-Z][\w’'-]*)\s+(?:of|at|from)\s+(?:the\s+)?([A-Z].*)$", head):
        head, of_org = match.group(1), match.group(2).strip()  # "Jane Roe of Acme"
    head = re.sub(r"\s+(?:in|on|at|during|with|to|from|when|after|before)\b.*$", "", head)
    head = re.sub(r"\s+\w+ly$", "", head).strip()
    if not head:
        return _Who()
    if head.lower() in PRONOUNS or _GENERIC.match(head):
        return _Who(coref=True, org="" if head.lower() in PRONOUNS else head)
    words = head.split()[-7:]
    if re.search(r"[’']s$", words[-1]):
        return _Who()  # a possessive ("the USTR’s statements") names no speaker
    name: list[str] = []
    for word in reversed(words):
        if _NAME_WORD.match(word) and word.lower() not in _TITLES | _NOT_NAMES:
            name.insert(0, word)
        else:
            break
    before = words[: len(words) - len(name)]
    has_title = any(w.lower() in _TITLES for w in words) or "officer" in apposition.lower()
    # The organisation is the capitalised run just before the title ("Alibaba Group
    # President", "an Alibaba spokesperson", "USTR ambassador").
    run: list[str] = []
    if has_title:
        for word in before:
            if word.lower() in _TITLES:
                break
            if _NAME_WORD.match(word) and word.lower() not in _NOT_NAMES:
                run.append(word)
            else:
                run = []
    org = " ".join(run)
    if len(name) == 1 and not has_title:
        if before:
            return _Who(org=name[0])  # "Chinese e-commerce giant Alibaba"
        return _Who(speaker=name[0])  # a surname already met, or an organisation
    if not name:
        return _Who(org=org)
    org = org or of_org
    if any(w.lower().strip(".") in _ORG_WORDS for w in name):
        return _Who(org=" ".join(name))  # "Watchdog Group", "City of London Police"
    if not org and apposition:
        if match := re.search(r"\b(?:of|at)\s+([A-Z][\w&’' -]+)", apposition):
            org = match.group(1).strip()
        elif _GENERIC.match(apposition.strip()) or "company" in apposition:
            return _Who(speaker=" ".join(name), org="the company", coref=True)
    return _Who(speaker=" ".join(name), org=org)


def _attribution_after(body: str, end: int, sentence_end: int) -> str:
    """“…,” said X  /  “…,” X said  /  “…”, which …, the USTR said in a statement."""
    if match := _DASH_BYLINE.match(body[end : end + 160]):
        return match.group("who")
    tail = body[end : max(sentence_end, end)].lstrip("”\"’' ,.")
    if match := re.match(
        rf"(?:{_VERB_FIRST})\s+(?P<who>(?:[A-Z]|the\b|an?\b)[^.,;:\n“]{{1,90}}"
        rf"(?:,[^.;\n“]{{2,90}})?)",
        tail,
    ):
        return match.group("who")
    if match := re.match(rf"(?P<who>[^.;:\n“]{{1,90}}?)\s+(?:{_VERB})\b", tail):
        return match.group("who")
    if match := re.search(rf",\s+(?P<who>[^,.;:\n“]{{1,60}}?)\s+(?:{_VERB})\b", tail):
        return match.group("who")
    return ""


def _attribution_before(body: str, sentence_start: int, start: int) -> str:
    """X said: “…”  /  In a statement, X said “…”  /  It added: “…”"""
    head = body[sentence_start : max(sentence_start, start - 1)]
    head = re.split(r"[”\"]", head)[-1]
    verbs = list(_VERB_RE.finditer(head))
    if not verbs:
        return ""
    before_verb = head[: verbs[-1].start()]
    segments = [seg.strip() for seg in re.split(r"[,;:(–—]", before_verb)]
    who = re.sub(r"\b(?:also|then|publicly|separately|has|have|had)\s*$", "", segments[-1])
    if not who.strip() and len(segments) > 1:
        # "..., Alibaba released a rebuttal, claiming “…”": the subject of the clause before.
        clauses = [seg for seg in segments[:-1] if seg]
        if clauses and (subject := re.match(r"(?:[A-Z][\w’'&.-]*\s?)+", clauses[-1])):
            who = subject.group().strip()
    return who.strip()


class _PartyIndex:
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
                words = re.findall(r"[A-Z]\w*", re.sub(r"\b(?:of|the|and|for)\b", "", part))
                if len(words) >= 3:
                    self.aliases.append(("".join(w[0] for w in words).lower(), party))
            if party.is_person and len(name.split()) >= 2:
                self.aliases.append((name.split()[-1].lower(), party))

    def match(self, text: str, *, person: bool | None = None) -> KnownParty | None:
        text = re.sub(r"^(?:the|an?)\s+", "", text.strip().lower())
        text = re.sub(r"[’']s$", "", text)
        if not text:
            return None
        best: tuple[float, KnownParty] | None = None
        for alias, party in self.aliases:
            if person is not None and party.is_person != person:
                continue
            if alias == text:
                return party
            score = fuzz.token_set_ratio(alias, text) if min(len(alias), len(text)) > 3 else 0
            if score >= 90 and (best is None or score > best[0]):
                best = (score, party)
        return best[1] if best else None

    def _organisations_named(self, text: str) -> Iterable[tuple[int, KnownParty]]:
        """Every mention of a known organisation in text, with its offset."""
        for alias, party in self.aliases:
            if party.is_person or len(alias) < 3:
                continue
            for match in re.finditer(rf"\b{re.escape(alias)}\b", text, re.IGNORECASE):
                yield match.start(), party

    def last_in(self, text: str) -> KnownParty | None:
        """The organisation named last before a passage: who the article is talking about."""
        found = max(self._organisations_named(text), key=lambda m: m[0], default=None)
        return found[1] if found else None

    def first_in(self, text: str) -> KnownParty | None:
        """The organisation named earliest in a sentence: the likely subject."""
        found = min(self._organisations_named(text), key=lambda m: m[0], default=None)
        return found[1] if found else None


@dataclass
class Attribution:
    speaker: str = ""
    party: str = ""
    speaker_id: int | None = None
    party_id: int | None = None


class Attributor:
    """Resolves who said what, remembering earlier speakers for "she added" and "Evans"."""

    def __init__(self, body: str, parties: Sequence[KnownParty]) -> None:
        self.body = body
        self.index = _PartyIndex(parties)
        self.previous = Attribution()
        self.previous_end = -1
        self.seen: dict[str, Attribution] = {}  # surname → earlier attribution

    def _person(self, result: Attribution, name: str) -> None:
        result.speaker = name
        if person := self.index.match(name, person=True):
            result.speaker, result.speaker_id = person.name, person.id
            if affiliation := self.index.by_id.get(person.affiliation_id or 0):
                result.party, result.party_id = affiliation.name, affiliation.id

    def attribute(
        self,
        first: tuple[int, int],
        last: tuple[int, int],
        start: int,
        end: int,
        *,
        is_quote: bool = True,
        raw: str | None = None,
    ) -> Attribution:
        if raw is None:
            raw = _attribution_after(self.body, end, last[1]) if is_quote else ""
            raw = raw or _attribution_before(self.body, first[0], start)
        who = _parse_who(raw) if raw else _Who()
        result = Attribution()
        if who.speaker and len(who.speaker.split()) == 1:
            earlier = self.seen.get(who.speaker.lower())
            full_name = re.search(
                rf"\b([A-Z][\w’'-]+ {re.escape(who.speaker)})\b", self.body[: max(start, 0)]
            )
            if earlier:
                result = Attribution(**asdict(earlier))
            elif self.index.match(who.speaker, person=True):
                self._person(result, who.speaker)
            elif full_name and full_name.group(1).split()[0].lower() not in _NOT_NAMES:
                self._person(result, full_name.group(1))  # "Peter Ratcliffe ... Ratcliffe said"
            else:
                result.party = who.speaker  # a one-word organisation ("Alibaba")
        elif who.speaker and self.index.match(who.speaker, person=False):
            result.party = who.speaker  # a known organisation with a two-word name
        elif who.speaker:
            self._person(result, who.speaker)
        if not result.party and who.org and not who.coref:
            result.party = who.org
        if not result.party:
            according = _ACCORDING.search(self.body, first[0], max(last[1], end))
            statement = _IN_STATEMENT.search(self.body, first[0], max(last[1], end))
            for match in (according, statement):
                if match and not result.party:
                    nested = _parse_who(match.group("who"))
                    if nested.speaker and len(nested.speaker.split()) > 1:
                        self._person(result, nested.speaker)
                    result.party = result.party or nested.org or nested.speaker
        same_paragraph = "\n" not in self.body[self.previous_end : start]
        if not result.party and not who.speaker and (who.coref or same_paragraph) and is_quote:
            # "she added", "the company said", or a second quote straight after the first.
            result.party, result.party_id = self.previous.party, self.previous.party_id
            if raw.strip().lower() in {"he", "she", ""}:
                result.speaker = self.previous.speaker
                result.speaker_id = self.previous.speaker_id
        if not result.party and who.coref and self.previous.party:
            result.party, result.party_id = self.previous.party, self.previous.party_id
        if result.party and result.party_id is None:
            if party := self.index.match(result.party, person=False):
                result.party, result.party_id = party.name, party.id
            elif self.index.parties and not is_quote:
                result.party = ""  # for figures, only a known party is worth a guess
        if not result.party:
            # The sentence's subject, looked for outside the quoted words themselves.
            outside: tuple[str, ...] = (
                self.body[first[0] : start],
                self.body[end : max(last[1], end)],
            )
            if not is_quote:
                outside = (self.body[first[0] : max(last[1], end)],)
            for text in outside:
                if subject := self.index.first_in(text):
                    result.party, result.party_id = subject.name, subject.id
                    break
        if not result.party and is_quote and self.previous.party:
            result.party, result.party_id = self.previous.party, self.previous.party_id
        if not result.party and (
            recent := self.index.last_in(self.body[max(0, start - 600) : start])
        ):
            result.party, result.party_id = recent.name, recent.id
        if is_quote:
            if result.speaker or result.party:
                self.previous = result
            self.previous_end = end
            if result.speaker and len(result.speaker.split()) > 1:
                self.seen[result.speaker.split()[-1].lower()] = result
        return result
