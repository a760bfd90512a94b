"""What the extractor proposes, and what it may know about the database (optional: the
command runs without it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
        data["value"] = None if self.value is None else str(self.value)
        data["key"] = self.key
        return data
