"""Public corrections: what a reader is told when a published claim was changed.

A claim is public from the moment it is created, so every later change to its quote,
date, party, speaker or figure is a correction the permalink owns up to; so is a rename of
the party it is attributed to (or spoken by), or of the metric one of its figures gives,
made while the claim showed that party or figure. The history comes from
django-simple-history's tables for Claim, Citation, Statistic, Party and Metric; a fixed
number of queries (seven at most) whatever the length of that history.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from simple_history.utils import get_history_manager_for_model

from claims.anchoring import normalise
from claims.models import (
    Assessment,
    Citation,
    Claim,
    ClaimRelation,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.dates import format_precise_date
from sources.models import Outlet, Source

# Every model whose changes are kept (each has `history = HistoricalRecords()`): every
# record a reader's page depends on.
HISTORY_MODELS = (
    Outlet,
    Source,
    Party,
    Claim,
    Citation,
    Metric,
    Statistic,
    ClaimRelation,
    Dispute,
    DisputeSide,
    DisputePoint,
    PointClaim,
    Assessment,
)


@dataclass(frozen=True)
class Correction:
    corrected_at: datetime.datetime
    what: str  # "Quote", "Date", "Party", "Speaker", "Figure"
    old: str = ""
    new: str = ""
    verb: str = "corrected"  # or "withdrawn"; "renamed" for a party or a figure's metric

    @property
    def description(self) -> str:
        """ "Quote corrected on 24 Nov 2026"."""
        day = self.corrected_at.date()
        return f"{self.what} {self.verb} on {day.day} {day:%b %Y}"

    def __str__(self) -> str:
        if self.old or self.new:
            return f"{self.description}: was {self.old or '—'}, now {self.new or '—'}."
        return f"{self.description}."


def _figure(record, metric_names: dict[int, str]) -> str:
    statistic = Statistic(
        value=Decimal(record.value),
        unit=record.unit,
        currency=record.currency,
        qualifier=record.qualifier,
    )
    text = statistic.display_value
    if record.period_label:
        text = f"{text} ({record.period_label})"
    metric = metric_names.get(record.metric_id)
    return f"{metric}: {text}" if metric else text


def _pairs(records):
    """(previous, current) for each change after the first record of one object."""
    return itertools.pairwise(records)


def public_corrections(claim: Claim) -> list[Correction]:
    """Every correction to the claim since it was published, oldest first."""
    return corrections_by_claim([claim.pk]).get(claim.pk, [])


def corrections_by_claim(claim_ids: Collection[int]) -> dict[int, list[Correction]]:
    """public_corrections of each claim, oldest first, in seven queries for any number."""
    if not claim_ids:
        return {}
    claim_history = _group(
        Claim.history.filter(id__in=claim_ids).order_by("id", "history_date", "history_id"),
        "id",
    )
    citation_history = _group(
        Citation.history.filter(claim_id__in=claim_ids).order_by(
            "id", "history_date", "history_id"
        ),
        "claim_id",
    )
    statistic_history = _group(
        Statistic.history.filter(claim_id__in=claim_ids).order_by(
            "id", "history_date", "history_id"
        ),
        "claim_id",
    )
    party_ids = {
        pk
        for records in claim_history.values()
        for r in records
        for pk in (r.party_id, r.speaker_id)
    }
    party_names = dict(Party.objects.filter(pk__in=party_ids - {None}).values_list("pk", "name"))
    metric_ids = {r.metric_id for records in statistic_history.values() for r in records}
    metric_names = dict(Metric.objects.filter(pk__in=metric_ids).values_list("pk", "name"))
    # The name histories of every party and metric these claims have shown, read once for
    # the whole batch (two queries), so a feed of many claims costs no more than one.
    party_names_over_time = _name_history(Party, party_ids - {None})
    metric_names_over_time = _name_history(Metric, metric_ids - {None})
    found = {}
    for claim_id, records in claim_history.items():
        figures = statistic_history.get(claim_id, [])
        corrections = [
            *_corrections(
                records, citation_history.get(claim_id, []), figures, party_names, metric_names
            ),
            *_renames(party_names_over_time, party_spans(records), "Party", records),
            *_renames(metric_names_over_time, metric_spans(figures), "Figure", records),
        ]
        found[claim_id] = sorted(corrections, key=lambda c: c.corrected_at)
    return found


def _name_history(model: type[Party] | type[Metric], ids: set[int]) -> dict[int, list]:
    """Each object's history records (id, name, date), oldest first (one query, none if
    there are no ids)."""
    if not ids:
        return {}
    history = get_history_manager_for_model(model).filter(id__in=ids)
    records = history.only("id", "name", "history_date").order_by(
        "id", "history_date", "history_id"
    )
    return _group(records, "id")


def _group(records, key: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(getattr(record, key), []).append(record)
    return grouped


def _corrections(
    claim_history: list,
    citation_history: list,
    statistic_history: list,
    party_names: dict[int, str],
    metric_names: dict[int, str],
) -> list[Correction]:
    if not claim_history:
        return []
    published_at = claim_history[0].history_date
    corrections: list[Correction] = []
    for before, after in _pairs(claim_history):
        at = after.history_date
        if (before.claimed_on, before.claimed_precision) != (
            after.claimed_on,
            after.claimed_precision,
        ):
            corrections.append(
                Correction(
                    at,
                    "Date",
                    format_precise_date(before.claimed_on, before.claimed_precision),
                    format_precise_date(after.claimed_on, after.claimed_precision),
                )
            )
        if before.party_id != after.party_id:
            corrections.append(
                Correction(
                    at,
                    "Party",
                    party_names.get(before.party_id, "a party since removed"),
                    party_names.get(after.party_id, ""),
                )
            )
        if before.speaker_id != after.speaker_id:
            corrections.append(
                Correction(
                    at,
                    "Speaker",
                    party_names.get(before.speaker_id, "none"),
                    party_names.get(after.speaker_id, "none"),
                )
            )

    for records in _by_object(citation_history):
        for before, after in _pairs(records):
            if after.history_date <= published_at:
                continue
            if after.history_type == "-":
                corrections.append(
                    Correction(after.history_date, "Quote", f"“{before.quote}”", "", "withdrawn")
                )
            elif normalise(before.quote) != normalise(after.quote):
                corrections.append(
                    Correction(after.history_date, "Quote", f"“{before.quote}”", f"“{after.quote}”")
                )

    for records in _by_object(statistic_history):
        for before, after in _pairs(records):
            if after.history_date <= published_at:
                continue
            if after.history_type == "-":
                corrections.append(
                    Correction(
                        after.history_date, "Figure", _figure(before, metric_names), "", "withdrawn"
                    )
                )
                continue
            old, new = _figure(before, metric_names), _figure(after, metric_names)
            if old != new:
                corrections.append(Correction(after.history_date, "Figure", old, new))

    return corrections


# When a claim showed a party or a metric: object id → [(from, until)], until None for now.
Spans = dict[int, list[tuple[datetime.datetime, datetime.datetime | None]]]


def party_spans(claim_history: list) -> Spans:
    """When the claim was attributed to, or spoken by, each party it has had."""
    spans: Spans = {}
    for record, following in itertools.zip_longest(claim_history, claim_history[1:]):
        until = following.history_date if following else None
        for party_id in {record.party_id, record.speaker_id} - {None}:
            spans.setdefault(party_id, []).append((record.history_date, until))
    return spans


def metric_spans(statistic_history: list) -> Spans:
    """When one of the claim's figures gave each metric (a withdrawn figure gives none)."""
    spans: Spans = {}
    for records in _by_object(statistic_history):
        for record, following in itertools.zip_longest(records, records[1:]):
            if record.history_type != "-":
                until = following.history_date if following else None
                spans.setdefault(record.metric_id, []).append((record.history_date, until))
    return spans


