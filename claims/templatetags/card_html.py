"""The HTML of a claim card and a timeline row: what lists repeat per row.

Why Python and not a template: a page shows 25 to 100 of these, and as an `{% include %}`
each row cost ~100 template nodes (variable lookups through three or four attributes,
filters, `{% with %}` and `{% if %}` scopes), which was most of a list page's time. Here a
row is a few claims.html.html() calls: the same markup, every value escaped by it or
isolate(), links from get_absolute_url(), which the models keep per process. This module is
the one definition of that markup; templates/claims/_claim_card.html and _timeline_item.html
call these tags, so a page that includes them (the dispute board, the home page) gets the
same HTML. A metric's pairs of figures are claims/templatetags/figures.py's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import pluralize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from claims.cards import Card, FigureLine, Link
from claims.html import html as markup
from claims.models import Claim
from claims.templatetags.counterpoint import claim_date, isolate, url
from claims.text import shorten

register = template.Library()

# What claim.get_kind_display() gives, from a dict built once: Django's rebuilds the
# flattened choices on every call, once per row.
KIND_LABELS: dict[str, str] = dict(Claim.Kind.choices)

UNVERIFIED = '<p class="flag flag--warn">unverified — the source text changed</p>'


def _join(separator: str, row_markup: str, rows: Iterable[Iterable[object]]) -> SafeString:
    """format_html_join() through claims.html.html(): the same escaping without keep_lazy's
    checks of every argument, which a board's ~80 joins (sources, conflict notes, timeline
    rebuttals) paid on each row."""
    return mark_safe(separator.join(markup(row_markup, *row) for row in rows))


def _who(claim) -> SafeString:
    party = claim.party
    html = markup('<a href="{}">{}</a>', url(party), isolate(party.name))
    speaker = claim.speaker
    if speaker is not None:
        html += markup(', said by <a href="{}">{}</a>', url(speaker), isolate(speaker.name))
        if speaker.role:
            html += markup(" ({})", isolate(speaker.role))
    return html


def _quote_and_sources(card: Card) -> SafeString:
    first = card.first_citation
    if first is None:
        return mark_safe("")
    highlight = card.highlight
    quote = highlight.quote if highlight is not None and highlight.quote else first.quote
    unverified = " quote--unverified" if first.needs_review else ""
    sources = card.sources
    named = _join(
        "; ",
        '<a href="{}">{}</a> <span class="muted">({})</span>',
        (
            (
                url(c),
                isolate(c.source.outlet.name)
                if c.source.outlet is not None
                else isolate(shorten(c.source.title, 60)),
                c.source.published_display,
            )
            for c in sources
        ),
    )
    return markup(
        '\n  <blockquote class="quote{}">\n    <p>{}</p>\n  </blockquote>\n  {}'
        '\n  <p class="claim-card__sources">\n'
        '    <span class="claim-card__sources-label">Source{}:</span>\n    {}\n  </p>',
        unverified,
        isolate(quote),
        mark_safe(UNVERIFIED) if first.needs_review else "",
        pluralize(len(sources)),
        named,
    )


def _figure(line: FigureLine) -> SafeString:
    statistic = line.statistic
    html = markup(
        '<li><a href="{}">{}</a>: <strong>{}</strong> <span class="muted">({})</span>',
        url(statistic.metric),
        isolate(statistic.metric.name),
        statistic.display_value,
        isolate(statistic.period_display),
    )
    if line.conflicts:
        notes = _join(
            "; ", "{}: {} from {}", ((c.label, c.value, isolate(c.party)) for c in line.conflicts)
        )
        more = markup("; and {} more", line.more_conflicts) if line.more_conflicts else ""
        html += markup(' <span class="flag flag--conflict">{}{}</span>', notes, more)
    return html + mark_safe("</li>")


def _figures(card: Card) -> SafeString:
    if not card.figures:
        return mark_safe("")
    rows = mark_safe("\n      ".join(_figure(line) for line in card.figures))
    return markup('\n  <ul class="figures">\n      {}\n  </ul>', rows)


def _link(link: Link) -> SafeString:
    other = link.related.claim
    where = markup(' <span class="muted">{}</span>', link.where) if link.where else ""
    return markup(
        '<li class="relation relation--opposing"><span class="relation__kind">{} '
        '<span aria-hidden="true">{}</span></span> <a href="{}">{}: {}</a>{}</li>',
        capfirst(link.related.label),
        link.arrow,
        link.href,
        isolate(other.party.name),
        isolate(shorten(other.summary, 90)),
        where,
    )


def _links(card: Card) -> SafeString:
    if not card.links:
        return mark_safe("")
    count = len(card.links)
    rows = mark_safe("\n      ".join(_link(link) for link in card.links))
    html = markup('\n  <ul class="relations">\n      {}\n  </ul>', rows)
    if count > 3:  # many rebuttals fold away, so the card stays readable
        html = markup(
            '\n  <details class="relations-more"><summary>{} rebuttals and contradictions'
            "</summary>{}\n  </details>",
            count,
            html,
        )
    return html


@register.simple_tag
def claim_card(card: Card, heading_level: int = 3) -> SafeString:
    """A claim as one card: who, when, the quote, where it was reported, its figures and
    the rebuttals the page drew (claims.cards.Card)."""
    claim = card.claim
    level = int(heading_level)
    title = card.highlight.summary if card.highlight is not None else claim.summary
    anchor = markup(' id="claim-{}"', claim.pk) if card.anchor else ""
    return markup(
        '<article class="claim-card claim-card--{}"{}>\n'
        '  <p class="claim-card__meta">\n    <span class="tag tag--{}">{}</span>\n    {}\n  </p>\n'
        '  <h{} class="claim-card__title"><a href="{}">{}</a></h{}>\n'
        '  <p class="claim-card__who">\n    {}\n  </p>{}{}{}\n</article>',
        claim.kind,
        anchor,
        claim.kind,
        KIND_LABELS.get(claim.kind, claim.kind),
        claim_date(claim),
        level,
        url(claim),
        isolate(title),
        level,
        _who(claim),
        _quote_and_sources(card),
        _figures(card),
        _links(card),
    )


@register.simple_tag
def timeline_item(card: Card) -> SafeString:
    """A claim as one row of a timeline: date, kind, summary, who, and its rebuttals."""
    claim = card.claim
    who = isolate(claim.party.name)
    if claim.speaker is not None:
        who = markup("{} ({})", who, isolate(claim.speaker.name))
    note = ""
    if not claim.claimed_on and claim.date_note:
        note = markup('<br><span class="note">{}</span>', isolate(claim.date_note))
    links = _join(
        "",
        '<br><span class="relation__kind">{}</span> <a href="{}">{}: {}</a>',
        (
            (
                capfirst(link.related.label),
                url(link.related.claim),
                isolate(link.related.claim.party.name),
                isolate(link.related.claim.summary),
            )
            for link in card.links
        ),
    )
    return markup(
        '<li class="timeline__item">\n  <span class="timeline__date">{}</span>\n'
        '  <span class="tag tag--{}">{}</span>\n  <a href="{}">{}</a>\n'
        '  <span class="muted">— {}</span>\n  {}\n  {}\n</li>\n',
        claim_date(claim),
        claim.kind,
        KIND_LABELS.get(claim.kind, claim.kind),
        url(claim),
        isolate(claim.summary),
        who,
        note,
        links,
    )
