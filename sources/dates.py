"""Dates that carry their precision.

A source may say "January 2018" or only "2017". Storing such a date as a full day would
invent a fact, so every dated field is a pair: a date (first day of the known period)
and its precision. Display and ordering honour the precision.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


def format_precise_date(value: datetime.date | None, precision: str) -> str:
    """Render a date at the precision it is known to: "15 Jan 2018", "Jan 2018", "2017"."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return "Date unknown"
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%b %Y")
    return f"{value.day} {value.strftime('%b %Y')}"


def iso_precise_date(value: datetime.date | None, precision: str) -> str:
    """ISO 8601 at the known precision ("2018-01", "2017"), as schema.org accepts."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def validate_precise_date(
    value: datetime.date | None, precision: str, field: str, precision_field: str
) -> None:
    """Raise a ValidationError naming the field when a date and its precision disagree.

    A value that is not a date (an unparsed string a model was given) is the date field's
    error to report, not this rule's.
    """
    if value is not None and not isinstance(value, datetime.date):
        return
    if precision not in DatePrecision.values:
        raise ValidationError(
            {
                precision_field: (
                    f"“{precision}” is not a date precision; use day, month, year or unknown."
                )
            }
        )
    if precision == DatePrecision.UNKNOWN:
        if value is not None:
            raise ValidationError(
                {precision_field: "A date is given, so choose its precision (day, month or year)."}
            )
        return
    if value is None:
        raise ValidationError({field: "Enter the date, or set the precision to unknown."})
    if precision == DatePrecision.MONTH and value.day != 1:
        raise ValidationError(
            {field: "A date known to the month is stored as the 1st of that month."}
        )
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        raise ValidationError({field: "A date known to the year is stored as 1 January."})


def precise_date_constraints(prefix: str, field: str, precision_field: str) -> list:
    """The database's copy of validate_precise_date, so no code path can store a bad pair."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{precision_field}__in": DatePrecision.values}),
            name=f"{prefix}_{precision_field}_valid",
        ),
        models.CheckConstraint(
            condition=(
                Q(**{precision_field: DatePrecision.UNKNOWN, f"{field}__isnull": True})
                | (
                    ~Q(**{precision_field: DatePrecision.UNKNOWN})
                    & Q(**{f"{field}__isnull": False})
                )
            ),
            name=f"{prefix}_{field}_present_unless_unknown",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.MONTH}) | Q(**{f"{field}__day": 1}),
            name=f"{prefix}_{field}_month_is_first_day",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision_field: DatePrecision.YEAR})
            | Q(**{f"{field}__day": 1, f"{field}__month": 1}),
            name=f"{prefix}_{field}_year_is_first_january",
        ),
    ]
