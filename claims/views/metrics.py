"""The metric list and a metric's page: do the values agree, a chart, every value."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.cards import first_of_each_source
from claims.charts import Chart, dated_entries, metric_chart
from claims.comparisons import VerdictGroup, load_statistics, metric_entries, tally
from claims.meta import PageMeta, absolute
from claims.models import Citation, Metric, Statistic
from claims.structured_data.pages import Entry, item_list_ld

VALUES_PER_PAGE = 50


@require_safe
def metric_list(request: HttpRequest) -> HttpResponse:
    metrics = Metric.objects.annotate(
        value_count=Count("statistics", distinct=True),
        period_count=Count("statistics__period_start", distinct=True),
    ).order_by("name")
    meta = PageMeta.collection(
        title="Figures",
        description="Numbers that several parties or sources report, with every value side "
        "by side.",
        path=reverse("metrics:list"),
        entries=[Entry(m.name, m.get_absolute_url()) for m in metrics],
    )
    return render(request, "claims/metric_list.html", {"metrics": metrics, "meta": meta})


@require_safe
def metric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    metric = get_object_or_404(Metric, slug=slug)
    page = MetricPage.of(metric, request.GET.get("page"))
    return render(request, "claims/metric_detail.html", {"report": page, "meta": page.meta})


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
    periods: list[str]  # the distinct stated periods, when there are several: a series
    unit_count: int
    chart: Chart | None
    page_obj: Page  # the values table, paginated
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
        return bool(self.groups or self.periods or self.unit_count > 1)

    @classmethod
    def of(cls, metric: Metric, page_number: str | None) -> MetricPage:
        """Distinct values compared pair by pair (each pair once), series and units
        summarised, the values table paginated: a fixed number of queries, work bounded
        by PAIR_BUDGET."""
        entries = metric_entries([metric.pk])[metric.pk]
        groups, _ = tally(entries)
        shown = [e for g in groups.values() for e in g.entries]
        load_statistics(shown + dated_entries(entries), with_sources=True)
        periods = list(dict.fromkeys(e.reading.period for e in entries if e.reading.period))
        values = (
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
        page = Paginator(values, VALUES_PER_PAGE).get_page(page_number)
        rows = []
        for statistic in page.object_list:
            sources = first_of_each_source(statistic.claim.citations.all())
            rows.append(ValueRow(statistic, sources))
        return cls(
            metric=metric,
            groups=list(groups.values()),
            value_count=sum(e.count for e in entries),
            entry_count=len(entries),
            periods=[p.text for p in periods] if len(periods) > 1 else [],
            unit_count=len({(e.reading.unit, e.reading.currency) for e in entries}),
            chart=metric_chart(entries),
            page_obj=page,
            rows=rows,
        )
