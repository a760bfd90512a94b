"""How the claims app answers signals (connected in ClaimsConfig.ready): the sources app's
corrected texts, and the writes that change what the search index holds."""

from typing import Any

from claims.comparisons import refresh_metric_summaries
from claims.models import Citation, Claim, Metric, Party, PartySummary, Statistic
from claims.search.index import forget_claims, reindex_claims
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


# loaddata saves raw (related rows may not be loaded yet): a restore rebuilds the index
# once at the end instead (claims/backups.py).


def reindex_saved_claim(sender: type[Claim], *, instance: Claim, raw: bool, **kwargs: Any) -> None:
    if not raw:
        reindex_claims([instance.pk], using=kwargs.get("using") or "default")


def forget_deleted_claim(sender: type[Claim], *, instance: Claim, **kwargs: Any) -> None:
    forget_claims([instance.pk], using=kwargs.get("using") or "default")


def reindex_cited_claim(sender: type[Citation], *, instance: Citation, **kwargs: Any) -> None:
    """A citation saved or deleted: its claim's quotes changed (a claim deleted with its
    citations is dropped from the index after them)."""
    if not kwargs.get("raw"):
        reindex_claims([instance.claim_id], using=kwargs.get("using") or "default")


def reindex_renamed_party(
    sender: type[Party], *, instance: Party, raw: bool, **kwargs: Any
) -> None:
    """The claims a party made or spoke carry its name in the index."""
    if raw or not instance.name_changed:
        return
    using = kwargs.get("using") or "default"
    claims = Claim.objects.using(using).filter(party=instance) | Claim.objects.using(using).filter(
        speaker=instance
    )
    reindex_claims(claims.values_list("pk", flat=True), using=using)
    instance.remember_stored_name()


# The stored counts of a party's claims by year (PartySummary) follow every write that moves
# a claim between timelines or years: a claim saved with another party, speaker or date, a
# claim deleted, a person joining or leaving an organisation. A claim counts for its party,
# its speaker and the organisations they speak for.
def remember_claim_placing(sender: type[Claim], *, instance: Claim, **kwargs: Any) -> None:
    """Before a save, the party, speaker and date the claim had (None: a new claim)."""
    if instance.pk is None or kwargs.get("raw"):
        instance._placing_before_save = None
        return
    instance._placing_before_save = (
        Claim.objects.filter(pk=instance.pk)
        .values_list("party_id", "speaker_id", "claimed_on")
        .first()
    )


def _refresh_party_summaries(party_ids: set[int | None]) -> None:
    ids = {pk for pk in party_ids if pk is not None}
    if not ids:
        return
    organisations = Party.objects.filter(pk__in=ids, affiliation__isnull=False)
    ids |= set(organisations.values_list("affiliation_id", flat=True))
    PartySummary.refresh(ids)


def refresh_party_years_after_claim_save(
    sender: type[Claim], *, instance: Claim, raw: bool, **kwargs: Any
) -> None:
    if raw:
        return  # a restore refreshes every party at the end (claims/backups.py)
    now = (instance.party_id, instance.speaker_id, instance.claimed_on)
    before = getattr(instance, "_placing_before_save", None)
    if before is not None and before == now:
        return  # an edit of the wording: no count changes
    _refresh_party_summaries({*now[:2], *((before or (None, None))[:2])})


def refresh_party_years_after_claim_delete(
    sender: type[Claim], *, instance: Claim, **kwargs: Any
) -> None:
    _refresh_party_summaries({instance.party_id, instance.speaker_id})


def remember_party_affiliation(sender: type[Party], *, instance: Party, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        instance._affiliation_before_save = None
        return
    before = Party.objects.filter(pk=instance.pk).values_list("affiliation_id", flat=True)
    instance._affiliation_before_save = before.first()


def refresh_party_years_after_party_save(
    sender: type[Party], *, instance: Party, raw: bool, created: bool, **kwargs: Any
) -> None:
    """A person who joins or leaves an organisation takes their claims along."""
    if raw or created:
        return  # a new party has no claims yet
    before = getattr(instance, "_affiliation_before_save", None)
    if before != instance.affiliation_id:
        PartySummary.refresh({pk for pk in (before, instance.affiliation_id) if pk})
