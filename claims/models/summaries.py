"""What the verdict rules found for each metric, stored when its figures change.

Derived data: claims.comparisons writes it (refresh_metric_summaries, on every write through
the receivers; refresh_all_verdicts after a bulk load) and the pages read it, so no request
compares values. Statistics are stored by id and loaded for display, so a corrected source,
quote or party name shows at once without a refresh.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, F, OrderBy, Q
from django.db.models.functions import ExtractYear

from claims.models.figures import Metric, Statistic
from claims.models.parties import Party

# The order of a metric page's values table: by stated period (undated last), then when the
# value was said (undated last), then as recorded.
VALUE_TABLE_ORDER: tuple[OrderBy | str, ...] = (
    F("period_start").asc(nulls_last=True),
    F("claim__claimed_on").asc(nulls_last=True),
    "pk",
)


class MetricSummaryQuerySet(models.QuerySet):
    def conflicting(self) -> "MetricSummaryQuerySet":
        """Metrics whose values conflict, in the home page's order: the worst verdict
        first (sources disagree, then drift), then by metric."""
        return self.filter(conflict_rank__isnull=False).order_by("conflict_rank", "metric_id")


class MetricSummary(models.Model):
    metric = models.OneToOneField(
        Metric, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    value_count = models.PositiveIntegerField(default=0)  # every statistic of the metric
    entry_count = models.PositiveIntegerField(default=0)  # distinct readings
    unit_count = models.PositiveSmallIntegerField(default=0)
    period_count = models.PositiveIntegerField(default=0)  # distinct stated periods
    # The first PERIODS_STORED period texts, in period order.
    periods = models.JSONField(default=list)
    # The tally, in page order: [{"verdict", "total", "complete", "pairs": [[first statistic
    # id, second id, first count, second count], ...]}], at most SHOWN_PER_VERDICT pairs each.
    groups = models.JSONField(default=list)
    # The chart's dated readings as [[statistic id, count], ...] (empty: no chart), and how
    # many dated readings it leaves out.
    chart = models.JSONField(default=list)
    chart_left_out = models.PositiveIntegerField(default=0)
    # The home page's line: the worst conflicting verdict's rank (null: no conflict), its
    # first pair, how many conflicting pairs in all, and whether every pair was compared.
    conflict_rank = models.PositiveSmallIntegerField(null=True)
    conflict_pair = models.JSONField(default=list)
    conflict_total = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    objects = MetricSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["metric_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conflict_rank__isnull=True) | Q(conflict_total__gt=0),
                name="metric_summary_conflict_has_pairs",
            ),
        ]
        indexes = [
            # Serves MetricSummaryQuerySet.conflicting(), the home page's open discrepancies:
            # WHERE conflict_rank IS NOT NULL ORDER BY conflict_rank, metric_id LIMIT 6.
            models.Index(
                fields=["conflict_rank", "metric"],
                condition=Q(conflict_rank__isnull=False),
                name="metric_summary_conflicts_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Verdicts on {self.metric_id}"

    def get_absolute_url(self) -> str:
        return self.metric.get_absolute_url()


class MetricValueOrder(models.Model):
    """The metric page's table of every value, in its order (by stated period, then when
    it was said, then id), stored with the summary by the same refreshes.

    Sorting a metric's values joined to their claims read every value of the largest
    period before the first page (5,000 values of one metric at 100,000 claims); with the
    order stored, each page of the table loads its 50 statistics by id. Kept apart from
    MetricSummary, which other pages join to every figure they show, so that they do not
    load this list of every id."""

    metric = models.OneToOneField(
        Metric, on_delete=models.CASCADE, primary_key=True, related_name="value_order"
    )
    statistic_ids = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Order of the values of {self.metric_id}"

    @classmethod
    def of_metrics(cls, metric_ids: list[int]) -> list["MetricValueOrder"]:
        """Each metric's statistic ids in VALUE_TABLE_ORDER, unsaved (one query)."""
        ordered: dict[int, list[int]] = {pk: [] for pk in metric_ids}
        rows = Statistic.objects.filter(metric_id__in=metric_ids).order_by(*VALUE_TABLE_ORDER)
        for metric_id, pk in rows.values_list("metric_id", "pk"):
            ordered[metric_id].append(pk)
        return [cls(metric_id=m, statistic_ids=ids) for m, ids in ordered.items()]


class PartySummary(models.Model):
    """A party's claims counted by year, as ClaimQuerySet.by_party finds them (made by the
    party, said by it, or by its people), so neither its page's year facets nor the party
    list count all of a party's claims on each request.

    Derived data, stored when a claim is saved or deleted and when a person joins or leaves
    an organisation (claims/receivers.py); refresh_all() after a bulk load. A party page
    without one builds and stores it on first view."""

    party = models.OneToOneField(
        Party, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    claim_count = models.PositiveIntegerField(default=0)
    # [[year, count], ...] in timeline order, year null (date unknown) last.
    years = models.JSONField(default=list)

    class Meta:
        ordering = ["party_id"]

    def __str__(self) -> str:
        return f"Claims of {self.party_id} by year"

    @classmethod
    def refresh(cls, party_ids: Iterable[int]) -> list["PartySummary"]:
        """Count again the claims of these parties (one GROUP BY each, over that party's
        claims only) and store the counts; the stored rows."""
        claims = apps.get_model("claims", "Claim").objects
        stored: list[PartySummary] = []
        for party in Party.objects.filter(pk__in=set(party_ids)):
            rows = (
                claims.by_party(party)
                .order_by()
                .annotate(year=ExtractYear("claimed_on"))
                .values_list("year")
                .annotate(n=Count("pk"))
            )
            years = sorted(rows, key=lambda r: (r[0] is None, r[0] or 0))
            summary, _ = cls.objects.update_or_create(
                party=party,
                defaults={
                    "claim_count": sum(n for _, n in years),
                    "years": [[year, n] for year, n in years],
                },
            )
            stored.append(summary)
        return stored

    @classmethod
    def of(cls, party: Party) -> "PartySummary":
        """The party's stored counts (loaded with select_related("summary")), or, for a
        party never counted since the table was made, counted now and stored."""
        try:
            return party.summary
        except cls.DoesNotExist:
            return cls.refresh([party.pk])[0]

    @classmethod
    def refresh_all(cls) -> int:
        """Every party's counts, for loaders that bypass save(); how many parties."""
        ids = list(Party.objects.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                cls.refresh(ids[start : start + 500])
        return len(ids)


def refresh_party_summaries() -> int:
    """PartySummary.refresh_all(), by a name bulk loaders can look up."""
    return PartySummary.refresh_all()
