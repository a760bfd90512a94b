"""Read helpers for the public pages.

Each function runs a fixed number of queries whatever the amount of data (the page tests pin
those counts) and hands templates plain objects, so templates never trigger a query.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.anchoring import anchor_is_valid
from claims.history import public_corrections
from claims.models import (
    Citation,
    Claim,
    ClaimQuerySet,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import DatePrecision
from sources.models import Source

# ---------------------------------------------------------------------------------------------
# Timelines that honour date precision
# ---------------------------------------------------------------------------------------------


@dataclass
class TimelineMonth:
    date: datetime.date
    items: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.date.strftime("%B %Y")


@dataclass
class TimelineYear:
    year: int
    months: list[TimelineMonth] = field(default_factory=list)
    month_unknown: list = field(default_factory=list)


@dataclass
class Timeline:
    years: list[TimelineYear]
    unknown: list

    def __bool__(self) -> bool:
        return bool(self.years or self.unknown)


def build_timeline(claims: Iterable[Claim]) -> Timeline:
    """Group claims by year, then month, in date order, without inventing precision.

    A claim known only to the year goes under "<year> (month not known)", never on 1 January;
    a claim known to the month follows the dated claims of that month; undated claims come last.
    """
    rank = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1}
    years: dict[int, TimelineYear] = {}
    unknown: list = []

    def key(c: Claim) -> tuple:
        if c.claimed_on is None or c.claimed_precision == DatePrecision.UNKNOWN:
            return (datetime.MAXYEAR + 1, 0, 0, datetime.date.max, c.pk)
        month = 13 if c.claimed_precision == DatePrecision.YEAR else c.claimed_on.month
        return (c.claimed_on.year, month, rank.get(c.claimed_precision, 2), c.claimed_on, c.pk)

    ordered = sorted(claims, key=key)
    for claim in ordered:
        if claim.claimed_on is None or claim.claimed_precision == DatePrecision.UNKNOWN:
            unknown.append(claim)
            continue
        year = years.setdefault(claim.claimed_on.year, TimelineYear(claim.claimed_on.year))
        if claim.claimed_precision == DatePrecision.YEAR:
            year.month_unknown.append(claim)
            continue
        first_of_month = claim.claimed_on.replace(day=1)
        if not year.months or year.months[-1].date != first_of_month:
            year.months.append(TimelineMonth(first_of_month))
        year.months[-1].items.append(claim)
    return Timeline(years=[years[y] for y in sorted(years)], unknown=unknown)


# ---------------------------------------------------------------------------------------------
# Relations between claims
# ---------------------------------------------------------------------------------------------

INVERSE_LABELS = {
    ClaimRelation.Kind.REBUTS: "rebutted by",
    ClaimRelation.Kind.SUPPORTS: "supported by",
    ClaimRelation.Kind.CONTRADICTS: "contradicted by",
    ClaimRelation.Kind.REPEATS: "repeated by",
    ClaimRelation.Kind.QUALIFIES: "qualified by",
}
OPPOSING = {ClaimRelation.Kind.REBUTS, ClaimRelation.Kind.CONTRADICTS}


@dataclass
class RelatedClaim:
    label: str
    kind: str
    claim: Claim
    note: str = ""
    on_board: bool = False
    side: DisputeSide | None = None
    arrow: str = "→"

    @property
    def is_opposing(self) -> bool:
        return self.kind in OPPOSING


def related_claims(claim_ids: Iterable[int]) -> dict[int, list[RelatedClaim]]:
    """Every relation touching the given claims, from each claim's point of view (one query)."""
    ids = set(claim_ids)
    related: dict[int, list[RelatedClaim]] = defaultdict(list)
    if not ids:
        return related
    relations = ClaimRelation.objects.filter(
        Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)
    ).select_related("from_claim__party", "to_claim__party")
    for rel in relations:
        if rel.from_claim_id in ids:
            related[rel.from_claim_id].append(
                RelatedClaim(rel.get_kind_display(), rel.kind, rel.to_claim, rel.note)
            )
        if rel.to_claim_id in ids:
            related[rel.to_claim_id].append(
                RelatedClaim(INVERSE_LABELS[rel.kind], rel.kind, rel.from_claim, rel.note)
            )
    for items in related.values():
        items.sort(key=lambda r: (r.label, r.claim.pk))
    return related


