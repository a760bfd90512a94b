import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


@register.filter
def period(statistic) -> str:
    """The period a figure covers, as the source states it, or why it cannot be placed."""
    if statistic.period_label:
        return statistic.period_label
    if statistic.has_known_period:
        start, end = statistic.period_start, statistic.period_end
        whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if start.year == end.year and whole_year:
            return str(start.year)
        return f"{start:%-d %b %Y} – {end:%-d %b %Y}"
    return "period not stated"


@register.simple_tag
def json_ld(data) -> SafeString:
    """A schema.org JSON-LD block: data for search engines, not script, so CSP allows it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def shorten(text: str, limit: int) -> str:
    """Text cut to at most limit characters with an ellipsis: truncatechars without its
    Unicode normalisation, which costs more than anything else on a dispute board."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# get_absolute_url() of these models depends only on the object's pk and slug, so the answer
# can be kept per process: a dispute page links ~100 claims, parties and figures, and each
# reverse() costs more than the rest of the link. Bounded; cleared when full.
_URL_CACHE: dict[tuple, str] = {}
_URL_CACHE_SIZE = 20_000


@register.filter
def url(obj) -> str:
    """obj.get_absolute_url(), remembered for claims, parties, sources, metrics and disputes."""
    from claims.models import Claim, Dispute, Metric, Party
    from sources.models import Source

    if not isinstance(obj, (Claim, Party, Source, Metric, Dispute)):
        return obj.get_absolute_url()
    key = (type(obj), obj.pk, obj.slug, get_script_prefix())
    found = _URL_CACHE.get(key)
    if found is None:
        if len(_URL_CACHE) >= _URL_CACHE_SIZE:
            _URL_CACHE.clear()
        found = _URL_CACHE[key] = obj.get_absolute_url()
    return found
