"""What a bundle shares with the installation it is imported into: outlets, sources, parties
and metrics, each matched by natural key and reused, or created when the target has none.

A reused record is left exactly as the target has it; the bundle never overwrites it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from claims.bundles.schema import BundleError
from claims.models import Metric, Party, PointClaim
from sources.models import Outlet, Source, unique_slug

# Kept by django-simple-history with each record an import creates (its field holds 100).
CHANGE_REASON = "Imported from a dispute bundle"
# What a reader of the summary calls them, where the model's own name says less.
_NAMES: dict[type[models.Model], str] = {PointClaim: "placements"}


@dataclass
class Tally:
    """How many records of each kind the import created and how many it reused."""

    created: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)

    def count(self, model: type[models.Model], *, created: bool) -> None:
        name = _NAMES.get(model, str(model._meta.verbose_name_plural))
        (self.created if created else self.reused)[name] += 1

    def lines(self) -> list[str]:
        names = sorted({*self.created, *self.reused})
        return [f"{n}: {self.created[n]} created, {self.reused[n]} reused" for n in names]


def describe(error: ValidationError) -> str:
    """A ValidationError as one line: "field: message; other: message"."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def check(obj: models.Model, label: str) -> None:
    """full_clean() (which also turns the bundle's text into dates and decimals); a refusal
    becomes a BundleError naming the record, which rolls the whole import back."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise BundleError([f"{label}: {describe(exc)}"]) from exc


def save_checked(obj: models.Model, label: str) -> None:
    check(obj, label)
    obj._change_reason = CHANGE_REASON  # type: ignore[attr-defined]  # read by simple_history
    obj.save()


M = TypeVar("M", Outlet, Metric)


def _by_slug_or_name(
    model: type[M], records: list[dict[str, Any]], fields: tuple[str, ...], tally: Tally
) -> dict[str, M]:
    """Records of a model whose name is unique, by bundle slug: the target's of that slug (or,
    failing that, name), else new."""
    found_by_slug: dict[str, M] = {}
    for data in records:
        found = (
            model._default_manager.filter(slug=data["slug"]).first()
            or model._default_manager.filter(name=data["name"]).first()
        )
        tally.count(model, created=found is None)
        if found is None:
            found = model(**{k: data[k] for k in fields})
            save_checked(found, f"{model.__name__} “{data['slug']}”")
        found_by_slug[data["slug"]] = found
    return found_by_slug


def import_outlets(records: list[dict[str, Any]], tally: Tally) -> dict[str, Outlet]:
    return _by_slug_or_name(Outlet, records, ("slug", "name", "homepage", "description"), tally)


def _existing_source(data: dict[str, Any]) -> Source | None:
    """The target's copy of the source: the one with its URL, or with its exact body."""
    by_url = Source.objects.filter(url=data["url"]).first() if data["url"] else None
    by_body = Source.objects.filter(body_sha256=data["body_sha256"]).first()
    if by_url and by_body and by_url.pk != by_body.pk:
        raise BundleError(
            [
                f"Source “{data['slug']}”: this database has its URL on “{by_url.title}” "
                f"({by_url.slug}) but its text on “{by_body.title}” ({by_body.slug}); "
                "which one is it? Resolve that first."
            ]
        )
    return by_url or by_body


def import_sources(
    records: list[dict[str, Any]], outlets: dict[str, Outlet], tally: Tally
) -> dict[str, Source]:
    """Sources by bundle slug: the same source (same URL, or same body) reused, else new.

    A new source keeps the bundle's slug unless the target already uses it for another.
    """
    sources = {}
    for data in records:
        found = _existing_source(data)
        tally.count(Source, created=found is None)
        if found is None:
            slug = data["slug"]
            if Source.objects.filter(slug=slug).exists():
                slug = unique_slug(Source, slug)
            fields = ("title", "author", "kind", "published_on", "published_precision")
            found = Source(
                slug=slug,
                outlet=outlets[data["outlet"]] if data["outlet"] else None,
                date_note=data["date_note"],
                url=data["url"],
                body=data["body"],
                **{k: data[k] for k in fields},
            )
            save_checked(found, f"Source “{data['slug']}”")
        sources[data["slug"]] = found
    return sources


def import_parties(records: list[dict[str, Any]], tally: Tally) -> dict[str, Party]:
    """Parties by slug: the target's of the same slug, else new; an organisation is made
    before the people affiliated with it."""
    parties: dict[str, Party] = {}
    waiting = list(records)
    while waiting:
        ready = [p for p in waiting if p["affiliation"] is None or p["affiliation"] in parties]
        if not ready:
            cycle = ", ".join(sorted(p["slug"] for p in waiting))
            raise BundleError([f"The affiliations of parties {cycle} go round in a circle."])
        for data in ready:
            found = Party.objects.filter(slug=data["slug"]).first()
            tally.count(Party, created=found is None)
            if found is None:
                found = Party(
                    affiliation=parties[data["affiliation"]] if data["affiliation"] else None,
                    **{k: data[k] for k in ("slug", "name", "kind", "role", "description", "url")},
                )
                save_checked(found, f"Party “{data['slug']}”")
            parties[data["slug"]] = found
        waiting = [p for p in waiting if p["slug"] not in parties]
    return parties


def import_metrics(records: list[dict[str, Any]], tally: Tally) -> dict[str, Metric]:
    return _by_slug_or_name(Metric, records, ("slug", "name", "definition", "unit"), tally)
