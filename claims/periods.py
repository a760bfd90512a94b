"""The period a figure is said to cover: one value object for display, ordering and the
verdict rules, so "2017" written as a label and 1 Jan–31 Dec 2017 written as dates are the
same period everywhere."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True, eq=False)
class Period:
    """Dates when the source gives them, else the source's own words.

    Two periods are equal when their dates are, or their words are (case and spacing aside).
    """

    start: datetime.date | None = None
    end: datetime.date | None = None
    label: str = ""

    @property
    def key(self) -> tuple:
        if self.start is not None and self.end is not None:
            return (self.start, self.end)
        return (self.label.casefold(),)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Period) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @classmethod
    def stated(
        cls, start: datetime.date | None, end: datetime.date | None, label: str
    ) -> Period | None:
        """The period a value is said to cover, or None when the source does not say.

        A label that is exactly a year ("2017") is that year's dates. Other labels are the
        same period when their words are ("the previous 12 months").
        """
        if start is not None and end is not None:
            return cls(start, end)
        words = " ".join(label.split())
        if _YEAR.fullmatch(words) and int(words) >= datetime.MINYEAR:
            year = int(words)
            return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        return cls(label=words) if words else None

    @property
    def is_dated(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def text(self) -> str:
        if self.start is None or self.end is None:
            return self.label
        whole_year = (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        )
        if self.start.year == self.end.year and whole_year:
            return str(self.start.year)
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"

    @property
    def midpoint(self) -> datetime.date | None:
        if self.start is None or self.end is None:
            return None
        return self.start + (self.end - self.start) / 2

    def sort_key(self) -> tuple:
        """Dated periods in date order, then labelled ones alphabetically."""
        if self.start is not None and self.end is not None:
            return (0, self.start.toordinal(), self.end.toordinal(), "")
        return (1, 0, 0, self.label.casefold())
