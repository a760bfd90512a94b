"""What the extractor proposes, and what it may know about the database (optional: the
command runs without it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class KnownParty:
    id: int
    name: str
    is_person: bool = False
    affiliation_id: int | None = None


@dataclass(frozen=True)
class KnownMetric:
    id: int
    name: str
    definition: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Proposal:
    kind: Literal["quote", "figure"]
    text: str
    start: int
    end: int
    speaker: str = ""
    party: str = ""
    speaker_id: int | None = None
    party_id: int | None = None
    # A speaker or party the database does not know, proposed to be created, with the
    # organisation the text gives for them ("Maria Lopez, a spokeswoman for the Ministry").
    new_party: str = ""
    new_party_affiliation: str = ""
    # Why it was attributed ("said X", "according to X", "carried from previous sentence")
    # and how sure the rule is, 0-1; an uncertain attribution is left empty instead.
    cue: str = ""
    confidence: float = 0.0
    sentence: str = ""
    sentence_start: int = 0
    sentence_end: int = 0
    # Figures only.
    value: Decimal | None = None
    unit: str = ""
    currency: str = ""
    qualifier: str = ""
    metric: str = ""
    metric_id: int | None = None
    # "1.49 per 10,000 orders": value 1.49, rate_base 10000 (None for anything but a rate).
    rate_base: Decimal | None = None
    # "RMB 4.3 billion ($675m)": the second amount the text gives for the same money.
    alt_value: Decimal | None = None
    alt_currency: str = ""
    # The period the figure covers as an analyst would label it ("2017", "last year"), with
    # its dates where the text and the article's date fix them.
    period: str = ""
    period_start: date | None = None
    period_end: date | None = None
    # Quotes only: "direct" (between quotation marks) or "reported" (reported speech).
    form: Literal["direct", "reported", ""] = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        """Identifies the proposal within one body: stable while the body is unchanged."""
        return f"{self.kind}-{self.start}-{self.end}"

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        for name in ("value", "rate_base", "alt_value"):
            number = getattr(self, name)
            data[name] = None if number is None else str(number)
        for name in ("period_start", "period_end"):
            day = getattr(self, name)
            data[name] = None if day is None else day.isoformat()
        data["key"] = self.key
        return data
