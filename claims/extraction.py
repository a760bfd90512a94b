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

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

from rapidfuzz import fuzz

# ---------------------------------------------------------------------------------------
# What the extractor may know about the database (optional: the command runs without it)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownParty:
    id: int
    name: str
    is_person: bool = False
    affiliation_id: int | None = None


@dataclass(frozen=True)
class KnownMetric:
    id: int
    name: str
    definition: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Proposal:
    kind: Literal["quote", "figure"]
    text: str
    start: int
    end: int
    speaker: str = ""
    party: str = ""
    speaker_id: int | None = None
    party_id: int | None = None
    sentence: str = ""
    sentence_start: int = 0
    sentence_end: int = 0
    # Figures only.
    value: Decimal | None = None
    unit: str = ""
    currency: str = ""
    qualifier: str = ""
    metric: str = ""
    metric_id: int | None = None
    # Quotes only: "direct" (between quotation marks) or "reported" (reported speech).
    form: Literal["direct", "reported", ""] = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        """Identifies the proposal within one body: stable while the body is unchanged."""
        return f"{self.kind}-{self.start}-{self.end}"

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data["value"] = None if self.value is None else str(self.value)
        data["key"] = self.key
        return data


# ---------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------

_ABBREVIATIONS = {"u.s", "u.k", "mr", "mrs", "ms", "dr", "inc", "ltd", "co", "st", "no", "vs"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(A-Z0-9])")


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Sentence spans: split at line breaks and at terminal punctuation before a capital."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", body):
        cursor = line.start()
        for end in _SENTENCE_END.finditer(body, line.start(), line.end()):
            word = re.search(r"([\w.]+)[.!?…]*$", body[cursor : end.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            spans.append(_trimmed(body, cursor, end.end()))
            cursor = end.end()
        if body[cursor : line.end()].strip():
            spans.append(_trimmed(body, cursor, line.end()))
    return spans


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _sentence_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return offset, offset


# ---------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------

MAX_QUOTE_CHARS = 2500
_TRAILING = " \t\n,;:"


def _curly_double_quotes(body: str) -> Iterable[tuple[int, int]]:
    """Spans inside “…”. An opening mark left open at the end of a paragraph, followed by a
    paragraph that opens again, is one quote running over several paragraphs."""
    cursor = 0
    while (opening := body.find("“", cursor)) != -1:
        closing = body.find("”", opening + 1)
        if closing == -1:
            return
        start = opening + 1
        reopened = body.find("“", start)
        while 0 <= reopened < closing:
            if "\n" in body[start:reopened] and body[:reopened].rstrip(" \t").endswith("\n"):
                reopened = body.find("“", reopened + 1)  # continuation paragraph
                continue
            start = reopened + 1  # an orphan opening mark: the quote starts at the next one
            reopened = body.find("“", start)
        if closing - start <= MAX_QUOTE_CHARS:
            yield start, closing
        cursor = closing + 1


_STRAIGHT_DOUBLE = re.compile(rf'"([^"]{{1,{MAX_QUOTE_CHARS}}})"')
_SINGLE = re.compile(r"(?<![\w’'])([‘'])(?=\w)([^\n]{1,400}?)(?<=[\w.,!?…])([’'])(?![\w])")


def _quote_spans(body: str) -> list[tuple[int, int]]:
    spans = list(_curly_double_quotes(body))
    spans += [(m.start(1), m.end(1)) for m in _STRAIGHT_DOUBLE.finditer(body)]
    doubles = list(spans)
    for m in _SINGLE.finditer(body):
        if (m.group(1) == "‘") != (m.group(3) == "’"):
            continue
        start, end = m.start(2), m.end(2)
        if any(s <= start and end <= e for s, e in doubles):
            continue  # a quote within a quote belongs to the outer speaker's words
        spans.append((start, end))
    result = []
    for start, end in sorted(set(spans)):
        while end > start and body[end - 1] in _TRAILING:
            end -= 1
        while start < end and body[start].isspace():
            start += 1
        if end > start:
            result.append((start, end))
    return result


# ---------------------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------------------

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
_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
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
    if head.lower() in _PRONOUNS or _GENERIC.match(head):
        return _Who(coref=True, org="" if head.lower() in _PRONOUNS else head)
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
class _Attribution:
    speaker: str = ""
    party: str = ""
    speaker_id: int | None = None
    party_id: int | None = None


class _Attributor:
    """Resolves who said what, remembering earlier speakers for "she added" and "Evans"."""

    def __init__(self, body: str, parties: Sequence[KnownParty]) -> None:
        self.body = body
        self.index = _PartyIndex(parties)
        self.previous = _Attribution()
        self.previous_end = -1
        self.seen: dict[str, _Attribution] = {}  # surname → earlier attribution

    def _person(self, result: _Attribution, name: str) -> None:
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
    ) -> _Attribution:
        if raw is None:
            raw = _attribution_after(self.body, end, last[1]) if is_quote else ""
            raw = raw or _attribution_before(self.body, first[0], start)
        who = _parse_who(raw) if raw else _Who()
        result = _Attribution()
        if who.speaker and len(who.speaker.split()) == 1:
            earlier = self.seen.get(who.speaker.lower())
            full_name = re.search(
                rf"\b([A-Z][\w’'-]+ {re.escape(who.speaker)})\b", self.body[: max(start, 0)]
            )
            if earlier:
                result = _Attribution(**asdict(earlier))
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
            outside = (self.body[first[0] : start], self.body[end : max(last[1], end)])
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


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "dozens": 24,
}
_SCALES = {
    "thousand": Decimal(1000),
    "k": Decimal(1000),
    "million": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "hk$": "HKD",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
}
_QUALIFIERS = {
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "over": "over",
    "more than": "over",
    "just over": "over",
    "well over": "over",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "up to": "up_to",
    "at least": "at_least",
    "under": "under",
    "less than": "under",
    "fewer than": "under",
    "just under": "under",
}
_QUAL = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_Q = rf"(?:(?P<qual>{_QUAL})\s+)?"
_NOT_AFTER_DIGIT = r"(?<![\w.,$£€¥/-])"

