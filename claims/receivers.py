"""How the claims app answers the sources app's signals (connected in ClaimsConfig.ready)."""

from typing import Any

from claims.comparisons import refresh_metric_summaries
from claims.models import Claim, Metric, Statistic
from claims.services import ReanchorResult, reanchor_source
from sources.models import Source


def reanchor_after_body_change(
    sender: type[Source], *, source: Source, **kwargs: Any
) -> ReanchorResult:
    """A corrected source text: every citation of it is found again, or flagged for review."""
    return reanchor_source(source=source)


# The stored verdicts (MetricSummary) follow every write that can change a reading: a
# statistic saved, moved to another metric or deleted; a claim saved (its party is part of
# each reading); a metric saved. Citations and sources change what is shown, not verdicts:
# the summaries name statistics by id and pages load them fresh.
def remember_statistic_metric(
    sender: type[Statistic], *, instance: Statistic, **kwargs: Any
) -> None:
    """Before a save, the metric the statistic had, so moving it refreshes both."""
    if instance.pk is None:
        instance._metric_before_save = None
        return
    before = Statistic.objects.filter(pk=instance.pk).values_list("metric_id", flat=True).first()
    instance._metric_before_save = before


def refresh_after_statistic_change(
    sender: type[Statistic], *, instance: Statistic, **kwargs: Any
) -> None:
    before = instance._metric_before_save
    refresh_metric_summaries({instance.metric_id, *([before] if before else [])})


def refresh_after_claim_save(sender: type[Claim], *, instance: Claim, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # a new claim has no figures yet
    metrics = Statistic.objects.filter(claim=instance).values_list("metric_id", flat=True)
    if ids := set(metrics):
        refresh_metric_summaries(ids)


def refresh_after_metric_save(sender: type[Metric], *, instance: Metric, **kwargs: Any) -> None:
    refresh_metric_summaries({instance.pk})
