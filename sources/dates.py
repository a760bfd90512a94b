"""Dates that carry their precision.

A source may say "January 2018" or only "2017". Storing such a date as a full day would
invent a fact, so every dated field is a pair: a date (first day of the known period)
and its precision. Display and ordering honour the precision.
"""

import datetime
import re
from typing import NamedTuple

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sources.validation import validate_plausible_date


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


# ---------------------------------------------------------------------------------------
# One typed date, its precision read from what is typed
# ---------------------------------------------------------------------------------------

_TYPED_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
TYPED_DATE_HELP = "YYYY-MM-DD for a day, YYYY-MM for a month, YYYY for a year; empty if unknown."


class PreciseDate(NamedTuple):
    date: datetime.date | None
    precision: str


def parse_precise_date(text: str) -> PreciseDate:
    """ "2018" is a year, "2018-05" a month, "2018-05-22" a day, "" unknown; anything else
    (16/01/2018, which reads differently in different countries) is refused."""
    text = text.strip()
    if not text:
        return PreciseDate(None, DatePrecision.UNKNOWN)
    match = _TYPED_DATE.fullmatch(text)
    if match is None:
        raise ValidationError(
            "“%(text)s” is not a date this form reads: type YYYY-MM-DD (2018-05-22), "
            "YYYY-MM (2018-05) or YYYY (2018).",
            code="invalid_date",
            params={"text": text[:40]},
        )
    year, month, day = (match.group(g) for g in ("year", "month", "day"))
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValidationError(
            "%(text)s is not a day of the calendar; type YYYY-MM-DD, YYYY-MM or YYYY.",
            code="invalid_date",
            params={"text": text},
        ) from exc
    return PreciseDate(value, precision)


class PreciseDateField(forms.CharField):
    """A text box for a date and its precision at once; cleans to a PreciseDate."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", TYPED_DATE_HELP)
        # The admin's calendar (and its "Today" link) types YYYY-MM-DD, which reads as a day.
        kwargs.setdefault("widget", AdminDateWidget(attrs={"placeholder": "YYYY-MM-DD"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> PreciseDate:  # type: ignore[override]
        if isinstance(value, PreciseDate):
            return value
        return parse_precise_date(str(super().to_python(value))[:100])

    def validate(self, value) -> None:
        if self.required and value.date is None:
            raise ValidationError(self.error_messages["required"], code="required")
        validate_plausible_date(value.date)

    def prepare_value(self, value):
        if isinstance(value, PreciseDate):
            return iso_precise_date(value.date, value.precision)
        return value


class PreciseDateModelForm(forms.ModelForm):
    """A model form whose date pairs (field, precision field) are each one PreciseDateField."""

    precise_dates: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field, precision_field in self.precise_dates.items():
            self.fields.pop(precision_field, None)
            old = self.fields.get(field)
            self.fields[field] = PreciseDateField(label=old.label if old else None)
            self.initial[field] = iso_precise_date(
                getattr(self.instance, field), getattr(self.instance, precision_field)
            )

    def _post_clean(self) -> None:
        # Before the instance is built and validated: the typed date becomes the pair.
        for field, precision_field in self.precise_dates.items():
            typed = self.cleaned_data.get(field)
            if isinstance(typed, PreciseDate):
                self.cleaned_data[field] = typed.date
                setattr(self.instance, precision_field, typed.precision)
        super()._post_clean()  # type: ignore[misc]  # private, absent from the stubs