_PERCENT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM})\s?(?P<unit>%|per ?cent\b|percent\b)", re.I
)
_MONEY_SYMBOL = re.compile(
    rf"{_Q}(?P<cur>US\$|HK\$|\$|€|£|¥|RMB|CNY|USD|EUR|GBP)\s?(?P<num>{_NUM})"
    r"(?:\s?(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m|b|k)\b)?"
)
_MONEY_WORDS = re.compile(
    rf"{_Q}(?P<num>{_NUM}|half a|a|one)\s+(?P<scale>trillion|billion|million|thousand)\s+"
    r"(?:US\s+)?(?P<cur>dollars?|yuan|euros?|pounds?)\b",
    re.I,
)
_MULTIPLIER = re.compile(
    rf"{_Q}(?P<num>{_NUM}|{_WORDNUM})[\s-]times?\b"
    r"|\b(?P<verb>doubl(?:e|ed|es|ing)|tripl(?:e|ed|es|ing)|quadrupl(?:e|ed|es|ing))\b",
    re.I,
)
_TIME_UNITS = (
    r"(?:hours?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|decades?|"
    r"am|pm|per|times?|th|st|nd|rd)\b"
)
_STOP = r"(?:the|a|an|to|of|and|or|in|on|at|by|for|from|with|was|were|is|are|be|has|had)\b"
_COUNT = re.compile(
    rf"{_Q}{_NOT_AFTER_DIGIT}(?P<num>{_NUM}|\b(?:{_WORDNUM}))"
    rf"(?:\s+(?P<scale>million|billion|thousand))?"
    rf"(?![\w,.-]\d|[-–]\w)"
    rf"\s+(?P<noun>(?:(?:19|20)\d\d\s+|[A-Z]{{2,}}\s+)?(?!{_TIME_UNITS}|{_STOP})[a-z][\w’'-]*"
    rf"(?:\s+(?!{_STOP})[a-z][\w’'-]*){{0,3}})",
)
_DECLINE = re.compile(
    r"\b(?:declin\w*|fell|fall(?:en|s)?|down|drop\w*|decreas\w*|reduc\w*|lower|cut|shr[iu]nk\w*)\b",
    re.I,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _number(text: str) -> Decimal:
    text = text.lower().strip()
    if text in _WORD_NUMBERS:
        return Decimal(_WORD_NUMBERS[text])
    if text in {"a", "one"}:
        return Decimal(1)
    if text == "half a":
        return Decimal("0.5")
    return Decimal(text.replace(",", ""))


@dataclass
class _Figure:
    start: int
    end: int
    value: Decimal
    unit: str
    currency: str = ""
    qualifier: str = ""
    noun: str = ""


def _scaled(value: Decimal, scale: str | None) -> Decimal:
    return value * _SCALES[scale.lower()] if scale else value


def _find_figures(body: str) -> list[_Figure]:
    found: list[_Figure] = []

    def add(figure: _Figure) -> None:
        if not any(f.start < figure.end and figure.start < f.end for f in found):
            found.append(figure)

    def qualifier(match: re.Match) -> str:
        qual = match.groupdict().get("qual")
        return _QUALIFIERS[qual.lower()] if qual else ""

    for m in _PERCENT.finditer(body):
        value = _number(m.group("num"))
        window = body[max(0, m.start() - 30) : m.end() + 14]
        if _DECLINE.search(window):
            value = -value
        add(_Figure(m.start(), m.end(), value, "percent", qualifier=qualifier(m)))
    for m in [*_MONEY_SYMBOL.finditer(body), *_MONEY_WORDS.finditer(body)]:
        currency = _CURRENCIES[m.group("cur").lower()]
        value = _scaled(_number(m.group("num")), m.group("scale"))
        add(_Figure(m.start(), m.end(), value, "currency", currency, qualifier(m)))
    for m in _MULTIPLIER.finditer(body):
        if m.group("verb"):
            verb = m.group("verb").lower()
            value = Decimal(2 if verb.startswith("doubl") else 3 if verb.startswith("tripl") else 4)
            add(_Figure(m.start(), m.end(), value, "multiplier"))
        else:
            add(
                _Figure(m.start(), m.end(), _number(m.group("num")), "multiplier", "", qualifier(m))
            )
    for m in _COUNT.finditer(body):
        raw = m.group("num")
        if _YEAR.match(raw) and not m.group("scale"):
            continue
        value = _scaled(_number(raw), m.group("scale"))
        noun = m.group("noun")
        end = m.start("noun") + len(noun.split()[0]) if noun else m.end()
        # Stretch the figure over its noun up to the first plural ("offline ... locations").
        words = list(re.finditer(r"\S+", noun))
        for word in words:
            end = m.start("noun") + word.end()
            if word.group().endswith("s"):
                break
        add(_Figure(m.start(), end, value, "count", "", qualifier(m), noun))
    return sorted(found, key=lambda f: f.start)


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
    if _DECLINE.search(near) or re.search(r"\b(?:increase|rise|rose|grew|growth|up)\b", near):
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


# ---------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------


def extract(
    body: str,
    *,
    parties: Sequence[KnownParty] = (),
    metrics: Sequence[KnownMetric] = (),
) -> list[Proposal]:
    """Every quote and figure of body, in reading order (quotes before figures at a tie).

    Read in order, so that "she added" and "the company said" refer back to the speaker
    met last.
    """
    sentences = sentence_spans(body)
    attributor = _Attributor(body, parties)
    events: list[tuple[int, int, tuple[int, int] | _Figure]] = [
        (start, 0, (start, end)) for start, end in _quote_spans(body)
    ]
    events += [(figure.start, 1, figure) for figure in _find_figures(body)]
    proposals: list[Proposal] = []
    quotes: list[Proposal] = []
    for _, _, item in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(item, tuple):
            quote = _quote_proposal(body, sentences, attributor, *item)
            quotes.append(quote)
            proposals.append(quote)
        else:
            proposals.append(_figure_proposal(body, sentences, attributor, item, quotes, metrics))
    proposals += _reported_proposals(body, sentences, attributor, quotes)
    return sorted(proposals, key=lambda p: (p.start, p.kind != "quote", p.end))


def _quote_proposal(
    body: str, sentences: list[tuple[int, int]], attributor: _Attributor, start: int, end: int
) -> Proposal:
    # A multi-paragraph quote is attributed from its last sentence (“… .” – Name).
    last = _sentence_at(sentences, max(start, end - 1))
    first = _sentence_at(sentences, start)
    who = attributor.attribute(first, last, start, end)
    return Proposal(
        kind="quote",
        text=body[start:end],
        start=start,
        end=end,
        speaker=who.speaker,
        party=who.party,
        speaker_id=who.speaker_id,
        party_id=who.party_id,
        sentence=body[first[0] : max(last[1], end)],
        sentence_start=first[0],
        sentence_end=max(last[1], end),
        form="direct",
    )


# ---------------------------------------------------------------------------------------
# Reported speech
# ---------------------------------------------------------------------------------------

_REPORTING_VERB = (
    r"says|said|say|claims|claimed|is\s+claiming|states|stated|notes|noted|adds|added|argues|"
    r"argued|estimates|estimated|acknowledges|acknowledged|urges|urged|calls|called|"
    r"suggests|suggested|questions|questioned|lists|points\s+to|pointed\s+to|trumpets|"
    r"trumpeted|touts|touted|accuses|accused|rebukes|rebuked|refutes?|refuted|dismisses|"
    r"dismissed|insists|insisted|told|tells|writes|wrote|warns|warned|announces|announced|"
    r"declares|declared|reports|reported|details|detailed|emphasi[sz]es|emphasi[sz]ed|"
    r"condemns|condemned|recommends|recommended|maintains|maintained|contends|contended|"
    r"denies|denied|admits|admitted|concedes|conceded|explains|explained|believes|"
    r"alleges|alleged|reveals|revealed|confirms|confirmed|responds|responded|counters|"
    r"countered"
)
_GENERIC_SUBJECT = (
    r"company|firm|group|giant|site|retailer|e-retailer|platform|marketplace|report|agency|"
    r"association|government|ministry|department|office|spokes(?:person|man|woman)|"
    r"officials?|executives?|president|chief|minister|ambassador|statement|review|"
    r"recommendation|study|survey|police|court|regulator|watchdog|coalition|alliance"
)
_NAME = r"[A-Z][\w’'.&-]*"
# Who speaks: a capitalised name ("The Auto Care Association", "the USTR", "Jack Ma"),
# a description ("the e-commerce giant", "its spokesperson") or he/she/it/they.
_REPORTED = re.compile(
    rf"(?<![\w’'-])(?P<who>(?:[Tt]he\s+)?{_NAME}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME})*"
    rf"|(?:[Tt]he|[Ii]ts|[Aa]n?|[Oo]ne)\s+(?:[\w’'-]+\s+){{0,3}}?(?:{_GENERIC_SUBJECT})"
    r"|[Hh]e|[Ss]he|[Ii]t|[Tt]hey)"
    r"(?:\s+(?:also|does|did|has|have|had|then|later|now|publicly|repeatedly|further|"
    r"recently|previously|again|still|even)){0,2}"
    rf"\s+(?P<verb>{_REPORTING_VERB})\b(?![-’'])"
)
_REPORTED_LEAD = re.compile(
    r"\b(?:according\s+to|in\s+a\s+statement,)\s+(?P<who>[^,.;:“”\"\n]{2,90})", re.IGNORECASE
)
_SUBJECT_RUN = rf"{_NAME}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME})*"
# "Peter Ratcliffe, who heads the unit, emphasized ...", "Alibaba, named after ..., dismissed"
_REPORTED_APPOSITION = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?(?P<who>{_SUBJECT_RUN}),\s+[^.;]{{3,160}}?[,”]\s*"
    rf"(?P<verb>{_REPORTING_VERB})\b(?![-’'])"
)
# "..., claiming it was ..." / "..., adding that ...": the sentence's subject speaks.
_REPORTED_PARTICIPLE = re.compile(
    r",\s+(?:claiming|saying|adding|arguing|insisting|noting|stating|touting|calling|"
    r"warning|suggesting|acknowledging)\b"
)
# Capitalised words that start a sentence but are no speaker ("In October ... Alibaba").
_NOT_SUBJECTS = {
    "in", "on", "at", "as", "by", "for", "from", "after", "before", "since", "but", "and",
    "yet", "so", "however", "earlier", "over", "this", "that", "these", "those", "there",
    "here", "what", "when", "while", "if", "all", "some", "many", "most", "such", "no",
}  # fmt: skip
MAX_REPORTED_CHARS = 600


