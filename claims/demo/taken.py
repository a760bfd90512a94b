"""Unique values handed out without asking the database once per row."""

from collections.abc import Iterable

from django.db import models


class Taken:
    """The values of a unique field: in the database already or handed out in this run."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = set(values)

    @classmethod
    def of(cls, model: type[models.Model], field: str = "slug") -> "Taken":
        return cls(model._default_manager.values_list(field, flat=True))

    def claim(self, base: str, sep: str = "-") -> str:
        """base, or base-2, base-3… (with sep) if base is taken; taken from then on."""
        value, n = base, 1
        while value in self.values:
            n += 1
            value = f"{base}{sep}{n}"
        self.values.add(value)
        return value