# ---------------------------------------------------------------------------------------------
# Comparing statistics: discrepancy, drift, explained difference
# ---------------------------------------------------------------------------------------------


class Verdict:
    DISAGREEMENT = "disagreement"  # different parties, same stated period, different values
    DRIFT = "drift"  # the same party, different values, periods the same or not stated
    EXPLAINED = "explained"  # values differ but a scope note says why
    OTHER_UNIT = "other_unit"  # different unit or currency: not the same measure
    OTHER_PERIOD = "other_period"  # values for different stated periods: a series, not a conflict
    PERIOD_UNKNOWN = "period_unknown"  # a period is not stated: cannot be compared


VERDICT_LABELS = {
    Verdict.DISAGREEMENT: "Sources disagree",
    Verdict.DRIFT: "Drift",
    Verdict.EXPLAINED: "Explained by scope note",
    Verdict.OTHER_UNIT: "Different units",
    Verdict.OTHER_PERIOD: "Different periods",
    Verdict.PERIOD_UNKNOWN: "Period not stated",
}
VERDICT_NOTES = {
    Verdict.DISAGREEMENT: "Different parties give different values for the same period.",
    Verdict.DRIFT: "The same party gave different values for this figure in different "
    "statements, without stating different periods; read the scope notes.",
    Verdict.EXPLAINED: "Not counted as a conflict: the scope note explains the difference.",
    Verdict.OTHER_UNIT: "Not counted as a conflict: the figures use different units.",
    Verdict.OTHER_PERIOD: "Not counted as a conflict: the figures cover different periods.",
    Verdict.PERIOD_UNKNOWN: "Not counted as a conflict: a period is not stated, so the values "
    "cannot be compared.",
}
CONFLICTS = {Verdict.DISAGREEMENT, Verdict.DRIFT}


@dataclass
class Comparison:
    first: Statistic
    second: Statistic
    verdict: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def explanation(self) -> str:
        return VERDICT_NOTES[self.verdict]

    @property
    def is_conflict(self) -> bool:
        return self.verdict in CONFLICTS

    @property
    def same_party(self) -> bool:
        return self.first.claim.party_id == self.second.claim.party_id

    @property
    def scope_notes(self) -> list[str]:
        return [s.scope_note for s in (self.first, self.second) if s.scope_note]

    def other(self, statistic: Statistic) -> Statistic:
        return self.second if statistic.pk == self.first.pk else self.first


def _stated_period(statistic: Statistic) -> object:
    """The period a value is said to cover: its dates, else its label, else None."""
    if statistic.has_known_period:
        return (statistic.period_start, statistic.period_end)
    return statistic.period_label.strip().lower() or None


def compare(first: Statistic, second: Statistic) -> Comparison | None:
    """How two values of the same metric relate; None when they agree or are one statement's.

    A conflict is the same figure for the same period with nothing explaining the difference
    (parties disagree), or one party giving different values without saying which different
    periods they cover (drift). Values for stated, different periods form a series.
    """
    if first.metric_id != second.metric_id or first.claim_id == second.claim_id:
        return None
    if (first.unit, first.currency) == (second.unit, second.currency) and Decimal(
        first.value
    ) == Decimal(second.value):
        return None
    same_party = first.claim.party_id == second.claim.party_id
    if (first.unit, first.currency) != (second.unit, second.currency):
        verdict = Verdict.OTHER_UNIT
    elif first.same_period_as(second):
        # Same figure, same stated period: only a scope note (another definition) explains it.
        if first.scope_note or second.scope_note:
            verdict = Verdict.EXPLAINED
        else:
            verdict = Verdict.DRIFT if same_party else Verdict.DISAGREEMENT
    elif _stated_period(first) and _stated_period(second):
        # Both say which period they cover ("2017", "the previous 12 months") and the periods
        # are not the same dates: a series over time, not a conflict.
        verdict = Verdict.OTHER_PERIOD
    elif same_party:
        # A party that gives two values for its own figure without saying which periods they
        # cover has changed its story as far as a reader can tell; scope notes are shown beside.
        verdict = Verdict.DRIFT
    else:
        verdict = Verdict.PERIOD_UNKNOWN
    return Comparison(first, second, verdict)


