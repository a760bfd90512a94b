"""The metric list and a metric's page: do the values agree, a chart, every value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.charts import Chart, metric_chart
from claims.comparisons import Entry as StoredEntry
from claims.comparisons import (
    VerdictGroup,
    refresh_metric_summaries,
    stored_entry,
    stored_statistics,
)
from claims.links import PagePaths
from claims.meta import PageMeta, absolute
from claims.models import Citation, Metric, MetricSummary, MetricValueOrder, Statistic
from claims.pagination import LinkedPage, page_url, paginate
from claims.structured_data.pages import Entry, item_list_ld
from claims.text import shorten
from claims.verdicts import Verdict

VALUES_PER_PAGE = 50
METRICS_PER_PAGE = 50
PERIODS_NAMED = 12  # a series names its first stated periods, then "…"


@require_safe
def metric_list(request: HttpRequest, page: int | None = None) -> HttpResponseBase:
    base = reverse("metrics:list")
    # Value counts from the stored summaries (a metric without one yet counts none).
    metrics = Metric.objects.annotate(value_count=Coalesce(F("summary__value_count"), 0)).order_by(
        "name", "pk"
    )
    found = paginate(request, metrics, METRICS_PER_PAGE, base=base, page=page)
    if not isinstance(found, LinkedPage):
        return found
    meta = PageMeta.collection(
        title="Figures",
        description="Numbers that several parties or sources report, with every value side "
        "by side.",
        path=page_url(base, found.number),
        entries=[Entry(m.name, m.get_absolute_url()) for m in found.object_list],
    )
    context = {"metrics": found.object_list, "page_obj": found, "meta": meta}
    return render(request, "claims/metric_list.html", context)


@require_safe
def metric_detail(request: HttpRequest, slug: str, page: int | None = None) -> HttpResponseBase:
    metric = get_object_or_404(Metric.objects.select_related("summary", "value_order"), slug=slug)
    summary, order = stored_summary(metric)
    found = paginate(
        request,
        StoredValues(order.statistic_ids),
        VALUES_PER_PAGE,
        base=metric.get_absolute_url(),
        page=page,
        count=len(order.statistic_ids),
    )
    if not isinstance(found, LinkedPage):
        return found
    report = MetricPage.of(metric, summary, found)
    return render(request, "claims/metric_detail.html", {"report": report, "meta": report.meta})


def stored_summary(metric: Metric) -> tuple[MetricSummary, MetricValueOrder]:
    """The metric's stored verdicts and values order; computed and stored now if a bulk
    load (or an upgrade from before the stored order) left none."""
    try:
        return metric.summary, metric.value_order
    except (MetricSummary.DoesNotExist, MetricValueOrder.DoesNotExist):
        refresh_metric_summaries([metric.pk])
        return (
            MetricSummary.objects.get(metric=metric),
            MetricValueOrder.objects.get(metric=metric),
        )


class StoredValues(Sequence[Statistic]):
    """A metric's values in their stored table order (MetricValueOrder): a slice loads just
    those statistics by id, with their claims and parties (one query), so every page of the
    table costs the same however many values the metric has."""

    def __init__(self, statistic_ids: list[int]) -> None:
        self.ids = statistic_ids

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Statistic: ...
    @overload
    def __getitem__(self, index: slice) -> list[Statistic]: ...
    def __getitem__(self, index: int | slice) -> Statistic | list[Statistic]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        loaded = (
            Statistic.objects.filter(pk__in=wanted)
            .select_related("claim__party", "claim__speaker")
            .order_by()
        )
        found = {statistic.pk: statistic for statistic in loaded}
        # A statistic deleted by bulk SQL since the last refresh is left out.
        return [found[pk] for pk in wanted if pk in found]


@dataclass(frozen=True)
class CitedSource:
    """What the page shows of a claim's citation: its source, named and linked."""

    source_id: int
    href: str  # the quoted passage on the source's page
    title: str
    outlet_name: str | None


def cited_sources(claim_ids: set[int], paths: PagePaths) -> dict[int, list[CitedSource]]:
    """The citations of these claims in citation order, each source once per claim (one
    query of plain values: the table and the chart name sources, they need no models)."""
    found: dict[int, dict[int, CitedSource]] = defaultdict(dict)
    rows = Citation.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "pk", "source_id", "source__slug", "source__title", "source__outlet__name"
    )
    for claim_id, pk, source_id, slug, title, outlet_name in rows:
        # The first citation of each source, as claims.cards.first_of_each_source picks.
        href = paths.citation_of(slug, pk)
        found[claim_id].setdefault(source_id, CitedSource(source_id, href, title, outlet_name))
    return {claim_id: list(by_source.values()) for claim_id, by_source in found.items()}


