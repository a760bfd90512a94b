"""The metric list and a metric's page: do the values agree, a chart, every value."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.cards import first_of_each_source
from claims.charts import Chart, metric_chart
from claims.comparisons import (
    VerdictGroup,
    refresh_metric_summaries,
    stored_entry,
    stored_statistics,
)
from claims.meta import PageMeta, absolute
from claims.models import Citation, Metric, MetricSummary, Statistic
from claims.pagination import LinkedPage, page_url, paginate
from claims.structured_data.pages import Entry, item_list_ld
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
    metric = get_object_or_404(Metric.objects.select_related("summary"), slug=slug)
    summary = stored_summary(metric)
    found = paginate(
        request,
        MetricPage.values_of(metric),
        VALUES_PER_PAGE,
        base=metric.get_absolute_url(),
        page=page,
        count=summary.value_count,
    )
    if not isinstance(found, LinkedPage):
        return found
    report = MetricPage.of(metric, summary, found)
    return render(request, "claims/metric_detail.html", {"report": report, "meta": report.meta})


def stored_summary(metric: Metric) -> MetricSummary:
    """The metric's stored verdicts; computed and stored now if a bulk load left none."""
    try:
        return metric.summary
    except MetricSummary.DoesNotExist:
        refresh_metric_summaries([metric.pk])
        return MetricSummary.objects.get(metric=metric)


@dataclass
class ValueRow:
    """A row of the values table: the statistic and each of its sources once."""

    statistic: Statistic
    sources: list[Citation]


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

    @property
    def meta(self) -> PageMeta:
        """An ItemList of the values shown, each a claim; the first value's claim card."""
        metric = self.metric
        path = metric.get_absolute_url()
        entries = [
            Entry(
                f"{row.statistic.display_value} ({row.statistic.period_display}) — "
                f"{row.statistic.claim.party.name}",
                row.statistic.claim.get_absolute_url(),
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

    @staticmethod
    def values_of(metric: Metric) -> QuerySet[Statistic]:
        """Every value of the metric in table order, with what each row shows."""
        return (
            Statistic.objects.filter(metric=metric)
            .select_related("claim__party", "claim__speaker")
            .prefetch_related(
                Prefetch(
                    "claim__citations",
                    queryset=Citation.objects.select_related("source").defer("source__body"),
                )
            )
            .order_by(
                F("period_start").asc(nulls_last=True),
                F("claim__claimed_on").asc(nulls_last=True),
                "pk",
            )
        )

    @classmethod
    def of(cls, metric: Metric, summary: MetricSummary, page: LinkedPage) -> MetricPage:
        """The stored verdicts (pairs listed per verdict, series and units summarised) and
        one page of the values table: a fixed number of queries, none comparing values."""
        pks = [pk for g in summary.groups for pair in g["pairs"] for pk in pair[:2]]
        loaded = stored_statistics(pks + [pk for pk, _ in summary.chart], with_sources=True)
        groups = []
        for stored in summary.groups:
            group = VerdictGroup(
                Verdict(stored["verdict"]), [], stored["total"], stored["complete"]
            )
            for a, b, a_count, b_count in stored["pairs"]:
                if a in loaded and b in loaded:  # else deleted by bulk SQL before a refresh
                    group.pairs.append(
                        (stored_entry(loaded[a], a_count), stored_entry(loaded[b], b_count))
                    )
            groups.append(group)
        dated = [stored_entry(loaded[pk], n) for pk, n in summary.chart if pk in loaded]
        rows = [
            ValueRow(statistic, first_of_each_source(statistic.claim.citations.all()))
            for statistic in page.object_list
        ]
        return cls(
            metric=metric,
            groups=groups,
            value_count=summary.value_count,
            entry_count=summary.entry_count,
            periods=summary.periods[:PERIODS_NAMED] if summary.period_count > 1 else [],
            period_count=summary.period_count if summary.period_count > 1 else 0,
            unit_count=summary.unit_count,
            chart=metric_chart(dated, summary.chart_left_out),
            page_obj=page,
            rows=rows,
        )
