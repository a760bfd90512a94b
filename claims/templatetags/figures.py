"""The repeated rows of the metric page, built in Python: the values table, the listed
pairs of each verdict and the chart's points.

A metric page repeats these up to 50, 60 and 40 times; as template loops with an include per
pair they were most of the page's cost (about 20 variable lookups and three reverse() calls
per row). Here each row is one call of _html(), _html() without its lazy-string
checks: every argument is escaped unless it is already safe (isolate, precise_date, _html
itself), and links come from the page's PagePaths, reversed once per page. The markup is the
one the templates had.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe

from claims.charts import Chart
from claims.comparisons import Comparison, VerdictGroup
from claims.html import html
from claims.html import isolated as isolate
from claims.links import PagePaths
from claims.models import Statistic
from claims.templatetags.counterpoint import claim_date

register = template.Library()


_html = html


ROW = (
    '<tr><td class="num"><a href="{}">{}</a></td><td>{}</td><td><a href="{}">{}</a></td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>\n"
)


@register.simple_tag
def value_rows(rows: Iterable, paths: PagePaths) -> SafeString:
    """The values table's rows: value (to its claim), period, party (to its page), when
    said, each source once (to the quoted passage), scope note; "—" for none."""
    out = []
    for row in rows:
        statistic, claim = row.statistic, row.statistic.claim
        sources = "; ".join(
            _html('<a href="{}">{}</a>', c.href, isolate(c.title)) for c in row.sources
        )
        out.append(
            _html(
                ROW,
                paths.claim(claim),
                statistic.display_value,
                isolate(statistic.period_display),
                paths.party(claim.party),
                isolate(claim.party.name),
                claim_date(claim),
                mark_safe(sources) if sources else "—",  # joined _html()
                isolate(statistic.scope_note or "—"),
            )
        )
    return mark_safe("".join(out))  # every piece above is _html()'s


def _side(statistic: Statistic, count: int, paths: PagePaths) -> SafeString:
    """One value of a pair: the value (to its claim), who, the period, when said."""
    return _html(
        '<a href="{}"><strong>{}</strong></a> from {} <span class="muted">({}; {}{})</span>',
        paths.claim(statistic.claim),
        statistic.display_value,
        isolate(statistic.claim.party.name),
        isolate(statistic.period_display),
        claim_date(statistic.claim),
        f"; given in {count} statements" if count > 1 else "",
    )


def _scope_note(statistic: Statistic) -> SafeString:
    if not statistic.scope_note:
        return SafeString("")
    return _html(
        '\n<span class="comparison__note">Scope note on {}: {}</span>',
        statistic.display_value,
        isolate(statistic.scope_note),
    )


def _pair(c: Comparison, paths: PagePaths, sides: dict[tuple[int, int], SafeString]) -> SafeString:
    # A verdict's pairs often share one value (the first against each other one): each
    # side is built once per list.
    for statistic, count in ((c.first, c.first_count), (c.second, c.second_count)):
        if (statistic.pk, count) not in sides:
            sides[statistic.pk, count] = _side(statistic, count, paths)
    flag = "flag--conflict" if c.verdict.is_conflict else "flag--note"
    same_party = (
        _html(
            '\n<span class="comparison__note">Both figures come from {}.</span>',
            isolate(c.first.claim.party.name),
        )
        if c.same_party
        else ""
    )
    return _html(
        '<li class="comparison comparison--{}"><span class="flag {}">{}</span> {}\n'
        '<span aria-hidden="true">↔</span><span class="visually-hidden">versus</span>\n'
        "{}{}{}{}</li>\n",
        c.verdict.value,
        flag,
        c.verdict.label,
        sides[c.first.pk, c.first_count],
        sides[c.second.pk, c.second_count],
        _scope_note(c.first),
        _scope_note(c.second),
        same_party,
    )


@register.simple_tag
def verdict_pairs(group: VerdictGroup, paths: PagePaths) -> SafeString:
    """The listed pairs of one verdict, each as a list item: both values side by side."""
    sides: dict[tuple[int, int], SafeString] = {}
    return mark_safe("".join(_pair(c, paths, sides) for c in group.comparisons))


@register.simple_tag
def chart_points(chart: Chart) -> SafeString:
    """Each point of the chart: a circle titled with its full label, and its label, cut."""
    point = (
        '<circle class="chart__point" cx="{}" cy="{}" r="5"><title>{}</title></circle>'
        '<text class="chart__label" x="{}" y="{}" text-anchor="{}">{}</text>'
    )
    return mark_safe(  # joined _html()
        "\n".join(
            _html(point, p.x, p.y, p.label, p.x, p.label_y, p.anchor, p.short_label)
            for p in chart.points
        )
    )