def _renames(
    names_over_time: dict[int, list], spans: Spans, what: str, claim_history: list
) -> list[Correction]:
    """Renames of the objects in spans made after publication while the claim showed them:
    a rename before the claim was published, or before the claim named the party or gave
    the figure, changed nothing a reader of the claim had seen."""
    if not spans or not claim_history:
        return []
    published_at = claim_history[0].history_date
    renames = []
    for object_id in spans:
        for before, after in _pairs(names_over_time.get(object_id, [])):
            at = after.history_date
            if at <= published_at or before.name == after.name:
                continue
            if any(
                start <= at and (until is None or at < until) for start, until in spans[object_id]
            ):
                renames.append(Correction(at, what, before.name, after.name, "renamed"))
    return renames


def _by_object(records: list) -> list[list]:
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record.id, []).append(record)
    return list(grouped.values())


# What each kind of record must change, against the object's previous record, to be able
# to make a correction (a superset of what _corrections reports: normalising a quote or
# formatting a figure is Python's to judge).
_CORRECTABLE_FIELDS = (
    (Claim, "id", ("claimed_on", "claimed_precision", "party_id", "speaker_id")),
    (Citation, "claim_id", ("quote",)),
    (
        Statistic,
        "claim_id",
        ("value", "unit", "currency", "qualifier", "period_label", "metric_id"),
    ),
)


