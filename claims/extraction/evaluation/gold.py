"""Reading the evaluation set: one article is `<slug>.txt` (the body as an analyst pastes it)
and `<slug>.toml` (what an analyst would record from it, written by hand).

Every span is located here, once: a quote by its text (and `occurrence` when the text
repeats), a figure by its text inside a `context` that occurs once in the body. A problem is
a GoldError whose message names the file and the item, all problems of a part at once.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from claims.extraction.types import KnownMetric, KnownParty

PARTS = ("tuning", "heldout")
STYLES = ("wire", "trade-press", "statement", "state-media", "newspaper", "blog")
FORMS = ("direct", "reported")
_PUBLISHED = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


class GoldError(ValueError):
    """One or more problems in the evaluation set's files."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class GoldQuote:
    text: str
    start: int
    end: int
    form: str
    speaker: str
    party: str
    new_party: bool = False


@dataclass(frozen=True)
class GoldFigure:
    text: str
    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: str = ""
    currency: str = ""
    period: str = ""
    metric: str = ""
    party: str = ""
    new_party: bool = False


@dataclass
class Article:
    slug: str
    part: str
    body: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    style: str = ""
    dispute: str = ""
    parties: list[KnownParty] = field(default_factory=list)
    metrics: list[KnownMetric] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)
    figures: list[GoldFigure] = field(default_factory=list)

    @property
    def published_date(self) -> datetime.date | None:
        """The publication date when the gold gives the day, as a source's date would be."""
        try:
            return datetime.date.fromisoformat(self.published)
        except ValueError:
            return None


def load_part(root: Path, part: str) -> list[Article]:
    """The articles of one part (`root/<part>/*.toml`), in file-name order; [] when the part's
    folder does not exist yet. Raises GoldError listing every problem found."""
    folder = root / part
    if not folder.is_dir():
        return []
    articles: list[Article] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        reader = _Reader(path, part)
        article = reader.read()
        problems += reader.problems
        if article is not None:
            articles.append(article)
    for path in sorted(folder.glob("*.txt")):
        if not path.with_suffix(".toml").exists():
            problems.append(f"{part}/{path.name}: no gold file {path.stem}.toml beside it")
    if problems:
        raise GoldError(problems)
    return articles


