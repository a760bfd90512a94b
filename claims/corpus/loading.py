"""Storing a checked corpus: upsert by stable id, slug or natural key, never blindly.

Each object is compared with its row first; only a new or changed one goes through the
model's own validation (``full_clean()``, which anchors a citation's quote with the code an
analyst's edit uses) and ``save()``. Unchanged files therefore write nothing, not even
history. Nothing is deleted: a row the files no longer list is left for an editor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from claims.corpus.reading import Corpus, CorpusError, read_corpus
from claims.corpus.rows import attname, messages_of, raw, reset_sequences, validate
from claims.history import record_baseline_history
from claims.models import (
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
from sources.models import Outlet, Source, body_sha256

CHANGE_REASON = "Loaded from the seed corpus"
_LOOK_UP = object()  # upsert's default: find the row by its lookup
M = TypeVar("M", bound=models.Model)


MODELS = (
    Outlet,
    Source,
    Party,
    Metric,
    Claim,
    Citation,
    Statistic,
    ClaimRelation,
    Dispute,
    DisputeSide,
    DisputePoint,
    PointClaim,
)


@dataclass(frozen=True)
class CorpusReport:
    """What load_corpus did, per model name ("Claim": 3)."""

    directory: Path
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    history_started: dict[str, int] = field(default_factory=dict)
    # Relations between corpus claims that the files no longer list ("#85 rebuts #68"):
    # never deleted here, since an editor may have added them; listed so one can decide.
    unlisted_relations: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()))

    def summary(self) -> str:
        def part(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing"

        return (
            f"Created {part(self.created)}; updated {part(self.updated)}; "
            f"{sum(self.unchanged.values())} objects unchanged; "
            f"started the history of {sum(self.history_started.values())} objects."
            + (
                f" {len(self.unlisted_relations)} relation(s) between seed claims are not in "
                f"the corpus and were left as they are: {', '.join(self.unlisted_relations)}."
                if self.unlisted_relations
                else ""
            )
        )


class _Store:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.tally: dict[str, Counter] = {
            "created": Counter(),
            "updated": Counter(),
            "unchanged": Counter(),
        }
        # Existing rows of each model by lookup fields, fetched once: one query per model
        # rather than one per object.
        self.index: dict[tuple, dict[tuple, models.Model]] = {}

    def existing(self, model: type[M], lookup: dict[str, Any]) -> M | None:
        names = tuple(sorted(lookup))
        rows = self.index.get((model, names))
        if rows is None:
            columns = [name if name == "pk" else attname(model, name) for name in names]
            rows = {
                tuple(getattr(obj, column) for column in columns): obj
                for obj in model._default_manager.all()
            }
            self.index[(model, names)] = rows
        return cast("M | None", rows.get(tuple(raw(lookup[name]) for name in names)))

    def upsert(
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any],
        where: str,
        *,
        found: M | object | None = _LOOK_UP,
    ) -> M:
        """The row for lookup (or found, when the caller searched), made or brought to values;
        saved only if something differs. A value may be a related object, compared by id."""
        obj = self.existing(model, lookup) if found is _LOOK_UP else cast("M | None", found)
        if obj is None:
            obj, state = model(**lookup, **values), "created"
        else:
            changed = {
                name: value
                for name, value in values.items()
                if getattr(obj, attname(model, name)) != raw(value)
            }
            if not changed:
                self.tally["unchanged"][model.__name__] += 1
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            state = "updated"
        try:
            validate(obj)
        except ValidationError as exc:
            raise CorpusError(f"{where}: {messages_of(exc)}") from exc
        obj._change_reason = CHANGE_REASON  # type: ignore[attr-defined]  # read by simple_history
        try:
            obj.save()
        except IntegrityError as exc:  # a check constraint the database enforces
            raise CorpusError(f"{where}: refused by the database ({exc}).") from exc
        self.tally[state][model.__name__] += 1
        return obj

    def run(self) -> None:
        corpus = self.corpus
        outlets = {
            row["slug"]: self.upsert(
                Outlet,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "homepage": row.get("homepage", ""),
                    "description": row.get("description", ""),
                },
                f"outlets.toml: “{row['slug']}”",
            )
            for row in corpus.outlets
        }
        parties: dict[str, Party] = {}
        for row in corpus.parties:
            affiliation = parties[row["affiliation"]] if "affiliation" in row else None
            parties[row["slug"]] = self.upsert(
                Party,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "affiliation": affiliation,
                    "role": row.get("role", ""),
                    "description": row.get("description", ""),
                    "url": row.get("url", ""),
                },
                f"parties.toml: “{row['slug']}”",
            )
        metrics = {
            row["slug"]: self.upsert(
                Metric,
                {"slug": row["slug"]},
                {"name": row["name"], "unit": row["unit"], "definition": row["definition"]},
                f"metrics.toml: “{row['slug']}”",
            )
            for row in corpus.metrics
        }
        sources: dict[str, Source] = {}
        for row in corpus.sources:
            outlet = outlets[row["outlet"]] if "outlet" in row else None
            # By slug; else the same text under an old slug, so that a renamed slug updates.
            found = (
                Source.objects.filter(slug=row["slug"]).first()
                or Source.objects.filter(body_sha256=body_sha256(row["body"])).first()
            )
            values = {
                "title": row["title"],
                "slug": row["slug"],
                "outlet": outlet,
                "author": row.get("author", ""),
                "kind": row["kind"],
                "published_on": row["published_on"],
                "published_precision": row["precision"],
                "date_note": row.get("date_note", ""),
                "url": row.get("url", ""),
                "body": row["body"],
            }
            sources[row["key"]] = self.upsert(
                Source, {}, values, f"sources/{row['key']}.toml: [source]", found=found
            )
        for source in corpus.sources:
            for row in source["claims"]:
                self.claim(
                    row,
                    f"sources/{source['key']}.toml: claim {row['id']}",
                    parties,
                    metrics,
                    sources,
                )
        self.relations()
        self.disputes(parties)

    def claim(self, row, where, parties, metrics, sources) -> None:
        speaker = parties[row["speaker"]] if "speaker" in row else None
        claim = self.upsert(
            Claim,
            {"pk": row["id"]},
            {
                "party": parties[row["party"]],
                "speaker": speaker,
                "kind": row["kind"],
                "summary": row["summary"],
                "claimed_on": row["claimed_on"],
                "claimed_precision": row["precision"],
                "date_note": row.get("date_note", ""),
            },
            where,
        )
        for cite in row["citations"]:
            self.upsert(
                Citation,
                {"pk": cite["id"]},
                {
                    "claim": claim,
                    "source": sources[cite["source"]],
                    "quote": cite["quote"],
                    "needs_review": False,
                },
                f"{where}, citation {cite['id']}",
            )
        for stat in row["statistics"]:
            self.upsert(
                Statistic,
                {"pk": stat["id"]},
                {
                    "claim": claim,
                    "metric": metrics[stat["metric"]],
                    "value": stat["value"],
                    "unit": stat["unit"],
                    "currency": stat.get("currency", ""),
                    "qualifier": stat.get("qualifier", ""),
                    "period_label": stat.get("period_label", ""),
                    "period_start": stat.get("period_start"),
                    "period_end": stat.get("period_end"),
                    "scope_note": stat.get("scope_note", ""),
                },
                f"{where}, statistic {stat['id']}",
            )

    def relations(self) -> None:
        for n, row in enumerate(self.corpus.relations, 1):
            pair = {"from_claim_id": row["from"], "to_claim_id": row["to"]}
            # The same pair under another kind is the same relation, re-judged.
            found = self.existing(ClaimRelation, {**pair, "kind": row["kind"]}) or self.existing(
                ClaimRelation, pair
            )
            self.upsert(
                ClaimRelation,
                pair,
                {"kind": row["kind"], "note": row.get("note", "")},
                f"relations.toml: relation #{n} ({row['from']} {row['kind']} {row['to']})",
                found=found,
            )

    def disputes(self, parties: dict[str, Party]) -> None:
        for row in self.corpus.disputes:
            where = f"disputes.toml: dispute “{row['slug']}”"
            dispute = self.upsert(
                Dispute,
                {"slug": row["slug"]},
                {"title": row["title"], "summary": row.get("summary", "")},
                where,
            )
            sides = {
                side["party"]: self.upsert(
                    DisputeSide,
                    {"dispute": dispute, "party": parties[side["party"]]},
                    {
                        "stance": side["stance"],
                        "label": side.get("label", ""),
                        "order": side.get("order", 0),
                    },
                    f"{where}, side “{side['party']}”",
                )
                for side in row["sides"]
            }
            for point_row in row["points"]:
                point_where = f"{where}, point {point_row['id']}"
                point = self.upsert(
                    DisputePoint,
                    {"pk": point_row["id"]},
                    {
                        "dispute": dispute,
                        "question": point_row["question"],
                        "summary": point_row.get("summary", ""),
                        "order": point_row.get("order", 0),
                    },
                    point_where,
                )
                for placed in point_row["placements"]:
                    self.upsert(
                        PointClaim,
                        {"point": point, "claim_id": placed["claim"]},
                        {"side": sides[placed["side"]], "order": placed.get("order", 0)},
                        f"{point_where}, placement of claim {placed['claim']}",
                    )


def _unlisted_relations(corpus: Corpus) -> tuple[str, ...]:
    claim_ids = [claim["id"] for claim in corpus.claims]
    listed = {(row["from"], row["to"], row["kind"]) for row in corpus.relations}
    stored = ClaimRelation.objects.filter(from_claim__in=claim_ids, to_claim__in=claim_ids)
    return tuple(
        f"#{a} {kind} #{b}"
        for a, b, kind in stored.values_list("from_claim_id", "to_claim_id", "kind")
        if (a, b, kind) not in listed
    )


@transaction.atomic
def load_corpus(*, directory: Path) -> CorpusReport:
    """Check the corpus files in directory and bring the database to them, all or nothing.

    Raises CorpusError (naming the file and the item) and changes nothing when a file is
    wrong or a model refuses a value. Re-running on unchanged files writes nothing.
    """
    corpus = read_corpus(directory=directory)
    store = _Store(corpus)
    store.run()
    reset_sequences(MODELS)
    # Objects that predate their history (loaded raw, or by an older seed) get a first record.
    started = record_baseline_history(reason=CHANGE_REASON)
    names = [model.__name__ for model in MODELS]
    return CorpusReport(
        directory=directory,
        created={name: store.tally["created"][name] for name in names},
        updated={name: store.tally["updated"][name] for name in names},
        unchanged={name: store.tally["unchanged"][name] for name in names},
        history_started=started,
        unlisted_relations=_unlisted_relations(corpus),
    )
