"""The shape of a dispute bundle, and the checks a bundle passes before anything is written.

A bundle names everything by natural key (slugs; claims by a key local to the bundle), never
by the exporting installation's database ids. These checks need no database: structure,
references that resolve inside the bundle, body hashes and quotes verbatim at their offsets.
What only the target database can tell (a date that is not a date, a choice it does not
know) is left to the models' full_clean() when the import writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from claims.text import shorten
from sources.models import body_sha256

FORMAT = "counterpoint-dispute-bundle"
VERSION = 1

_TEXT = str
_OPTIONAL_TEXT = (str, type(None))

# Each record type: its required fields and the JSON types each may have.
OUTLET = {"slug": _TEXT, "name": _TEXT, "homepage": _TEXT, "description": _TEXT}
SOURCE = {
    "slug": _TEXT,
    "title": _TEXT,
    "outlet": _OPTIONAL_TEXT,
    "author": _TEXT,
    "kind": _TEXT,
    "published_on": _OPTIONAL_TEXT,
    "published_precision": _TEXT,
    "date_note": _TEXT,
    "url": _TEXT,
    "body": _TEXT,
    "body_sha256": _TEXT,
}
PARTY = {
    "slug": _TEXT,
    "name": _TEXT,
    "kind": _TEXT,
    "affiliation": _OPTIONAL_TEXT,
    "role": _TEXT,
    "description": _TEXT,
    "url": _TEXT,
}
METRIC = {"slug": _TEXT, "name": _TEXT, "definition": _TEXT, "unit": _TEXT}
CLAIM = {
    "key": _TEXT,
    "origin": dict,
    "party": _TEXT,
    "speaker": _OPTIONAL_TEXT,
    "summary": _TEXT,
    "kind": _TEXT,
    "claimed_on": _OPTIONAL_TEXT,
    "claimed_precision": _TEXT,
    "date_note": _TEXT,
    "citations": list,
    "statistics": list,
}
CITATION = {
    "source": _TEXT,
    "quote": _TEXT,
    "start": int,
    "end": int,
    "prefix": _TEXT,
    "suffix": _TEXT,
}
STATISTIC = {
    "metric": _TEXT,
    "value": _TEXT,  # a decimal as text: a JSON number would lose digits
    "unit": _TEXT,
    "currency": _TEXT,
    "qualifier": _TEXT,
    "period_label": _TEXT,
    "period_start": _OPTIONAL_TEXT,
    "period_end": _OPTIONAL_TEXT,
    "scope_note": _TEXT,
}
RELATION = {"from": _TEXT, "to": _TEXT, "kind": _TEXT, "note": _TEXT}
DISPUTE = {"slug": _TEXT, "title": _TEXT, "summary": _TEXT, "sides": list, "points": list}
SIDE = {"party": _TEXT, "label": _TEXT, "stance": _TEXT, "order": int}
POINT = {"question": _TEXT, "summary": _TEXT, "order": int, "placements": list}
PLACEMENT = {"claim": _TEXT, "side": _TEXT, "order": int}  # side: the side's party slug
TOP = {
    "format": _TEXT,
    "version": int,
    "dispute": dict,
    "claims": list,
    "relations": list,
    "parties": list,
    "metrics": list,
    "outlets": list,
    "sources": list,
}


class BundleError(Exception):
    """The bundle cannot be imported; problems says each thing wrong, naming the record."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        return f"The bundle was refused and nothing was imported:\n{lines}"


