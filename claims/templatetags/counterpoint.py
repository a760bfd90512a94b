import datetime
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.html import isolated
from claims.text import sentences_around, shorten
from sources.dates import format_precise_date, iso_precise_date

register = template.Library()

# The escapes of django.utils.html.json_script: no "<", ">" or "&" survives in the JSON text,
# so a quote containing "</script>" cannot end the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def precise_date(value: datetime.date | None, precision: str) -> SafeString:
    """A <time> element at the date's known precision: "15 Jan 2018", "Jan 2018", "2017"."""
    iso = iso_precise_date(value, precision)
    text = format_precise_date(value, precision)
    if not iso:
        return format_html('<span class="date-unknown">{}</span>', text)
    return format_html('<time datetime="{}">{}</time>', iso, text)


@register.filter
def claim_date(claim) -> SafeString:
    return precise_date(claim.claimed_on, claim.claimed_precision)


@register.filter
def source_date(source) -> SafeString:
    return precise_date(source.published_on, source.published_precision)


@register.simple_tag
def json_ld(data) -> SafeString:
    """A schema.org JSON-LD block: data for search engines, not script, so CSP allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Three replace() calls: translate() with a dict looks up every character in Python,
    # ~2.5 ms for a page's 30 KB of JSON-LD.
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(chr(char), escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter(name="shorten")
def shorten_filter(text: str, limit: int) -> str:
    """Text on one line, cut at a word to at most limit characters (claims.text.shorten)."""
    return shorten(text, limit)


@register.filter
def url(obj) -> str:
    """obj.get_absolute_url(): the models keep their addresses per process (sources.links)."""
    return obj.get_absolute_url()


# ---------------------------------------------------------------------------------------
# Source text: the untrusted body is always escaped; only our own <mark> and <a> are markup.
# ---------------------------------------------------------------------------------------


# One rule for escaping and isolating published text (claims/html.py).
_text = isolated


@register.simple_tag
def highlighted_body(body: str, citations: Iterable) -> SafeString:
    """The body, escaped, with each given (anchored) citation wrapped in <mark>.

    Marks nest when passages nest; when two passages cross, the inner mark is closed and
    reopened (without an id) so the markup stays well formed. The first mark of each
    citation carries id="citation-<pk>"; a numbered link to its claim follows its end.
    """
    spans = sorted(citations, key=lambda c: (c.start, -c.end, c.pk))
    numbers = {c.pk: i for i, c in enumerate(spans, start=1)}
    boundaries = sorted({c.start for c in spans} | {c.end for c in spans})
    starting: dict[int, list] = defaultdict(list)
    for c in spans:
        starting[c.start].append(c)
    out: list[str] = []
    stack: list = []
    position = 0
    for boundary in boundaries:
        out.append(_text(body[position:boundary]))
        position = boundary
        ending = {c.pk for c in stack if c.end == boundary}
        reopen: list = []
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
    out.append(_text(body[position:]))
    return mark_safe("".join(out))  # every piece of body text above went through _text()


PASSAGE_LIMIT = 400  # characters of context on either side, at most


@register.filter
def in_context(citation) -> SafeString:
    """Two sentences either side of the quote (at most PASSAGE_LIMIT characters each way),
    escaped, with the quote in <mark>; only the stored quote when it is no longer anchored."""
    if not citation.is_anchored:
        return _text(citation.quote)
    body = citation.source.body
    lo = max(0, citation.start - PASSAGE_LIMIT)
    hi = min(len(body), citation.end + PASSAGE_LIMIT)
    first, last = sentences_around(body[lo:hi], citation.start - lo, citation.end - lo)
    first, last = first + lo, last + lo
    # Where the window, not a sentence, bounds the passage, cut at a word and say so.
    cut_before = lo > 0 and not body[lo:first].strip()
    cut_after = hi < len(body) and not body[last:hi].strip()
    if cut_before and " " in body[first : citation.start]:
        first = body.index(" ", first, citation.start) + 1
    if cut_after and " " in body[citation.end : last]:
        last = body.rindex(" ", citation.end, last)
    before = ("…" if cut_before else "") + body[first : citation.start]
    after = body[citation.end : last] + ("…" if cut_after else "")
    return format_html("{}<mark>{}</mark>{}", _text(before), _text(citation.quote), _text(after))


@register.filter
def isolate(text) -> SafeString:
    """Published text, escaped, isolated in <bdi> when it carries directional controls."""
    return _text(str(text))


_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL


@register.filter
def web_url(value: str) -> str:
    """value if it is an http(s) URL, else "": a stored "javascript:" (or "data:") URL is
    shown as text, never made a link, whichever path wrote it."""
    # As the URL standard does: leading C0 controls and spaces are stripped first.
    cleaned = _URL_NOISE.sub("", value or "").lstrip("".join(map(chr, range(0x21))))
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    return value if scheme in {"http", "https"} else ""