def compare_all(statistics: list[Statistic]) -> list[Comparison]:
    """Every differing pair among statistics, grouped by metric, conflicts first."""
    by_metric: dict[int, list[Statistic]] = defaultdict(list)
    for statistic in statistics:
        by_metric[statistic.metric_id].append(statistic)
    comparisons = []
    for group in by_metric.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                found = compare(first, second)
                if found:
                    comparisons.append(found)
    order = list(VERDICT_LABELS)
    comparisons.sort(key=lambda c: (order.index(c.verdict), c.first.metric_id, c.first.pk))
    return comparisons


def statistics_for_metrics(metric_ids: Iterable[int]) -> list[Statistic]:
    """All values of the given metrics with who said them and where (three queries)."""
    return list(
        Statistic.objects.filter(metric_id__in=set(metric_ids))
        .select_related("metric", "claim__party", "claim__speaker")
        .prefetch_related(
            Prefetch("claim__citations", queryset=Citation.objects.select_related("source__outlet"))
        )
    )


@dataclass
class StatisticReport:
    statistic: Statistic
    comparisons: list[Comparison]

    @property
    def conflicts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.is_conflict]

    @property
    def entries(self) -> list[tuple[Comparison, Statistic]]:
        """Each comparison with the other statistic, conflicts first."""
        order = list(VERDICT_LABELS)
        found = sorted(self.comparisons, key=lambda c: order.index(c.verdict))
        return [(c, c.other(self.statistic)) for c in found]


def statistic_reports(own: Iterable[Statistic]) -> list[StatisticReport]:
    """For each statistic, how every other value of its metric relates to it."""
    own = list(own)
    if not own:
        return []
    everything = statistics_for_metrics(s.metric_id for s in own)
    by_metric: dict[int, list[Statistic]] = defaultdict(list)
    for statistic in everything:
        by_metric[statistic.metric_id].append(statistic)
    reports = []
    for statistic in own:
        mine = next((s for s in everything if s.pk == statistic.pk), statistic)
        found = [compare(mine, other) for other in by_metric[statistic.metric_id]]
        reports.append(StatisticReport(mine, [c for c in found if c]))
    return reports


def open_discrepancies(limit: int = 10) -> list[Comparison]:
    """Differing values of the same figure across the corpus, conflicts first, for the home
    page. A series over different periods or units is not a discrepancy and is left out."""
    statistics = list(Statistic.objects.select_related("metric", "claim__party"))
    series = {Verdict.OTHER_PERIOD, Verdict.OTHER_UNIT}
    return [c for c in compare_all(statistics) if c.verdict not in series][:limit]


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def claims_for_cards() -> ClaimQuerySet:
    """Claims with everything a claim card shows (party, speaker, sources, figures)."""
    return Claim.objects.select_related(
        "party", "speaker", "speaker__affiliation"
    ).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source__outlet")),
        Prefetch("statistics", queryset=Statistic.objects.select_related("metric")),
    )


@dataclass
class BoardClaim:
    claim: Claim
    anchor: bool  # the first appearance on the board carries the id="claim-<pk>" target


@dataclass
class Cell:
    side: DisputeSide
    claims: list[BoardClaim]


@dataclass
class ConflictNote:
    label: str
    value: str
    party: str


@dataclass
class Row:
    point: object
    cells: list[Cell]


@dataclass
class DisputeBoard:
    dispute: Dispute
    sides: list[DisputeSide]
    rows: list[Row]
    claims: list[Claim]
    side_of: dict[int, DisputeSide]
    related: dict[int, list[RelatedClaim]]
    statistics: list[StatisticReport]
    timeline: Timeline
    unplaced_count: int = 0