def _reported_speaker(sentence: str) -> str | None:
    """The attribution text of a sentence of reported speech, or None if it is not one."""
    if match := _REPORTED_LEAD.search(sentence):
        return match.group("who")
    match = _REPORTED_APPOSITION.search(sentence)
    if match and match.group("who").split()[0].lower() not in _NOT_SUBJECTS:
        return match.group("who")
    for match in _REPORTED.finditer(sentence):
        who = match.group("who")
        words = who.split()
        if words[0].lower() in _NOT_SUBJECTS or re.search(r"[’']s?$", words[-1]):
            continue  # "In October said", "Alibaba’s claims"
        if who.lower() in {"he", "she", "it", "they"} or len(words) > 1 or len(who) > 2:
            return who
    if _REPORTED_PARTICIPLE.search(sentence):
        for match in re.finditer(rf"(?<![\w’'-]){_SUBJECT_RUN}", sentence):
            if match.group().split()[0].lower() not in _NOT_SUBJECTS:
                return match.group()  # the first name in the sentence: its likely subject
        return ""
    return None


MIN_SEGMENT_WORDS = 6
# A stretch that only introduces the quote next to it ("In response, the company said").
_ATTRIBUTION_ONLY = re.compile(
    rf"(?:[^,]{{0,40}},\s+)?[^,]{{0,80}}?\b(?:{_REPORTING_VERB})"
    r"(?:\s+in\s+a\s+(?:separate\s+)?statement)?[\s.,:]*"
)
_SEGMENT_TRIM = " \t“”\"‘’',;:–—-"