def _differs(field: str, previous: str) -> Q:
    """field is not what it was, NULLs included (a plain `!=` is unknown against NULL)."""
    was_null, is_null = Q(**{f"{previous}__isnull": True}), Q(**{f"{field}__isnull": True})
    both_set = ~was_null & ~is_null
    return (is_null & ~was_null) | (~is_null & was_null) | (both_set & ~Q(**{field: F(previous)}))


def _change_scan(model: type[models.Model], claim_field: str, fields: tuple[str, ...]):
    """(claim id, when) of the changes to model that may be corrections of a claim that still
    exists, newest first; records that only re-anchor a quote or edit a summary are left out."""
    history = get_history_manager_for_model(model)
    previous = (
        history.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
    )
    annotations = {f"was_{f}": Subquery(previous.values(f)[:1]) for f in fields}
    changed = Q()
    for f in fields:
        changed |= _differs(f, f"was_{f}")
    # A claim's own removal is its withdrawal, not a correction; a citation or figure
    # removed from a claim that stays is one.
    if model is Claim:
        kinds, may_correct = ["~"], changed
    else:
        kinds, may_correct = ["~", "-"], changed | Q(history_type="-")
    return (
        history.filter(history_type__in=kinds)
        .filter(Exists(Claim.objects.filter(pk=OuterRef(claim_field))))
        .annotate(**annotations)
        .filter(may_correct)
        .order_by("-history_date", "-history_id")
        .values_list(claim_field, "history_date")
    )


def latest_corrections(limit: int) -> list[tuple[int, Correction]]:
    """The newest `limit` public corrections of existing claims as (claim id, correction),
    newest first, in at most eight queries whatever the size of the history.

    Reads the newest `limit` possibly-correcting changes of each kind, then the history of
    the claims they touch. Only corrections no older than the oldest change read of a kind
    that had more are kept, so nothing newer is ever skipped; the feed may then hold fewer
    than `limit` entries, never a wrong or out-of-order one.
    """
    candidates: set[int] = set()
    complete_since: datetime.datetime | None = None
    for model, claim_field, fields in _CORRECTABLE_FIELDS:
        changes = list(_change_scan(model, claim_field, fields)[:limit])
        candidates.update(claim_id for claim_id, _ in changes)
        if len(changes) == limit:  # older changes of this kind were not read
            oldest = changes[-1][1]
            complete_since = oldest if complete_since is None else max(complete_since, oldest)
    found = [
        (claim_id, correction)
        for claim_id, corrections in corrections_by_claim(candidates).items()
        for correction in corrections
        if complete_since is None or correction.corrected_at >= complete_since
    ]
    found.sort(key=lambda pair: (pair[1].corrected_at, pair[0]), reverse=True)
    return found[:limit]


@transaction.atomic
def record_baseline_history(*, reason: str = "Loaded from the seed data") -> dict[str, int]:
    """Give every tracked object that has no history yet a "created" record of its state now.

    loaddata saves raw, and django-simple-history records nothing for a raw save; without a
    first record, the first correction of a seeded claim has nothing to be compared with and
    is never shown. Unlike `populate_history --auto`, which skips a whole model as soon as
    any of its objects has history, this fills in only the objects that lack it.
    Returns the number of records made per model.
    """
    made = {}
    for model in HISTORY_MODELS:
        history = get_history_manager_for_model(model)
        pk_name = model._meta.pk.attname
        with_history = history.model.objects.values(pk_name)
        missing = list(model._default_manager.exclude(pk__in=with_history).order_by("pk"))
        if missing:
            history.bulk_history_create(missing, default_change_reason=reason)
        made[model.__name__] = len(missing)
    return made
