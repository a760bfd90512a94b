"""Source text: highlighted passages, passages in context, shortened text."""

import re
from collections import defaultdict
from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.anchoring import anchor_is_valid
from claims.models import Citation

# ---------------------------------------------------------------------------------------------
# Source text: highlighted passages and passages in context
# ---------------------------------------------------------------------------------------------


def anchored(citations: Iterable[Citation], body: str) -> list[Citation]:
    """Citations whose stored offsets still point at their quote in this body."""
    return [
        c
        for c in citations
        if not c.needs_review and anchor_is_valid(body, c.start, c.end, c.quote)
    ]


def highlight_body(body: str, citations: Iterable[Citation]) -> SafeString:
    """The untrusted body, escaped, with each anchored citation wrapped in <mark>.

    Marks nest when passages nest; when two passages cross, the inner mark is closed and
    reopened (without an id) so the markup stays well formed. The first mark of each
    citation carries id="citation-<pk>"; a numbered link to its claim follows its end.
    """
    spans = sorted(anchored(citations, body), key=lambda c: (c.start, -c.end, c.pk))
    numbers = {c.pk: i for i, c in enumerate(spans, start=1)}
    boundaries = sorted({c.start for c in spans} | {c.end for c in spans})
    starting: dict[int, list[Citation]] = defaultdict(list)
    for c in spans:
        starting[c.start].append(c)
    out: list[str] = []
    stack: list[Citation] = []
    position = 0
    for boundary in boundaries:
        out.append(escape(body[position:boundary]))
        position = boundary
        ending = {c.pk for c in stack if c.end == boundary}
        reopen: list[Citation] = []
        while ending & {c.pk for c in stack}:
            top = stack.pop()
            out.append("</mark>")
            if top.pk in ending:
                out.append(
                    format_html(
                        '<a class="cite-ref" href="{}" aria-label="Claim {}: {}">[{}]</a>',
                        top.claim.get_absolute_url(),
                        numbers[top.pk],
                        top.claim.summary,
                        numbers[top.pk],
                    )
                )
            else:
                reopen.append(top)
        for c in reversed(reopen):
            out.append('<mark class="cite cite--cont">')
            stack.append(c)
        for c in starting.get(boundary, []):
            out.append(format_html('<mark class="cite" id="citation-{}">', c.pk))
            stack.append(c)
    out.append(escape(body[position:]))
    return mark_safe("".join(out))  # every piece of body text above went through escape()


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


def passage_in_context(citation: Citation, sentences: int = 2, limit: int = 400) -> SafeString:
    """A few sentences around the quote, escaped, with the quote itself in <mark>.

    When the citation is no longer anchored, only the stored quote is shown, unmarked.
    """
    body = citation.source.body
    if citation.needs_review or not anchor_is_valid(
        body, citation.start, citation.end, citation.quote
    ):
        return format_html("{}", citation.quote)
    before_text = body[max(0, citation.start - limit) : citation.start]
    ends = list(_SENTENCE_END.finditer(before_text))
    if len(ends) >= sentences:
        before_text = before_text[ends[-sentences].end() :]
    elif citation.start > limit:
        before_text = "…" + before_text.split(" ", 1)[-1]
    after_text = body[citation.end : citation.end + limit]
    ends = list(_SENTENCE_END.finditer(after_text))
    if len(ends) >= sentences:
        after_text = after_text[: ends[sentences - 1].end()].rstrip()
    elif citation.end + limit < len(body):
        after_text = after_text.rsplit(" ", 1)[0] + "…"
    return format_html("{}<mark>{}</mark>{}", before_text, citation.quote, after_text)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