class _Reader:
    def __init__(self, path: Path, part: str) -> None:
        self.path = path
        self.part = part
        self.name = f"{part}/{path.name}"
        self.problems: list[str] = []
        self.body = ""

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.name}: {where}: {message}")

    def read(self) -> Article | None:
        body_path = self.path.with_suffix(".txt")
        try:
            self.body = body_path.read_text(encoding="utf-8")
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            self.problems.append(f"{self.name}: cannot read {Path(exc.filename).name}")
            return None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            self.problems.append(f"{self.name}: not valid UTF-8 TOML: {exc}")
            return None
        meta = data.get("article", {})
        article = Article(
            slug=self.path.stem,
            part=self.part,
            body=self.body,
            title=str(meta.get("title", "")),
            outlet=str(meta.get("outlet", "")),
            published=str(meta.get("published", "")),
            style=str(meta.get("style", "")),
            dispute=str(meta.get("dispute", "")),
        )
        if not _PUBLISHED.match(article.published):
            self.problem("[article]", f"published {article.published!r} is not YYYY[-MM[-DD]]")
        if article.style not in STYLES:
            self.problem("[article]", f"style {article.style!r} is not one of {STYLES}")
        if not article.dispute:
            self.problem("[article]", "no dispute slug")
        article.parties = self.parties(data.get("known_party", []))
        article.metrics = [
            KnownMetric(
                id=i, name=m["name"], definition=m.get("definition", ""), unit=m.get("unit", "")
            )
            for i, m in enumerate(data.get("known_metric", []), start=1)
        ]
        known = {p.name.casefold() for p in article.parties}
        metric_names = {m.name for m in article.metrics}
        for i, item in enumerate(data.get("quote", []), start=1):
            quote = self.quote(i, item, known)
            if quote:
                article.quotes.append(quote)
        for i, item in enumerate(data.get("figure", []), start=1):
            figure = self.figure(i, item, known, metric_names)
            if figure:
                article.figures.append(figure)
        return article

    def parties(self, items: list[dict]) -> list[KnownParty]:
        ids = {item.get("name", ""): i for i, item in enumerate(items, start=1)}
        parties = []
        for i, item in enumerate(items, start=1):
            affiliation = item.get("affiliation", "")
            if affiliation and affiliation not in ids:
                self.problem(f"known_party {i}", f"affiliation {affiliation!r} is not known")
            parties.append(
                KnownParty(
                    id=i,
                    name=item.get("name", ""),
                    is_person=bool(item.get("is_person", False)),
                    affiliation_id=ids.get(affiliation) if affiliation else None,
                )
            )
        return parties

    def locate(self, where: str, text: str, occurrence: int | None) -> int | None:
        """Where text starts in the body: its only occurrence, or the occurrence'th."""
        if not text:
            self.problem(where, "empty text")
            return None
        starts = [m.start() for m in re.finditer(re.escape(text), self.body)]
        if not starts:
            self.problem(where, f"{_short(text)} is not a verbatim passage of the body")
            return None
        if occurrence is None:
            if len(starts) > 1:
                self.problem(where, f"{_short(text)} occurs {len(starts)} times: give occurrence")
                return None
            return starts[0]
        if not 1 <= occurrence <= len(starts):
            self.problem(where, f"occurrence {occurrence} of {_short(text)}: only {len(starts)}")
            return None
        return starts[occurrence - 1]

    def attribution(self, where: str, item: dict, known: set[str]) -> tuple[str, str, bool]:
        speaker, party = str(item.get("speaker", "")), str(item.get("party", ""))
        new_party = bool(item.get("new_party", False))
        unknown = [n for n in (speaker, party) if n and n.casefold() not in known]
        if unknown and not new_party:
            self.problem(where, f"{unknown[0]!r} is not a known party: say new_party = true")
        if new_party and not unknown:
            self.problem(where, "new_party = true, but its speaker and party are both known")
        return speaker, party, new_party

    def quote(self, i: int, item: dict, known: set[str]) -> GoldQuote | None:
        where = f"quote {i}"
        text = str(item.get("text", ""))
        form = item.get("form", "")
        if form not in FORMS:
            self.problem(where, f"form {form!r} is not one of {FORMS}")
        if form == "direct" and text[:1] in "\"“‘'" and text[-1:] in "\"”’'":
            self.problem(where, "a direct quote's text is given without its quotation marks")
        speaker, party, new_party = self.attribution(where, item, known)
        start = self.locate(where, text, item.get("occurrence"))
        if start is None:
            return None
        return GoldQuote(text, start, start + len(text), form, speaker, party, new_party)

    def figure(
        self, i: int, item: dict, known: set[str], metric_names: set[str]
    ) -> GoldFigure | None:
        where = f"figure {i} ({item.get('text', '')!r})"
        text, context = str(item.get("text", "")), str(item.get("context", ""))
        try:
            value = Decimal(str(item.get("value", "")))
        except InvalidOperation:
            self.problem(where, f"value {item.get('value')!r} is not a decimal")
            return None
        metric = str(item.get("metric", ""))
        if metric and metric not in metric_names:
            self.problem(where, f"metric {metric!r} is not a known_metric")
        speaker_free = {k: v for k, v in item.items() if k != "speaker"}
        _, party, new_party = self.attribution(where, speaker_free, known)
        if text not in context:
            self.problem(where, "its text is not inside its context")
            return None
        at = self.locate(where, context, None)
        if at is None:
            return None
        start = at + context.index(text)
        return GoldFigure(
            text=text,
            start=start,
            end=start + len(text),
            value=value,
            unit=str(item.get("unit", "")),
            qualifier=str(item.get("qualifier", "")),
            currency=str(item.get("currency", "")),
            period=str(item.get("period", "")),
            metric=metric,
            party=party,
            new_party=new_party,
        )


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