def dispute_board(dispute: Dispute) -> DisputeBoard:
    """The side-by-side view: one column per side, one row per point."""
    sides = list(dispute.sides.select_related("party"))
    points = list(dispute.points.all())
    placements = list(
        PointClaim.objects.filter(point__dispute=dispute)
        .prefetch_related(Prefetch("claim", queryset=claims_for_cards()))
        .order_by("point__order", "point_id", "order", "claim__claimed_on", "pk")
    )
    by_cell: dict[tuple[int, int], list[BoardClaim]] = defaultdict(list)
    claims: dict[int, Claim] = {}
    side_of: dict[int, DisputeSide] = {}
    sides_by_id = {side.pk: side for side in sides}
    for placement in placements:
        first = placement.claim_id not in claims
        by_cell[(placement.point_id, placement.side_id)].append(
            BoardClaim(placement.claim, anchor=first)
        )
        claims.setdefault(placement.claim_id, placement.claim)
        side_of.setdefault(placement.claim_id, sides_by_id[placement.side_id])
    rows = [
        Row(point, [Cell(side, by_cell[(point.pk, side.pk)]) for side in sides]) for point in points
    ]
    related = related_claims(claims)
    column = {side.pk: index for index, side in enumerate(sides)}
    for claim_id, claim in claims.items():
        # On the board only rebuttals and contradictions are drawn, pointing at the column
        # where the other claim sits; the claim page lists every relation.
        claim.board_related = [r for r in related.get(claim_id, []) if r.is_opposing]
        for rel in claim.board_related:
            rel.on_board = rel.claim.pk in claims
            rel.side = side_of.get(rel.claim.pk)
            if rel.side:
                here, there = column[side_of[claim_id].pk], column[rel.side.pk]
                rel.arrow = "←" if there < here else "→" if there > here else "↕"
    reports = statistic_reports(s for c in claims.values() for s in c.statistics.all())
    notes = {
        report.statistic.pk: [
            ConflictNote(
                c.label,
                c.other(report.statistic).display_value,
                c.other(report.statistic).claim.party.name,
            )
            for c in report.conflicts
        ]
        for report in reports
    }
    for claim in claims.values():
        for statistic in claim.statistics.all():
            statistic.board_conflicts = notes.get(statistic.pk, [])
    return DisputeBoard(
        dispute=dispute,
        sides=sides,
        rows=rows,
        claims=list(claims.values()),
        side_of=side_of,
        related=related,
        statistics=reports,
        timeline=build_timeline(claims.values()),
    )


def dispute_list():
    return (
        Dispute.objects.annotate(
            point_count=Count("points", distinct=True),
            claim_count=Count("points__placements", distinct=True),
        )
        .order_by("title")
        .prefetch_related(Prefetch("sides", queryset=DisputeSide.objects.select_related("party")))
    )


def claim_for_page(pk: int) -> Claim:
    """One claim with everything its permalink shows; raises Claim.DoesNotExist."""
    return (
        Claim.objects.select_related("party__affiliation", "speaker__affiliation")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source__outlet").order_by(
                    "source__published_on", "pk"
                ),
            ),
            Prefetch("statistics", queryset=Statistic.objects.select_related("metric")),
            Prefetch(
                "placements",
                queryset=PointClaim.objects.select_related("point__dispute", "side__party"),
            ),
        )
        .get(pk=pk)
    )


def published_assessment(claim: Claim):
    """The claim's assessment if an editor has published it, with its evidence."""
    from claims.models import Assessment

    return (
        Assessment.objects.filter(claim=claim, is_published=True)
        .prefetch_related(Prefetch("evidence", queryset=Citation.objects.select_related("source")))
        .first()
    )


def party_claims(party: Party) -> list[Claim]:
    """Claims made by the party, by anyone speaking for it, or by its members."""
    return list(
        claims_for_cards().filter(
            Q(party=party)
            | Q(speaker=party)
            | Q(party__affiliation=party)
            | Q(speaker__affiliation=party)
        )
    )


def party_list():
    return (
        Party.objects.select_related("affiliation")
        .annotate(claim_count=Count("claims", distinct=True))
        .order_by("name")
    )


def metric_list():
    return Metric.objects.annotate(
        value_count=Count("statistics", distinct=True),
        period_count=Count("statistics__period_start", distinct=True),
    ).order_by("name")


def source_list():
    return (
        Source.objects.with_outlet()
        .annotate(citation_count=Count("citations"))
        .order_by(F("published_on").desc(nulls_last=True), "title")
    )


# ---------------------------------------------------------------------------------------------
# Metric page: values, comparisons and a chart
# ---------------------------------------------------------------------------------------------


@dataclass
class ChartPoint:
    x: float
    y: float
    statistic: Statistic
    label: str
    label_y: float
    anchor: str  # text-anchor that keeps the label inside the chart


@dataclass
class Chart:
    width: int
    height: int
    points: list[ChartPoint]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    baseline: float
    left: int
    right: int
    top: int
    bottom: int


def _midpoint(statistic: Statistic) -> datetime.date:
    start, end = statistic.period_start, statistic.period_end
    return start + (end - start) / 2


