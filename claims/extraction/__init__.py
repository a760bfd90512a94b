"""Extraction assist: propose the quotes and figures of an article, with offsets.

Pure Python and deterministic: regular expressions and a few heuristics, no network and no
model (the README says why rules were chosen). An analyst reviews every proposal.

- A *quote* is a passage between quotation marks; a *reported* quote (``form="reported"``)
  a sentence of reported speech whose subject is a party or person and whose verb is a verb
  of saying. Each is attributed from the grammar of reporting (attribution.py), with aliases
  and "the agency" resolved against the known parties (parties.py), a ``cue`` saying why and
  a ``confidence``; an unknown speaker is proposed as ``new_party`` with its affiliation, and
  what the text does not settle is left empty.
- A *figure* is a percentage, a count, an amount of money (with a second currency), a
  multiplier or a rate, with its sign from the words, its qualifier, its period
  (periods.py, against the article's date) and a guessed metric (metrics.py).

Offsets are character offsets into the body, so ``body[p.start:p.end] == p.text``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from claims.extraction.attribution import Attribution, Attributor
from claims.extraction.discourse import (
    NEAR_START,
    attributed,
    first_person,
    notice_subject,
    subject_org,
)
from claims.extraction.figures import figure_proposal, find_figures
from claims.extraction.periods import period_for
from claims.extraction.quotes import quote_proposal, quote_spans
from claims.extraction.reported import PASSIVE_PAST, reported_proposal, reported_speech
from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.extraction.vocabulary import PRONOUNS
from claims.text import sentence_spans

# The entry point and the types of its signature. The project imports the types from
# types.py, where they are defined; they are listed here as the package's whole public face.
__all__ = ["KnownMetric", "KnownParty", "Proposal", "extract"]

# "About Meridian Motors" closing a company statement: the statement is that party's.
# "Q: …" and "A: …" paragraphs of an interview.
_QUESTION = re.compile(r"\s*Q[:.]\s")
_ANSWER = re.compile(r"\s*A[:.]\s+")
_BULLET = re.compile(r"[ \t]*[-•*–]\s")
_ABOUT = re.compile(r"^About (?:the )?(?P<who>[A-Z][^\n]{1,80}?)\s*$", re.M)
# "The Arlen Watch team" signing off a newsletter: its "we" and "our" are that party's.
_SIGNOFF = re.compile(
    r"^(?:[–—-]\s*)?(?:The\s+)?(?P<who>[A-Z][^\n]{1,60}?)\s+(?:team|press\s+office)\s*\Z", re.M
)
# A sentence of the author's own voice: "we" or "our" opening it or as its subject.
_FIRST_PERSON = re.compile(r"\W*(?:[A-Z]\w*(?:\s+\w+){0,2},?\s+)?(?:[Ww]e|[Oo]ur)\b")


def extract(
    body: str,
    *,
    parties: Sequence[KnownParty] = (),
    metrics: Sequence[KnownMetric] = (),
    published: date | None = None,
) -> list[Proposal]:
    """Every quote and figure of body, in reading order (quotes before figures at a tie).

    Read sentence by sentence, so that "she added" and "the company said" refer back to the
    speaker met last. A figure belongs to the party whose words it is in: the direct quote
    around it, else its sentence's reported speaker, else the sentence before it in the same
    paragraph (or the issuer of a statement); else nobody.
    """
    sentences = sentence_spans(body)
    attributor = Attributor(body, parties)
    issuer = Attribution()
    if about := _ABOUT.search(body):
        issuer = attributor.resolve(about.group("who"), about.start())
        issuer = issuer.carried(f"statement by {issuer.party}", 0.6) if issuer else issuer
    elif (signoff := _SIGNOFF.search(body.rstrip())) and (
        author := attributor.resolve(signoff.group("who"), signoff.start())
    ):
        issuer = attributor.author = author.carried(f"written by {author.party}", 0.6)
    pending_quotes = quote_spans(body)
    figures = find_figures(body)
    proposals: list[Proposal] = []
    quotes: list[Proposal] = []
    previous = (Attribution(), -1)  # the last sentence's attribution and where it ended
    orphan: Proposal | None = None  # an unattributed quote that is its own sentence
    interviewee = Attribution()  # the person a Q-and-A interview introduces
    intro = (Attribution(), -1)  # the sentence introducing a bullet list ("… show that:")

    def own_quotes(at: int) -> bool:
        return any(q.start <= at < q.end for q in quotes)

    for s_start, s_end in sentences:
        while pending_quotes and pending_quotes[0][0] < s_end:
            q_start, q_end = pending_quotes.pop(0)
            quote = quote_proposal(body, sentences, attributor, q_start, q_end)
            quotes.append(quote)
            proposals.append(quote)
        if orphan is not None and body[orphan.end : s_start].count("\n\n") <= 1:
            # A quote standing alone, its speaker named at the start of the next sentence.
            at, named = first_person(attributor, body[s_start:s_end], s_start)
            if named and at <= NEAR_START:
                fixed = attributed(orphan, named, f"named after the quote: {named.speaker}")
                quotes[quotes.index(orphan)] = proposals[proposals.index(orphan)] = fixed
        orphan = None
        raw, segments = reported_speech(body, s_start, s_end, quotes)
        who = Attribution()
        paragraph = body.rfind("\n\n", 0, s_start) + 1
        if _QUESTION.match(body, paragraph) and not interviewee:
            interviewee = attributor.last_person.carried("answer in the interview", 0.6)
        if (answer := _ANSWER.match(body, paragraph)) and interviewee and not own_quotes(s_start):
            # An interview's answers are the interviewee's words, though not in quotation marks.
            start = max(s_start, answer.end())
            proposals.append(reported_proposal(body, s_start, s_end, (start, s_end), interviewee))
            raw, who = None, interviewee
        elif raw is None and attributor.author and _FIRST_PERSON.match(body, s_start, s_end):
            # The author's own statements ("Our volunteers counted …") are its claims.
            who = attributor.author
            proposals += [
                reported_proposal(body, s_start, s_end, segment, who) for segment in segments
            ]
        elif raw == PASSIVE_PAST:
            # "It was stressed that …": said by whoever the sentence before reported.
            if previous[0] and body[previous[1] : s_start].count("\n\n") <= 1:
                who = previous[0].carried("passive: the speaker just before", 0.5)
            proposals += [
                reported_proposal(body, s_start, s_end, segment, who) for segment in segments
            ]
        elif raw is not None:
            # An antecedent must come before the words that refer to it, even in this sentence.
            at = max(s_start, body.find(raw, s_start, s_end))
            who = attributor.resolve(raw, at) if raw else Attribution()
            if who and not who.cue:
                who.cue = f"{raw.strip()[:60]} (subject of the reporting verb)"
            elif not who and raw and not parties and raw.lower() not in PRONOUNS:
                # Nothing known to resolve it against: the speaker as the text names it.
                who = Attribution(party=raw, cue="named as the text names it", confidence=0.3)
            proposals += [
                reported_proposal(body, s_start, s_end, segment, who) for segment in segments
            ]
            attributor.remember(who, body[s_start:s_end])
        own = [q for q in quotes if q.start < s_end and s_start < q.end]
        if not who and (named := first_person(attributor, body[s_start:s_end], s_start)[1]):
            attributor.notice(named)  # the "he" or "she" of what follows
        if not who:
            notice_subject(attributor, body[s_start:s_end])  # the "it" of what follows
        if len(own) == 1 and not own[0].party and not own[0].speaker and not segments[1:]:
            orphan = own[0] if raw is None else None
        sentence_who = who or (
            next((_as_attribution(q) for q in own if q.party or q.speaker), Attribution())
        )
        if not sentence_who and previous[0] and "\n\n" not in body[previous[1] : s_start]:
            sentence_who = previous[0].carried("carried from previous sentence", 0.5)
        if _BULLET.match(body, s_start) and intro[0] and body[intro[1] : s_start].count("\n\n") < 2:
            sentence_who = intro[0].carried("in the list its sentence introduces", 0.5)
        if not sentence_who and (subject := subject_org(attributor, body[s_start:s_end], s_start)):
            # "The company produced 86,500 tonnes": narration's figures are its subject's.
            sentence_who = subject.carried("subject of the sentence", 0.5)
        if not sentence_who and issuer:
            sentence_who = issuer
        if body[s_start:s_end].rstrip().endswith(":"):
            intro = (sentence_who or _owner(attributor, body[s_start:s_end], s_start), s_end)
        elif not _BULLET.match(body, s_start):
            intro = (Attribution(), -1)
        in_sentence = [f for f in figures if s_start <= f.start < s_end]
        offsets = [f.start - s_start for f in in_sentence]
        for figure in in_sentence:
            inside = next((q for q in quotes if q.start <= figure.start < q.end), None)
            figure_who = _as_attribution(inside) if inside else sentence_who
            period = period_for(
                body[s_start:s_end],
                figure.start - s_start,
                [o for o in offsets if o != figure.start - s_start],
                published,
            )
            proposals.append(
                figure_proposal(body, (s_start, s_end), figure, figure_who, metrics, period)
            )
        # Only reported speech carries on to narration after it: a direct quote is the
        # speaker's own words and ends with its closing mark.
        previous = (who, s_end)
    return sorted(proposals, key=lambda p: (p.start, p.kind != "quote", p.end))


def _owner(attributor: Attributor, sentence: str, at: int) -> Attribution:
    """Whose findings a sentence introduces ("The office's preliminary findings … show
    that:"): the organisation of its first possessive."""
    for match in re.finditer(
        r"((?:[Tt]he\s+)?[\w’'&.-]+(?:\s+[A-Z][\w’'&.-]*)*)[’']s?\s", sentence
    ):
        if (who := attributor.resolve(match.group(1), at)) and not who.speaker:
            return who.carried(f"{match.group(1)}’s", 0.5)
    return Attribution()


def _as_attribution(quote: Proposal) -> Attribution:
    return Attribution(
        speaker=quote.speaker,
        party=quote.party,
        speaker_id=quote.speaker_id,
        party_id=quote.party_id,
        new_party=quote.new_party,
        new_party_affiliation=quote.new_party_affiliation,
        cue=f"in the quote of {quote.speaker or quote.party}",
        confidence=quote.confidence,
    )