@dataclass
class ValueRow:
    """A row of the values table: the statistic and each of its sources once."""

    statistic: Statistic
    sources: list[CitedSource]


@dataclass
class MetricPage:
    metric: Metric
    groups: list[VerdictGroup]
    value_count: int  # every reported value
    entry_count: int  # distinct values
    periods: list[str]  # the first stated periods, when there are several: a series
    period_count: int  # how many stated periods, when there are several
    unit_count: int
    chart: Chart | None
    page_obj: LinkedPage  # the values table, paginated
    rows: list[ValueRow]
    paths: PagePaths  # the page's links, reversed once (claims.links)

    @property
    def meta(self) -> PageMeta:
        """An ItemList of the values shown, each a claim; the first value's claim card."""
        metric = self.metric
        path = self.paths.metric(metric)
        entries = [
            Entry(
                f"{row.statistic.display_value} ({row.statistic.period_display}) — "
                f"{row.statistic.claim.party.name}",
                self.paths.claim(row.statistic.claim),
                row.statistic.claim,
            )
            for row in self.rows
        ]
        first = self.rows[0].statistic if self.rows else None
        return PageMeta.page(
            title=metric.name,
            description=f"{metric.name}: {self.value_count} reported values by party and "
            f"source, compared for the same period. {metric.definition}",
            path=path,
            json_ld=[item_list_ld(metric.name, path, entries, description=metric.definition)],
            image_url=(
                absolute(reverse("claims:card", kwargs={"pk": first.claim_id})) if first else ""
            ),
            image_alt=(
                f"{first.claim.party.name}: {metric.name} {first.display_value}" if first else ""
            ),
        )

    @property
    def conflicts(self) -> list[VerdictGroup]:
        return [g for g in self.groups if g.verdict.is_conflict]

    @property
    def not_conflicts(self) -> list[VerdictGroup]:
        return [g for g in self.groups if not g.verdict.is_conflict]

    @property
    def has_differences(self) -> bool:
        return bool(self.groups or self.period_count or self.unit_count > 1)

    @classmethod
    def of(cls, metric: Metric, summary: MetricSummary, page: LinkedPage) -> MetricPage:
        """The stored verdicts (pairs listed per verdict, series and units summarised) and
        one page of the values table: a fixed number of queries, none comparing values."""
        paths = PagePaths()
        pks = [pk for g in summary.groups for pair in g["pairs"] for pk in pair[:2]]
        loaded = stored_statistics(pks + [pk for pk, _ in summary.chart])
        entries: dict[tuple[int, int], StoredEntry] = {}

        def entry(pk: int, count: int) -> StoredEntry:
            # Pairs share values (a verdict's first value against each other one): each
            # stored reading becomes one Entry, its Reading computed once.
            if (pk, count) not in entries:
                entries[pk, count] = stored_entry(loaded[pk], count)
            return entries[pk, count]

        groups = []
        for stored in summary.groups:
            group = VerdictGroup(
                Verdict(stored["verdict"]), [], stored["total"], stored["complete"]
            )
            for a, b, a_count, b_count in stored["pairs"]:
                if a in loaded and b in loaded:  # else deleted by bulk SQL before a refresh
                    group.pairs.append((entry(a, a_count), entry(b, b_count)))
            groups.append(group)
        dated = [entry(pk, n) for pk, n in summary.chart if pk in loaded]
        # One query for the sources of the table's claims and of the chart's.
        shown = [*page.object_list, *(e.statistic for e in dated if e.statistic)]
        sources = cited_sources({s.claim_id for s in shown}, paths)
        rows = [ValueRow(s, sources.get(s.claim_id, [])) for s in page.object_list]
        # A chart label names each source by its outlet, else by its title, shortened.
        chart_sources = {
            claim_id: [
                c.outlet_name if c.outlet_name is not None else shorten(c.title, 30) for c in cited
            ]
            for claim_id, cited in sources.items()
        }
        return cls(
            metric=metric,
            groups=groups,
            value_count=summary.value_count,
            entry_count=summary.entry_count,
            periods=summary.periods[:PERIODS_NAMED] if summary.period_count > 1 else [],
            period_count=summary.period_count if summary.period_count > 1 else 0,
            unit_count=summary.unit_count,
            chart=metric_chart(dated, chart_sources, summary.chart_left_out),
            page_obj=page,
            rows=rows,
            paths=paths,
        )
