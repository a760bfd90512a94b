"""Reported speech: sentences without quotation marks whose subject says something."""

from __future__ import annotations

import re
from collections.abc import Sequence

from claims.extraction.attribution import Attribution
from claims.extraction.parties import GENERIC_NOUNS
from claims.extraction.types import Proposal
from claims.extraction.vocabulary import TITLES

_REPORTING_VERB = (
    r"says|said|say|claims|claimed|is\s+claiming|states|stated|notes|noted|adds|added|argues|"
    r"argued|estimates|estimated|acknowledges|acknowledged|urges|urged|calls|called|"
    r"suggests|suggested|questions|questioned|lists|points\s+to|pointed\s+to|trumpets|"
    r"trumpeted|touts|touted|accuses|accused|rebukes|rebuked|refutes?|refuted|dismisses|"
    r"dismissed|insists|insisted|told|tells|writes|wrote|warns|warned|announces|announced|"
    r"declares|declared|reports|reported|details|detailed|emphasi[sz]es|emphasi[sz]ed|"
    r"condemns|condemned|recommends|recommended|maintains|maintained|contends|contended|"
    r"denies|denied|admits|admitted|concedes|conceded|explains|explained|believes|"
    r"believe|alleges|alleged|reveals|revealed|confirms|confirmed|responds|responded|counters|"
    r"countered|rejects|rejected|disputes|disputed|defends|defended|expects|expected|"
    r"estimate|argue|think|thinks|caution|cautions|cautioned|found|finds|welcomed|welcomes|"
    r"promised|pledged|vowed|predicts|predicted|forecasts|forecast|puts\s+it|"
    r"accuse|dispute|reject|deny|say|warn|claim|advised|advises|blames|blamed|"
    r"stressed|stresses|reiterated|reiterates|asserted|asserts|critici[sz]ed|critici[sz]es|"
    r"complained|complains|demanded|demands|replied|replies|concluded|concludes|"
    r"pointed\s+out|points\s+out|highlighted|highlights|projected|projects|"
    r"insist|add|note|maintain|contend|allege|confirm|expect|predict|argue|"
    r"threatened|threatens|proposed|proposes|hopes|fears|feared|disagree|disagrees|disagreed|"
    r"(?:is|are)\s+(?:calling|urging|asking)|observed|observes|remarked|recalled|reckons|"
    r"reckoned|signalled|signaled|underlined|underscored|lamented|objected|testified|"
    r"acknowledge|concede|recommend"
)
_GENERIC_SUBJECT = (
    r"company|firm|group|giant|site|retailer|e-retailer|platform|marketplace|report|agency|"
    r"association|government|ministry|department|office|spokes(?:person|man|woman)|"
    r"officials?|executives?|president|chief|minister|ambassador|statement|review|"
    r"recommendation|study|survey|police|court|regulator|watchdog|coalition|alliance|authority|"
    r"netizens|experts|observers|critics|residents|commentators|economists|"
    r"council|commission|league|miner|carmaker|manufacturer|drugmaker|investigators|"
    r"director|officer|chairwoman|chairman|commissioner|analysts?|lawyers|officials|letter|"
    r"campaign|institute|union|federation|cooperative|board|city|academy|"
    r"insiders|scholars|sources|traders|academics|diplomats|"
    + "|".join(sorted(TITLES - {"vice", "senior", "general", "managing", "head"}))
    + "|"
    + "|".join(sorted(GENERIC_NOUNS))
)
_NAME = r"[A-Z][\w’'.&-]*"
# Who speaks: a capitalised name ("The Auto Care Association", "the USTR", "Jack Ma"),
# a description ("the e-commerce giant", "its spokesperson") or he/she/it/they.
_TITLE_WORDS = "|".join(sorted(TITLES, key=len, reverse=True))
_REPORTED = re.compile(
    rf"(?<![\w’'-])(?P<who>{_NAME}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME})*"
    rf"(?:\s+(?:{_TITLE_WORDS})){{1,3}}"
    rf"(?:\s+{_NAME}){{1,3}}"  # "Ministry of Commerce spokesperson Shu Ting"
    rf"|(?:[Tt]he\s+)?{_NAME}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME})*"
    rf"|(?:[Tt]he|[Ii]ts|[Aa]n?|[Oo]ne|[Ss]ome|[Mm]any|[Mm]ost|[Ss]everal|{_NAME}(?:[’']s?)?)\s+"
    rf"(?:[\w’'-]+\s+){{0,3}}?(?:{_GENERIC_SUBJECT})"  # "Halden's spokeswoman"
    r"|[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Ww]e)"
    r"(?:\s+(?:also|does|did|has|have|had|then|later|now|publicly|repeatedly|further|"
    r"recently|previously|again|still|even|today|yesterday|on\s+\w+day|last\s+\w+|"
    r"would|will|could|may|might|has\s+long|had\s+long|once)){0,2}"
    rf"\s+(?P<verb>{_REPORTING_VERB})\b(?![-’'])"
)
_REPORTED_LEAD = re.compile(
    r"\b(?:according\s+to|in\s+(?:a|its)\s+statement,)\s+(?P<who>[^,.;:“”\"\n]{2,90}?)"
    r"(?=\s+(?:said|says|stated|added|told|announced)\b|[,.;:“”\"\n]|$)",
    re.IGNORECASE,
)
_SUBJECT_RUN = rf"{_NAME}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME})*"
# "Peter Ratcliffe, who heads the unit, emphasized ...", "Alibaba, named after ..., dismissed"
_REPORTED_APPOSITION = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?(?P<who>{_SUBJECT_RUN}|(?:[Tt]he|[Ii]ts)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?),"
    rf"\s+(?:[^.;]|\.(?=\d)){{2,160}}?[,”]\s*(?:(?:also|then|later|has|have|had)\s+)*"
    rf"(?P<verb>{_REPORTING_VERB})\b(?![-’'])"
)
# "Its chairwoman, Maria Lund, said", "Kestrel's chief executive, Annika Roos, told", "A
# second group, Clean Water Alliance, went further and called for": a description, the name
# it describes, then the verb (perhaps after a first verb phrase joined by "and").
_TITLE_APPOSITION = re.compile(
    rf"^(?P<who>(?:[Tt]he|[Ii]ts|[Aa]n?|{_NAME}[’']s?)\s+[^,]{{2,60}},\s+{_NAME}(?:\s+{_NAME}){{0,2}}),"
    rf"(?:\s+[a-z]+(?:\s+[a-z]+){{0,2}}\s+and)?(?:\s+(?:also|has|have|had|then))*"
    rf"\s+(?P<verb>{_REPORTING_VERB})\b"
)
# "The remark came from Li Qiaoyun, a researcher at the institute, who said ...": the name
# before "who" plus its apposition is the speaker.
_WHO_CLAUSE = re.compile(
    rf"(?<![\w’'-])(?P<who>{_SUBJECT_RUN}(?:,\s+[^,.;“”]{{3,100}})?),\s+who\s+(?:also\s+)?"
    rf"(?P<verb>{_REPORTING_VERB})\b"
)
# "…, Halvik's mayor, Ines Kral, said." / "…, the ministry said on Tuesday.": the speaker
# named after the statement, with its description, at the end of the sentence.
_END_ATTRIBUTION = re.compile(
    r",\s+(?P<who>[^,;:“”\"]{2,80}?),?\s+"
    r"(?:said|says|told\s+[^,.;]{2,40}|added|stated|noted|wrote|explained|argued|warned)"
    r"(?:\s+(?:on|in|at|during|last|this|after)\b[^,;“”\"]{0,60})?[.!]?$"
)
# "In Tavira's view, ...", "In the view of the ministry, ...": an opinion attributed up front.
_IN_VIEW = re.compile(
    r"^\W*In\s+(?:the\s+view\s+of\s+(?P<of>[^,.;]{2,80})|(?P<pro>his|her|its|their|our)\s+view"
    r"|(?P<who>[^,.;]{2,80}?)[’']s?\s+view),"
)
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they", "our": "we"}
# "It was stressed at the press conference that …": a speech act already reported, told
# without its speaker, is the speaker's just before; "It is widely believed that …" and
# "This claim has been questioned by scholars" are reported speech of nobody in particular
# (or of the agent after "by").
PASSIVE_PAST = "(it was said)"
_PASSIVE_THAT = re.compile(
    r"^\W*It\s+(?P<aux>was|is|has\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    r"(?P<verb>stressed|noted|said|pointed\s+out|emphasi[sz]ed|reiterated|stated|announced|"
    r"underlined|believed|thought|argued|claimed|alleged|feared|reported|estimated)"
    r"\b[^.;“”\"]{0,60}?\s+that\b"
)
_PASSIVE_BY = re.compile(
    r"\b(?:has|have|had)\s+been\s+(?:questioned|disputed|denied|rejected|challenged|"
    r"criticised|criticized|contested)\s+by\s+(?P<who>[^,.;“”\"]{2,60})"
)
# "The association's figures, released on Thursday, showed …": a document's findings are
# its author's (attribution.py resolves the document to its owner).
_DOCUMENT_SHOWS = re.compile(
    r"^\W*(?P<who>(?:[Tt]he\s+|[Ii]ts\s+)?(?:[\w’'&.-]+\s+){0,4}?(?:figures|data|report|"
    r"survey|study|statistics|findings|analysis|review)),?(?:\s+[^.;]{2,80}?,)?\s+(?:also\s+)?"
    r"(?:showed|shows|show|suggest|suggests|suggested|indicate|indicates|indicated)\b"
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
    "here", "what", "when", "while", "if", "all", "many", "most", "such", "no",
}  # fmt: skip
MAX_REPORTED_CHARS = 600


def _end_attribution(sentence: str) -> str | None:
    """The speaker named after the statement: the last comma-separated part before the
    closing verb, with the description before it when that part is a bare name ("Halvik's
    mayor, Ines Kral")."""
    # the last one: the attribution closes the sentence
    match = next(reversed(list(_END_ATTRIBUTION.finditer(sentence.rstrip()))), None)
    if match is None or len(sentence) < 60:
        return None
    who = match.group("who")
    parts = sentence[: match.start()].split(",")
    if re.fullmatch(rf"\s*{_SUBJECT_RUN}\s*", who) and len(parts) > 1:
        description = parts[-1].strip()
        if len(description.split()) <= 6 and not re.search(r"\d", description):
            return f"{description}, {who}"
    return who


# "The measure is unfair, said Ana Ruiz, the trade minister.": the verb first.
_END_VERB_FIRST = re.compile(
    r",\s+(?:said|says|added|adds)\s+(?P<who>(?:[Tt]he\s+)?[A-Z][^,.;:“”\"]{1,60}"
    r"(?:,\s+[^.;:“”\"]{2,80})?)[.!]?$"
)


def _reported_speaker(sentence: str) -> str | None:
    """The attribution text of a sentence of reported speech, or None if it is not one."""
    if match := _REPORTED_LEAD.search(sentence):
        return match.group("who")
    match = _REPORTED_APPOSITION.search(sentence)
    if match and match.group("who").split()[0].lower() not in _NOT_SUBJECTS:
        return sentence[match.start("who") : match.start("verb")]  # with its apposition
    if match := _TITLE_APPOSITION.search(sentence):
        return match.group("who")
    if (who := _end_attribution(sentence)) is not None:
        return who
    if (match := _END_VERB_FIRST.search(sentence.rstrip())) and len(sentence) > 60:
        return match.group("who")
    if match := _IN_VIEW.search(sentence):
        pronoun = _POSSESSIVE_PRONOUNS.get(match.group("pro") or "")
        return match.group("of") or pronoun or match.group("who")
    if match := _PASSIVE_THAT.search(sentence):
        general = match.group("aux") == "is" or match.group("verb") in {"believed", "thought"}
        return "" if general else PASSIVE_PAST
    if match := _PASSIVE_BY.search(sentence):
        return match.group("who")
    if match := _DOCUMENT_SHOWS.search(sentence):
        return match.group("who")
    match = _WHO_CLAUSE.search(sentence)
    if match and match.group("who").split()[0].lower() not in _NOT_SUBJECTS:
        return match.group("who")
    for match in _REPORTED.finditer(sentence):
        who = match.group("who")
        words = who.split()
        if words[0].lower() in {"many", "most", "several"} and len(words) > 1:
            return who  # "Many netizens called for": reported, by nobody in particular
        while len(words) > 1 and words[0].lower() in _NOT_SUBJECTS:
            words = words[1:]  # "When Mayor Daniel Okafor announced": the name after "When"
        who = " ".join(words)
        if words[0].lower() in _NOT_SUBJECTS or re.search(r"[’']s?$", words[-1]):
            continue  # "In October said", "Alibaba’s claims"
        if who.lower() in {"he", "she", "it", "they", "we"} or len(words) > 1 or len(who) > 2:
            return who
    if _REPORTED_PARTICIPLE.search(sentence):
        for match in re.finditer(rf"(?<![\w’'-]){_SUBJECT_RUN}", sentence):
            if match.group().split()[0].lower() not in _NOT_SUBJECTS:
                return match.group()  # the first name in the sentence: its likely subject
        return ""
    return None


MIN_SEGMENT_WORDS = 6
# A stretch that only introduces the quote next to it ("In response, the company said").
# "Holm told reporters after the talks", "she said, standing beside the dry pump".
_ATTRIBUTION_ONLY = re.compile(
    rf"(?:[^,]{{0,40}},\s+)?[^,]{{0,80}}?\b(?:{_REPORTING_VERB})"
    r"(?:\s+in\s+a\s+(?:separate\s+)?statement)?"
    r"(?:\s+(?:reporters|journalists|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}"
    r"|(?:a|an|the)(?:\s+news)?\s+(?:hearing|conference|briefing|meeting|committee|court|panel)))?"
    r"(?:\s+(?:after|at|on|in|during|before|outside|from|while)\b(?:\s+[\w’'-]+){1,6})?"
    r"(?:,\s+(?:[a-z]+ing|as|who|after|before|while|the|a|an|its|his|her|[A-Z][\w’'-]*[’']s)"
    r"\b[^.;“”\"]{0,80})?[\s.,:]*"
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


def reported_speech(
    body: str, start: int, end: int, quotes: Sequence[Proposal]
) -> tuple[str | None, list[tuple[int, int]]]:
    """The attribution text of a sentence of reported speech (None when it is not one), and
    the stretches of it to propose: what a direct quote already proposes is not proposed
    again, only the stretches of the sentence around it."""
    if end - start > MAX_REPORTED_CHARS:
        return None, []  # too long to be one statement
    if _is_heading(body, start, end):
        return None, []
    sentence, segments = _reported_segments(body, start, end, quotes)
    if body[start:end].rstrip().endswith(":") and not quotes_in(start, end, quotes):
        segments = []  # "The survey found that:" only introduces the list after it
    return _reported_speaker(sentence), segments


def quotes_in(start: int, end: int, quotes: Sequence[Proposal]) -> bool:
    return any(q.start < end and start < q.end for q in quotes)


def _is_heading(body: str, start: int, end: int) -> bool:
    """A headline or a bullet: a whole line that does not end as a sentence does."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line = body[line_start : len(body) if line_end == -1 else line_end].strip()
    return bool(line) and not re.search(r"[.!?”\"’:]$", line)


def reported_proposal(
    body: str, start: int, end: int, segment: tuple[int, int], who: Attribution
) -> Proposal:
    return Proposal(
        kind="quote",
        text=body[segment[0] : segment[1]],
        start=segment[0],
        end=segment[1],
        **who.proposal_fields(),
        sentence=body[start:end],
        sentence_start=start,
        sentence_end=end,
        form="reported",
    )