def metric_chart(statistics: list[Statistic]) -> Chart | None:
    """A small SVG chart when a metric has values for two or more known periods."""
    dated = [s for s in statistics if s.has_known_period]
    if len({(s.period_start, s.period_end) for s in dated}) < 2:
        return None
    width, height, left, right, top, bottom = 640, 300, 64, 600, 24, 250
    days = [_midpoint(s).toordinal() for s in dated]
    values = [float(s.value) for s in dated]
    lo_x, hi_x = min(days), max(days)
    lo_y, hi_y = min([*values, 0.0]), max([*values, 0.0])
    pad = (hi_y - lo_y) * 0.1 or 1.0
    lo_y, hi_y = lo_y - pad, hi_y + pad

    def sx(day: int) -> float:
        return round(left + (day - lo_x) / ((hi_x - lo_x) or 1) * (right - left), 1)

    def sy(value: float) -> float:
        return round(bottom - (value - lo_y) / (hi_y - lo_y) * (bottom - top), 1)

    points = []
    seen: dict[float, int] = defaultdict(int)
    for statistic, day, value in sorted(zip(dated, days, values, strict=True), key=lambda t: t[1]):
        x, y = sx(day), sy(value)
        stack = seen[x]
        seen[x] += 1
        label = f"{statistic.display_value} — {statistic.claim.party.name}"
        sources = ", ".join(
            dict.fromkeys(
                c.source.outlet.name if c.source.outlet else _shorten(c.source.title, 30)
                for c in statistic.claim.citations.all()
            )
        )
        if sources:
            label += f" ({sources})"
        third = (right - left) / 3
        anchor = "start" if x < left + third else "end" if x > right - third else "middle"
        points.append(ChartPoint(x, y, statistic, label, y - 10 - 14 * stack, anchor))
    years = sorted({datetime.date.fromordinal(d).year for d in days})
    x_ticks = [
        (sx(datetime.date(year, 7, 1).toordinal()), str(year))
        for year in years
        if lo_x <= datetime.date(year, 7, 1).toordinal() <= hi_x or len(years) == 1
    ]
    step = (hi_y - lo_y) / 4
    y_ticks = [(sy(lo_y + step * i), f"{lo_y + step * i:,.0f}") for i in range(5)]
    return Chart(width, height, points, x_ticks, y_ticks, sy(0.0), left, right, top, bottom)


@dataclass
class MetricReport:
    metric: Metric
    statistics: list[Statistic]
    comparisons: list[Comparison]
    chart: Chart | None

    @property
    def conflicts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.is_conflict]

    @property
    def disagreements(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict == Verdict.DISAGREEMENT]

    @property
    def drifts(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict == Verdict.DRIFT]

    @property
    def explained(self) -> list[Comparison]:
        return [c for c in self.comparisons if not c.is_conflict]


def metric_report(metric: Metric) -> MetricReport:
    statistics = statistics_for_metrics([metric.pk])
    statistics.sort(
        key=lambda s: (s.period_start or datetime.date.max, s.claim.claimed_on or datetime.date.max)
    )
    return MetricReport(metric, statistics, compare_all(statistics), metric_chart(statistics))


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


# ---------------------------------------------------------------------------------------------
# Page assemblies
# ---------------------------------------------------------------------------------------------


@dataclass
class CitationView:
    citation: Citation
    context: SafeString
    is_anchored: bool


def _party_ld(party: Party) -> dict:
    kind = "Person" if party.is_person else "Organization"
    return {"@type": kind, "name": party.name, **({"url": party.url} if party.url else {})}


def _appearance(citation: Citation, site_url: str) -> dict:
    source = citation.source
    found = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or f"{site_url}{citation.get_absolute_url()}",
    }
    if published := _source_iso(source):
        found["datePublished"] = published
    if source.outlet:
        found["publisher"] = {"@type": "Organization", "name": source.outlet.name}
    return found