def _reported_segments(
    body: str, start: int, end: int, quotes: Sequence[Proposal]
) -> tuple[str, list[tuple[int, int]]]:
    """A sentence with its direct quotes blanked out, and its stretches between them that
    are long enough to say something of their own (the reported part of a sentence that
    also quotes)."""
    inside = sorted((max(q.start, start), min(q.end, end)) for q in quotes)
    inside = [(s, e) for s, e in inside if s < e]
    if not inside:
        return body[start:end], [(start, end)]
    text = list(body[start:end])
    for s, e in inside:
        text[s - start : e - start] = ["…"] + [""] * (e - s - 1)
    segments = []
    cursor = start
    for s, e in [*inside, (end, end)]:
        seg_start, seg_end = cursor, s
        while seg_start < seg_end and body[seg_start] in _SEGMENT_TRIM:
            seg_start += 1
        while seg_end > seg_start and body[seg_end - 1] in _SEGMENT_TRIM:
            seg_end -= 1
        segment = body[seg_start:seg_end]
        if len(segment.split()) >= MIN_SEGMENT_WORDS and not _ATTRIBUTION_ONLY.fullmatch(segment):
            segments.append((seg_start, seg_end))
        cursor = max(cursor, e)
    return "".join(text), segments


def _reported_proposals(
    body: str, sentences: list[tuple[int, int]], attributor: _Attributor, quotes: list[Proposal]
) -> list[Proposal]:
    proposals = []
    for start, end in sentences:
        if end - start > MAX_REPORTED_CHARS:
            continue  # too long to be one statement
        # What a direct quote already proposes is not proposed again: only the stretches
        # of the sentence around it.
        sentence, segments = _reported_segments(body, start, end, quotes)
        raw = _reported_speaker(sentence)
        if raw is None or not segments:
            continue
        if party := attributor.index.match(raw, person=False):
            who = _Attribution(party=party.name, party_id=party.id)  # "Alibaba", "the USTR"
        else:
            saved = (attributor.previous, attributor.previous_end, dict(attributor.seen))
            who = attributor.attribute((start, end), (start, end), start, end, raw=raw)
            attributor.previous, attributor.previous_end, attributor.seen = saved
            if not (who.speaker or who.party) and raw.lower() not in _PRONOUNS:
                who.party = raw  # "The ministry": an unknown speaker, named as the text names it
        proposals += [
            Proposal(
                kind="quote",
                text=body[seg_start:seg_end],
                start=seg_start,
                end=seg_end,
                speaker=who.speaker,
                party=who.party,
                speaker_id=who.speaker_id,
                party_id=who.party_id,
                sentence=body[start:end],
                sentence_start=start,
                sentence_end=end,
                form="reported",
            )
            for seg_start, seg_end in segments
        ]
    return proposals