def load_bundle(raw: bytes | str) -> dict[str, Any]:
    """The bundle in raw JSON, checked by validate_bundle(); raises BundleError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BundleError([f"The file is not UTF-8 text (byte {exc.start})."]) from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BundleError(
            [f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]
        ) from exc
    validate_bundle(data)
    return data


def validate_bundle(data: Any) -> None:
    """Raise BundleError listing every problem found; return quietly if there is none."""
    if not isinstance(data, dict):
        raise BundleError(["The file holds JSON, but not an object: it is not a bundle."])
    if data.get("format") != FORMAT:
        raise BundleError(
            [f"Unknown format {data.get('format')!r}: expected {FORMAT!r}; not a dispute bundle."]
        )
    if data.get("version") != VERSION:
        raise BundleError(
            [
                f"Unsupported bundle version {data.get('version')!r}: this installation reads "
                f"version {VERSION} only."
            ]
        )
    problems = _shape_problems(data, TOP, "The bundle")
    if problems:  # the checks below walk the structure, so it must be sound first
        raise BundleError(problems)
    problems = _structure_problems(data)
    if problems:
        raise BundleError(problems)
    problems = [*_reference_problems(data), *_text_problems(data)]
    if problems:
        raise BundleError(problems)


def _shape_problems(record: Any, spec: dict[str, Any], label: str) -> list[str]:
    if not isinstance(record, dict):
        return [f"{label} is not a JSON object."]
    problems = []
    for name, types in spec.items():
        if name not in record:
            problems.append(f"{label} has no “{name}”.")
            continue
        value = record[name]
        allowed = types if isinstance(types, tuple) else (types,)
        # JSON true/false are Python bools, which are ints to isinstance; never a number here.
        if isinstance(value, bool) or not isinstance(value, allowed):
            problems.append(f"{label}: “{name}” should be {_type_names(allowed)}.")
    return problems


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", list: "a list", dict: "an object"}
    return " or ".join("null" if t is type(None) else names[t] for t in types)


def _records(data: dict[str, Any], key: str, spec: dict[str, Any], noun: str) -> list[str]:
    problems = []
    for i, record in enumerate(data[key], start=1):
        name = record.get("slug", record.get("key")) if isinstance(record, dict) else None
        label = f"{noun} “{name}”" if isinstance(name, str) else f"{noun} #{i}"
        problems += _shape_problems(record, spec, label)
    return problems


def _structure_problems(data: dict[str, Any]) -> list[str]:
    problems = [
        *_records(data, "outlets", OUTLET, "Outlet"),
        *_records(data, "sources", SOURCE, "Source"),
        *_records(data, "parties", PARTY, "Party"),
        *_records(data, "metrics", METRIC, "Metric"),
        *_records(data, "claims", CLAIM, "Claim"),
        *_records(data, "relations", RELATION, "Relation"),
        *_shape_problems(data["dispute"], DISPUTE, "The dispute"),
    ]
    if problems:
        return problems
    for claim in data["claims"]:
        label = f"Claim “{claim['key']}”"
        for i, citation in enumerate(claim["citations"], start=1):
            problems += _shape_problems(citation, CITATION, f"{label}, citation #{i}")
        for i, statistic in enumerate(claim["statistics"], start=1):
            problems += _shape_problems(statistic, STATISTIC, f"{label}, statistic #{i}")
    dispute = data["dispute"]
    for i, side in enumerate(dispute["sides"], start=1):
        problems += _shape_problems(side, SIDE, f"Side #{i} of the dispute")
    for i, point in enumerate(dispute["points"], start=1):
        label = f"Point #{i} of the dispute"
        point_problems = _shape_problems(point, POINT, label)
        problems += point_problems
        if not point_problems:
            for j, placement in enumerate(point["placements"], start=1):
                problems += _shape_problems(placement, PLACEMENT, f"{label}, placement #{j}")
    return problems


def _duplicates(values: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    repeated = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


def _reference_problems(data: dict[str, Any]) -> list[str]:
    keys = {
        "outlet": [o["slug"] for o in data["outlets"]],
        "source": [s["slug"] for s in data["sources"]],
        "party": [p["slug"] for p in data["parties"]],
        "metric": [m["slug"] for m in data["metrics"]],
        "claim": [c["key"] for c in data["claims"]],
    }
    problems = [
        f"Two {kind} records share the key “{key}”."
        for kind, values in keys.items()
        for key in _duplicates(values)
    ]
    problems += [
        f"Two sources have the same body (SHA-256 {digest[:12]}…)."
        for digest in _duplicates(s["body_sha256"] for s in data["sources"])
    ]
    problems += [
        f"Two sources have the URL {url}."
        for url in _duplicates(s["url"] for s in data["sources"] if s["url"])
    ]
    known = {kind: set(values) for kind, values in keys.items()}

    def missing(kind: str, key: str | None, where: str) -> None:
        if key is not None and key not in known[kind]:
            problems.append(f"{where} refers to {kind} “{key}”, which is not in the bundle.")

    for source in data["sources"]:
        missing("outlet", source["outlet"], f"Source “{source['slug']}”")
    for party in data["parties"]:
        missing("party", party["affiliation"], f"Party “{party['slug']}”")
    for claim in data["claims"]:
        label = f"Claim “{claim['key']}”"
        missing("party", claim["party"], label)
        missing("party", claim["speaker"], label)
        for citation in claim["citations"]:
            missing("source", citation["source"], label)
        for statistic in claim["statistics"]:
            missing("metric", statistic["metric"], label)
    for relation in data["relations"]:
        label = f"Relation {relation['from']} {relation['kind']} {relation['to']}"
        missing("claim", relation["from"], label)
        missing("claim", relation["to"], label)
    dispute = data["dispute"]
    side_parties = [side["party"] for side in dispute["sides"]]
    for side in dispute["sides"]:
        missing("party", side["party"], "A side of the dispute")
    problems += [f"The dispute has two sides for party “{p}”." for p in _duplicates(side_parties)]
    problems += [
        f"The dispute has two points “{question}” at position {order}."
        for question, order in _duplicates((p["question"], p["order"]) for p in dispute["points"])
    ]
    for point in dispute["points"]:
        label = f"Point “{point['question']}”"
        placed = [placement["claim"] for placement in point["placements"]]
        problems += [f"{label} places claim “{key}” twice." for key in _duplicates(placed)]
        for placement in point["placements"]:
            missing("claim", placement["claim"], label)
            if placement["side"] not in side_parties:
                problems.append(
                    f"{label} places claim “{placement['claim']}” on the side of "
                    f"“{placement['side']}”, which is not a side of the dispute."
                )
    return problems


def _text_problems(data: dict[str, Any]) -> list[str]:
    """Each body hashes to its stated SHA-256, and each quote is in it, verbatim, at its offsets."""
    problems = []
    bodies: dict[str, str] = {}
    for source in data["sources"]:
        if body_sha256(source["body"]) != source["body_sha256"]:
            problems.append(
                f"Source “{source['slug']}”: its body does not match its SHA-256 "
                f"{source['body_sha256'][:12]}… (the text or the hash was altered)."
            )
        else:
            bodies[source["slug"]] = source["body"]
    for claim in data["claims"]:
        for citation in claim["citations"]:
            body = bodies.get(citation["source"])
            if body is None:
                continue  # reported above, as a missing source or a bad hash
            quote, start, end = citation["quote"], citation["start"], citation["end"]
            if body[start:end] == quote and 0 <= start < end:
                continue
            where = (
                f"Claim “{claim['key']}” (“{shorten(claim['summary'], 60)}”) quotes source "
                f"“{citation['source']}”"
            )
            if quote and quote in body:
                problems.append(
                    f"{where}, but not at offsets {start}–{end}: “{shorten(quote, 80)}”."
                )
            else:
                problems.append(
                    f"{where} with words that are not in its body: “{shorten(quote, 80)}”."
                )
    return problems