def claim_json_ld(
    claim: Claim, canonical: str, site_url: str, citations: list[Citation], assessment
) -> list:
    """schema.org Claim, plus ClaimReview when an editor's assessment is published."""
    appearances = [_appearance(c, site_url) for c in citations]
    item = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": canonical,
        "url": canonical,
        "name": claim.summary,
        "author": _party_ld(claim.speaker or claim.party),
        **({"text": citations[0].quote} if citations else {}),
        **({"dateCreated": claim.claimed_iso} if claim.claimed_iso else {}),
        **({"firstAppearance": appearances[0], "appearance": appearances} if appearances else {}),
    }
    if not assessment:
        return [item]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{canonical}#assessment",
        "claimReviewed": claim.summary,
        "itemReviewed": {"@id": canonical},
        "author": {"@type": "Organization", "name": "Counterpoint"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": assessment.get_rating_display(),
            **(
                {"ratingValue": assessment.rating_value, "bestRating": 5, "worstRating": 1}
                if assessment.rating_value
                else {}
            ),
        },
        **(
            {"datePublished": assessment.published_at.date().isoformat()}
            if assessment.published_at
            else {}
        ),
    }
    return [item, review]


def _source_iso(source: Source) -> str:
    from sources.dates import iso_precise_date

    return iso_precise_date(source.published_on, source.published_precision)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class OtherSide:
    """What another side of a dispute said on a point where this claim stands."""

    point: DisputePoint
    heading: str
    claims: list[Claim]


def other_sides(claim: Claim) -> list[OtherSide]:
    """Claims placed on the same dispute points as claim, under the other sides (one query)."""
    placements = list(claim.placements.all())
    if not placements:
        return []
    own_sides = {p.side_id for p in placements}
    points = {p.point_id: p.point for p in placements}
    facing = (
        PointClaim.objects.filter(point_id__in=points)
        .exclude(side_id__in=own_sides)
        .select_related("side__party", "claim__party", "claim__speaker")
        .order_by("point__order", "side__order", "order", "pk")
    )
    grouped: dict[tuple[int, int], OtherSide] = {}
    for placement in facing:
        key = (placement.point_id, placement.side_id)
        if key not in grouped:
            grouped[key] = OtherSide(points[placement.point_id], placement.side.heading, [])
        grouped[key].claims.append(placement.claim)
    return list(grouped.values())


def claim_page(claim: Claim, site_url: str) -> dict:
    """Everything the claim permalink shows, from a claim loaded by claim_for_page()."""
    citations = list(claim.citations.all())
    canonical = f"{site_url}{claim.get_absolute_url()}"
    related = related_claims([claim.pk]).get(claim.pk, [])
    counter = next((r for r in related if r.is_opposing), None)
    facing = other_sides(claim)
    assessment = published_assessment(claim)
    quote = citations[0].quote if citations else claim.summary
    description = f"{claim.party.name}: “{_shorten(quote, 160)}”"
    if counter:
        counter_quote = _shorten(counter.claim.summary, 120)
        description += (
            f" — {counter.label.capitalize()} {counter.claim.party.name}: “{counter_quote}”"
        )
    elif facing:
        answer = facing[0].claims[0]
        description += f" — {answer.party.name}: “{_shorten(answer.summary, 120)}”"
    cite_text = (
        f"{claim.party.name}, “{claim.summary}” ({claim.claimed_display}). "
        f"Counterpoint, claim {claim.pk}. {canonical}"
    )
    return {
        "claim": claim,
        "corrections": public_corrections(claim),
        "citations": [
            CitationView(c, passage_in_context(c), bool(anchored([c], c.source.body)))
            for c in citations
        ],
        "corroboration": len({c.source_id for c in citations}),
        "related": related,
        "other_sides": facing,
        "statistics": statistic_reports(claim.statistics.all()),
        "assessment": assessment,
        "placements": list(claim.placements.all()),
        "canonical_url": canonical,
        "meta_description": description,
        "cite_text": cite_text,
        "json_ld": claim_json_ld(claim, canonical, site_url, citations, assessment),
    }


def party_page(party: Party) -> dict:
    claims = party_claims(party)
    return {
        "party": party,
        "members": list(party.members.all()),
        "claims": claims,
        "timeline": build_timeline(claims),
        "sides": list(party.dispute_sides.select_related("dispute")),
    }


def source_page(source: Source) -> dict:
    citations = list(source.citations.select_related("claim__party").order_by("start", "pk"))
    highlighted = anchored(citations, source.body)
    highlighted_ids = {c.pk for c in highlighted}
    return {
        "source": source,
        "body_html": highlight_body(source.body, highlighted),
        "citations": highlighted,
        "unverified": [c for c in citations if c.pk not in highlighted_ids],
    }