def _figure_proposal(
    body: str,
    sentences: list[tuple[int, int]],
    attributor: _Attributor,
    figure: _Figure,
    quotes: list[Proposal],
    metrics: Sequence[KnownMetric],
) -> Proposal:
    s_start, s_end = _sentence_at(sentences, figure.start)
    inside = next((q for q in quotes if q.start <= figure.start < q.end), None)
    if inside:
        who = _Attribution(inside.speaker, inside.party, inside.speaker_id, inside.party_id)
    else:
        span = (s_start, s_end)
        who = attributor.attribute(span, span, figure.start, figure.end, is_quote=False)
    metric = guess_metric(
        noun=figure.noun,
        near=body[max(s_start, figure.start - 40) : min(s_end, figure.end + 40)],
        context=body[s_start:s_end],
        unit=figure.unit,
        metrics=metrics,
    )
    return Proposal(
        kind="figure",
        text=body[figure.start : figure.end],
        start=figure.start,
        end=figure.end,
        speaker=who.speaker,
        party=who.party,
        speaker_id=who.speaker_id,
        party_id=who.party_id,
        sentence=body[s_start:s_end],
        sentence_start=s_start,
        sentence_end=s_end,
        value=figure.value,
        unit=figure.unit,
        currency=figure.currency,
        qualifier=figure.qualifier,
        metric=metric.name if metric else "",
        metric_id=metric.id if metric else None,
    )
