"""Reading and checking the seed corpus files, before anything touches the database.

Every problem is a CorpusError whose message names the file and the item ("sources/001.toml:
claim 45, citation 112: ..."), so a wrong edit is found where it was made.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from claims.models import Claim, ClaimRelation, Metric, Party, Statistic
from sources.dates import DatePrecision
from sources.models import Source

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorpusError(ValueError):
    """The corpus files are wrong; the message names the file and the item."""


@dataclass
class Corpus:
    """The checked content of a corpus directory: plain dicts, ready to be stored."""

    directory: Path
    outlets: list[dict[str, Any]] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # each with "claims"
    relations: list[dict[str, Any]] = field(default_factory=list)
    disputes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def claims(self) -> list[dict[str, Any]]:
        return [claim for source in self.sources for claim in source["claims"]]

    def counts(self) -> dict[str, int]:
        """How many objects of each model the files declare."""
        claims = self.claims
        disputes = self.disputes
        return {
            "Outlet": len(self.outlets),
            "Source": len(self.sources),
            "Party": len(self.parties),
            "Metric": len(self.metrics),
            "Claim": len(claims),
            "Citation": sum(len(c["citations"]) for c in claims),
            "Statistic": sum(len(c["statistics"]) for c in claims),
            "ClaimRelation": len(self.relations),
            "Dispute": len(disputes),
            "DisputeSide": sum(len(d["sides"]) for d in disputes),
            "DisputePoint": sum(len(d["points"]) for d in disputes),
            "PointClaim": sum(len(p["placements"]) for d in disputes for p in d["points"]),
        }


def parse_precise_date(value: Any, where: str) -> tuple[datetime.date | None, str]:
    """ "2017-03-09" (day), "2016-06" (month), "2017" (year) or absent (unknown)."""
    if value is None:
        return None, DatePrecision.UNKNOWN
    match = _DATE.match(value) if isinstance(value, str) else None
    if not match:
        raise CorpusError(f"{where}: {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY.")
    year, month, day = match.groups()
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise CorpusError(f"{where}: {value!r} is not a date ({exc}).") from exc
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


class _Reader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.corpus = Corpus(directory=directory)

    # -- helpers -------------------------------------------------------------------------

    def load(self, relative: str) -> dict[str, Any]:
        path = self.directory / relative
        if not path.is_file():
            raise CorpusError(f"{relative}: file missing from {self.directory}.")
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{relative}: not valid TOML ({exc}).") from exc

    @staticmethod
    def fields(
        item: Any, where: str, required: dict[str, type], optional: dict[str, type]
    ) -> dict[str, Any]:
        """The item's fields, each of the right type; a missing or unknown one is an error."""
        if not isinstance(item, dict):
            raise CorpusError(f"{where}: expected a table.")
        unknown = set(item) - set(required) - set(optional)
        if unknown:
            raise CorpusError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
        for name in required:
            if name not in item or item[name] in ("", []):
                raise CorpusError(f"{where}: missing field “{name}”.")
        for name, kind in {**required, **optional}.items():
            if name in item and not isinstance(item[name], kind):
                raise CorpusError(f"{where}: “{name}” must be a {kind.__name__}.")
        return dict(item)

    @staticmethod
    def choice(value: str, choices, where: str, name: str) -> str:
        if value not in choices.values:
            raise CorpusError(
                f"{where}: {name} “{value}” is not one of {', '.join(choices.values)}."
            )
        return value

    @staticmethod
    def known(value: Any, known: dict, where: str, what: str) -> Any:
        if value not in known:
            raise CorpusError(f"{where}: unknown {what} “{value}”.")
        return known[value]

    @staticmethod
    def unique(value: Any, seen: dict, where: str, what: str) -> None:
        if value in seen:
            raise CorpusError(f"{where}: duplicate {what} {value!r} (also in {seen[value]}).")
        seen[value] = where

    def table_list(self, relative: str, name: str) -> list[Any]:
        data = self.load(relative)
        if set(data) - {name}:
            raise CorpusError(f"{relative}: unexpected top-level key(s) besides [[{name}]].")
        items = data.get(name, [])
        if not isinstance(items, list):
            raise CorpusError(f"{relative}: “{name}” must be an array of tables.")
        return items

    # -- files ---------------------------------------------------------------------------

    def read(self) -> Corpus:
        self.outlets = self.read_slugged("outlets.toml", "outlets", self.outlet)
        self.parties = self.read_slugged("parties.toml", "parties", self.party)
        self.metrics = self.read_slugged("metrics.toml", "metrics", self.metric)
        self.claim_ids: dict[int, str] = {}
        self.citation_ids: dict[int, str] = {}
        self.statistic_ids: dict[int, str] = {}
        self.read_sources()
        self.claims = {c["id"]: c for c in self.corpus.claims}
        self.read_relations()
        self.read_disputes()
        return self.corpus

    def read_slugged(self, relative: str, name: str, check) -> dict[str, dict]:
        seen: dict[str, str] = {}
        out: dict[str, dict] = {}
        for n, item in enumerate(self.table_list(relative, name), 1):
            where = f"{relative}: {name} #{n}"
            row = check(item, where)
            where = f"{relative}: “{row['slug']}”"
            self.unique(row["slug"], seen, where, "slug")
            out[row["slug"]] = row
            getattr(self.corpus, name).append(row)
        return out

    def outlet(self, item, where) -> dict:
        return self.fields(
            item, where, {"slug": str, "name": str}, {"homepage": str, "description": str}
        )

    def party(self, item, where) -> dict:
        row = self.fields(
            item,
            where,
            {"slug": str, "name": str, "kind": str},
            {"affiliation": str, "role": str, "description": str, "url": str},
        )
        self.choice(row["kind"], Party.Kind, where, "kind")
        # An organisation is listed before the people who speak for it.
        if "affiliation" in row and row["affiliation"] not in {
            p["slug"] for p in self.corpus.parties
        }:
            raise CorpusError(
                f"{where}: unknown affiliation “{row['affiliation']}” (list it earlier)."
            )
        return row

    def metric(self, item, where) -> dict:
        row = self.fields(
            item, where, {"slug": str, "name": str, "unit": str, "definition": str}, {}
        )
        self.choice(row["unit"], Metric.Unit, where, "unit")
        return row

    def read_sources(self) -> None:
        folder = self.directory / "sources"
        keys = sorted(p.stem for p in folder.glob("*.toml"))
        texts = sorted(p.stem for p in folder.glob("*.txt"))
        if not keys:
            raise CorpusError(f"sources/: no source files in {folder}.")
        if keys != texts:
            odd = sorted(set(keys) ^ set(texts))
            raise CorpusError(f"sources/: {', '.join(odd)} must have both a .toml and a .txt.")
        self.bodies = {key: (folder / f"{key}.txt").read_bytes().decode("utf-8") for key in keys}
        slugs: dict[str, str] = {}
        for key in keys:
            relative = f"sources/{key}.toml"
            data = self.load(relative)
            if set(data) - {"source", "claims"}:
                raise CorpusError(f"{relative}: only [source] and [[claims]] are allowed.")
            where = f"{relative}: [source]"
            row = self.fields(
                data.get("source"),
                where,
                {"title": str, "slug": str, "kind": str},
                {
                    "outlet": str,
                    "author": str,
                    "published": str,
                    "date_note": str,
                    "url": str,
                    "provenance": str,
                },
            )
            self.unique(row["slug"], slugs, where, "source slug")
            self.choice(row["kind"], Source.Kind, where, "kind")
            if "outlet" in row:
                self.known(row["outlet"], self.outlets, where, "outlet")
            row["published_on"], row["precision"] = parse_precise_date(
                row.get("published"), f"{where} published"
            )
            row["key"], row["body"] = key, self.bodies[key]
            claims = data.get("claims", [])
            if not isinstance(claims, list):
                raise CorpusError(f"{relative}: “claims” must be an array of tables.")
            row["claims"] = [self.claim(item, relative, key) for item in claims]
            self.corpus.sources.append(row)

    def claim(self, item, relative: str, key: str) -> dict:
        ident = item.get("id") if isinstance(item, dict) else None
        where = f"{relative}: claim {ident}"
        row = self.fields(
            item,
            where,
            {"id": int, "party": str, "kind": str, "summary": str, "citations": list},
            {"speaker": str, "claimed": str, "date_note": str, "statistics": list},
        )
        self.unique(row["id"], self.claim_ids, where, "claim id")
        self.known(row["party"], self.parties, where, "party")
        if "speaker" in row:
            self.known(row["speaker"], self.parties, where, "speaker")
        self.choice(row["kind"], Claim.Kind, where, "kind")
        row["claimed_on"], row["precision"] = parse_precise_date(
            row.get("claimed"), f"{where} claimed"
        )
        row["citations"] = [self.citation(c, where, key) for c in row["citations"]]
        row["statistics"] = [self.statistic(s, where) for s in row.get("statistics", [])]
        return row

    def citation(self, item, claim_where: str, key: str) -> dict:
        ident = item.get("id") if isinstance(item, dict) else None
        where = f"{claim_where}, citation {ident}"
        row = self.fields(item, where, {"id": int, "quote": str}, {"source": str})
        self.unique(row["id"], self.citation_ids, where, "citation id")
        row.setdefault("source", key)
        body = self.known(row["source"], self.bodies, where, "source key")
        if row["quote"] not in body:
            raise CorpusError(
                f"{where}: the quote is not verbatim in sources/{row['source']}.txt: "
                f"“{row['quote']}”"
            )
        if body.count(row["quote"]) != 1:
            raise CorpusError(
                f"{where}: the quote occurs more than once in sources/{row['source']}.txt; "
                "quote a longer passage."
            )
        return row

    def statistic(self, item, claim_where: str) -> dict:
        ident = item.get("id") if isinstance(item, dict) else None
        where = f"{claim_where}, statistic {ident}"
        row = self.fields(
            item,
            where,
            {"id": int, "metric": str, "value": str},
            {
                "unit": str,
                "qualifier": str,
                "currency": str,
                "period_label": str,
                "period_start": str,
                "period_end": str,
                "scope_note": str,
            },
        )
        self.unique(row["id"], self.statistic_ids, where, "statistic id")
        metric = self.known(row["metric"], self.metrics, where, "metric")
        row.setdefault("unit", metric["unit"])
        self.choice(row["unit"], Metric.Unit, where, "unit")
        self.choice(row.get("qualifier", ""), Statistic.Qualifier, where, "qualifier")
        try:
            row["value"] = Decimal(row["value"].replace("+", "", 1))
        except InvalidOperation as exc:
            raise CorpusError(f"{where}: value {item['value']!r} is not a number.") from exc
        for name in ("period_start", "period_end"):
            if name in row:
                if not _DAY.match(row[name]):
                    raise CorpusError(f"{where}: {name} must be a full date YYYY-MM-DD.")
                row[name] = parse_precise_date(row[name], f"{where} {name}")[0]
        return row

    def read_relations(self) -> None:
        seen: dict[tuple[int, int], str] = {}
        relative = "relations.toml"
        for n, item in enumerate(self.table_list(relative, "relations"), 1):
            where = f"{relative}: relation #{n}"
            row = self.fields(item, where, {"from": int, "to": int, "kind": str}, {"note": str})
            where = f"{relative}: relation #{n} ({row['from']} {row['kind']} {row['to']})"
            self.known(row["from"], self.claims, where, "claim")
            self.known(row["to"], self.claims, where, "claim")
            self.choice(row["kind"], ClaimRelation.Kind, where, "kind")
            if row["from"] == row["to"]:
                raise CorpusError(f"{where}: a claim cannot be related to itself.")
            self.unique((row["from"], row["to"]), seen, where, "relation between claims")
            self.corpus.relations.append(row)

    def read_disputes(self) -> None:
        relative = "disputes.toml"
        slugs: dict[str, str] = {}
        point_ids: dict[int, str] = {}
        for item in self.table_list(relative, "disputes"):
            where = f"{relative}: dispute “{item.get('slug')}”"
            row = self.fields(
                item,
                where,
                {"slug": str, "title": str, "sides": list, "points": list},
                {"summary": str},
            )
            self.unique(row["slug"], slugs, where, "dispute slug")
            sides: dict[str, str] = {}
            for side in row["sides"]:
                side_where = f"{where}, side “{side.get('party')}”"
                self.fields(
                    side, side_where, {"party": str, "stance": str}, {"label": str, "order": int}
                )
                self.known(side["party"], self.parties, side_where, "party")
                self.unique(side["party"], sides, side_where, "side")
            for point in row["points"]:
                point_where = f"{where}, point {point.get('id')}"
                self.fields(
                    point,
                    point_where,
                    {"id": int, "question": str, "placements": list},
                    {"summary": str, "order": int},
                )
                self.unique(point["id"], point_ids, point_where, "point id")
                placed: dict[int, str] = {}
                for placement in point["placements"]:
                    here = f"{point_where}, placement of claim {placement.get('claim')}"
                    self.fields(placement, here, {"side": str, "claim": int}, {"order": int})
                    self.known(placement["side"], sides, here, "side of this dispute")
                    claim = self.known(placement["claim"], self.claims, here, "claim")
                    self.unique(placement["claim"], placed, here, "claim on this point")
                    side_party = placement["side"]
                    own = {claim["party"], self.parties[claim["party"]].get("affiliation")}
                    if side_party not in own:
                        raise CorpusError(
                            f"{here}: the claim is by “{claim['party']}”, not by “{side_party}”."
                        )
            self.corpus.disputes.append(row)


def read_corpus(*, directory: Path) -> Corpus:
    """Read and check every file of the corpus directory; raise CorpusError on the first fault."""
    if not directory.is_dir():
        raise CorpusError(f"{directory}: no such corpus directory.")
    return _Reader(directory).read()
