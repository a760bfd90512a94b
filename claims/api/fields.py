"""Fields every API record shares: its permalink, and dates at their known precision."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.dates import iso_precise_date


@extend_schema_field(OpenApiTypes.URI)
class PermalinkField(serializers.Field):
    """The record's page on the site: SITE_URL + get_absolute_url(), never relative."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:  # any model with get_absolute_url()
        return f"{settings.SITE_URL}{value.get_absolute_url()}"


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        "description": "ISO 8601 at the precision the date is known to: "
        "“2018-01-15”, “2018-01” or “2018”; null when it is not known.",
        "example": "2018-01",
    }
)
class PreciseDateField(serializers.Field):
    """A date at its known precision, from the model's (date, precision) pair."""

    def __init__(self, date_field: str, precision_field: str, **kwargs: Any) -> None:
        self.date_field, self.precision_field = date_field, precision_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: models.Model) -> str | None:
        date: datetime.date | None = getattr(value, self.date_field)
        return iso_precise_date(date, getattr(value, self.precision_field)) or None
