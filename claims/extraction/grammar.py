"""The grammar of reporting, as text: where the words naming who speaks are around a quote
("“…,” said X", "X said: “…”", "according to X"), and which runs of capitalised words may be
a person's or an organisation's name. Resolving those words to parties is attribution.py's."""

from __future__ import annotations

import re

from claims.extraction.parties import GENERIC_NOUNS, ORG_WORDS
from claims.extraction.vocabulary import NOT_NAMES, PARTICLES, PRONOUNS, TITLES

_VERB = (
    r"said|says|say|added|adds|stated|states|claimed|claiming|proclaimed|told|tells|wrote|"
    r"writes|explained|noted|notes|argued|argues|insisted|warned|urged|calls|called|"
    r"commented|declared|announced|estimates|insists|suggests|puts\s+it"
)
# After a quote the verb comes first only for plain verbs of saying (“…,” said X).
_VERB_FIRST = r"said|says|added|adds|stated|wrote|explained|noted|declared|told \w+"
_VERB_RE = re.compile(rf"\b(?:{_VERB})\b")
ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;:“”\"\n]{2,90})", re.IGNORECASE)
IN_STATEMENT = re.compile(
    rf"\bin (?:a|its) statement,\s+(?P<who>[^,.;:“”\"\n]{{2,90}}?)(?=\s+(?:{_VERB})\b|[,.;:]|$)",
    re.I,
)
_DASH_BYLINE = re.compile(r"^[\s\"”’]*\n\s*[–—-]\s*(?P<who>[^\n]{2,120})")

_NAME_WORD = re.compile(r"^[A-Z][\w’'.&-]*$")
LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|yet|so|then|also|in|on|which|who|that|while|\d{4})\b[\s,]*)+", re.I
)
ORG_AFTER = re.compile(
    r"(?P<before>[\w’'&.-]+)\s(?:of|at|for|from|with)\s+(?:the\s+|its\s+)?(?:state\s+|national\s+)?"
    r"(?P<org>[A-Z][\w’'&.-]*(?:\s+(?:of\s+(?:the\s+)?|and\s+|for\s+)?[A-Z][\w’'&.-]*)*"
    rf"|(?:{'|'.join(GENERIC_NOUNS)})\b)"
)
ORG_RUN = re.compile(
    r"[A-Z][\w’'&.-]*(?:\s+(?:of\s+(?:the\s+)?|for\s+|and\s+|&\s+)?[A-Z][\w’'&.-]*)*"
)
GENERIC_IN = re.compile(rf"\b(?:the|its)\s+(?P<noun>{'|'.join(GENERIC_NOUNS)})\b", re.I)
POSSESSIVE = re.compile(r"(?P<who>(?:[Tt]he\s+)?[\w’'&.-]+(?:\s+[A-Z][\w’'&.-]*)*)[’']s?\b")


def attribution_after(body: str, end: int, sentence_end: int) -> str:
    """“…,” said X  /  “…,” X said  /  “…”, which …, the USTR said in a statement."""
    if match := _DASH_BYLINE.match(body[end : end + 160]):
        return match.group("who")
    tail = body[end : max(sentence_end, end)].lstrip("”\"’' ,.")
    if match := re.match(
        rf"(?:{_VERB_FIRST})\s+(?P<who>[A-Za-z][^.,;:\n“]{{1,90}}"
        rf"(?:,[^.;\n“]{{2,90}})?)",
        tail,
    ):
        return match.group("who")
    if match := re.match(rf"(?P<who>[^.;:\n“]{{1,120}}?)\s+(?:{_VERB})\b", tail):
        return match.group("who")
    if match := re.search(rf",\s+(?P<who>[^,.;:\n“]{{1,60}}?)\s+(?:{_VERB})\b", tail):
        return match.group("who")
    return ""


def attribution_before(body: str, sentence_start: int, start: int) -> str:
    """X said: “…”  /  In a statement, X said “…”  /  It added: “…”"""
    head = body[sentence_start : max(sentence_start, start - 1)]
    head = re.split(r"[”\"]", head)[-1]
    verbs = list(_VERB_RE.finditer(head))
    if not verbs:
        return ""
    before_verb = head[: verbs[-1].start()]
    if re.match(r"^[^,]{2,60},\s+[^,]{3,80},\s*$", before_verb):
        return before_verb.strip(" ,")  # "Mike Osei, the agency's director, said …"
    segments = [seg.strip() for seg in re.split(r"[,;:(–—]", before_verb)]
    who = re.sub(r"\b(?:also|then|publicly|separately|has|have|had)\s*$", "", segments[-1])
    nameless = not re.search(r"[A-Z]", who) and not re.search(
        rf"\b(?:{'|'.join(PRONOUNS)}|{'|'.join(GENERIC_NOUNS)}|{'|'.join(TITLES)})\b", who
    )
    if nameless and len(segments) > 1:
        clauses = [seg for seg in segments[:-1] if seg]
        if clauses and (subject := re.match(r"(?:[A-Z][\w’'&.-]*\s?)+", clauses[-1])):
            who = subject.group().strip()
    return who.strip()


def name_runs(text: str) -> list[str]:
    """Runs of capitalised words that could be a person's name ("Piet van Ommen")."""
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[\w’'.&-]+|[,;:()“”\"]", text):
        bare = word.rstrip(".")
        lower = bare.lower()
        if lower in PARTICLES and runs[-1]:
            runs[-1].append(word)
        elif _NAME_WORD.match(word) and re.search(r"[’']s?$", word) and "." not in word:
            runs.append([])  # "Norland's Fisheries Minister": an owner ends a name
        elif _NAME_WORD.match(word) and lower not in TITLES | NOT_NAMES and len(bare) > 1:
            runs[-1].append(bare)
        else:
            runs.append([])
    names = []
    for run in runs:
        if run and re.search(r"[’']s?$", run[-1]):
            run.pop()  # "Korrin’s": an owner, not part of a name
        while run and run[-1].lower() in PARTICLES:
            run.pop()
        if run:
            names.append(" ".join(run))
    return names


def is_org_name(name: str) -> bool:
    words = [w.lower().strip(".") for w in name.split()]
    return bool(set(words) & ORG_WORDS)


def common_noun(body: str, word: str) -> bool:
    """A capitalised word that the body also writes in lower case ("Installers" and
    "installers"): a common noun at the start of a sentence, not a name."""
    return bool(re.search(rf"(?<![\w’'-]){re.escape(word.lower())}(?![\w’'-])", body))
