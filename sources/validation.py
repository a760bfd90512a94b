"""Rules for hostile or broken input that every app's models, forms and views share.

Each rule exists once here, as a validator (model fields and form fields reuse it) and, where
the database can check it, as a named constraint, so that no code path (ORM, bulk_create,
loaddata, an import) stores what the forms refuse.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

# ---------------------------------------------------------------------------------------
# Control characters
# ---------------------------------------------------------------------------------------

# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but the tab and
# the line breaks; a regular expression scans a 2 MB body in milliseconds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> int | None:
    """The index of the first control character other than a line break or tab, or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def describe_control_character(text: str, index: int) -> str:
    """ "a NUL character (U+0000) on line 3" — where the analyst finds it in the text."""
    char = text[index]
    name = "a NUL character" if char == "\x00" else "a control character"
    line = text.count("\n", 0, index) + 1
    return f"{name} (U+{ord(char):04X}) on line {line}"


def reject_control_characters(value: str) -> None:
    """Refuse NUL and other invisible control characters (tabs and line breaks are fine).

    PostgreSQL cannot store NUL at all, and the others are debris of a binary file or a bad
    copy; the message says where the first one is so it can be removed.
    """
    if not isinstance(value, str) or (index := first_control_character(value)) is None:
        return
    raise ValidationError(
        "The text contains %(what)s, which is not text: remove it (it usually comes from "
        "copying out of a PDF or a binary file) and save again.",
        code="control_character",
        params={"what": describe_control_character(value, index)},
    )


# ---------------------------------------------------------------------------------------
# Web addresses
# ---------------------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")
WEB_URL_MESSAGE = (
    "Enter a web address that starts with http:// or https:// (for example "
    "https://example.org/article)."
)
web_url_validator = URLValidator(schemes=list(WEB_SCHEMES), message=WEB_URL_MESSAGE)


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]
    default_error_messages = {"invalid": WEB_URL_MESSAGE}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebURLField(models.URLField):
    """A URL a reader's browser may follow: http or https only, never javascript: or data:.
    Pair it with web_url_constraint() so the database refuses the rest too."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


def web_url_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's copy of web_url_validator's scheme rule: empty, or http(s)://."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"}),
        name=name,
        violation_error_message=WEB_URL_MESSAGE,
    )


# ---------------------------------------------------------------------------------------
# Dates of publication and of claims
# ---------------------------------------------------------------------------------------

# Nothing this project tracks predates modern trade disputes; an earlier date is a typo.
EARLIEST_DATE = datetime.date(1900, 1, 1)
# The database's backstop for writes that skip validation; "not after today" cannot be a
# constraint (it changes every day), so validate_plausible_date() is the real rule.
LATEST_STORABLE_DATE = datetime.date(2100, 12, 31)


def validate_plausible_date(value: object) -> None:
    """Refuse a publication or claim date before 1900 or after today (a typo, or 0001-01-01
    and 9999-12-31 from a tampered form). Anything that is not a date is left to the field."""
    if not isinstance(value, datetime.date):
        return
    today = timezone.localdate()
    if value < EARLIEST_DATE:
        raise ValidationError(
            "%(date)s is before %(earliest)s; check the year.",
            code="date_too_early",
            params={"date": value.isoformat(), "earliest": EARLIEST_DATE.isoformat()},
        )
    if value > today:
        raise ValidationError(
            "%(date)s is in the future (today is %(today)s); check the date.",
            code="date_in_future",
            params={"date": value.isoformat(), "today": today.isoformat()},
        )


def date_range_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_STORABLE_DATE}),
        name=name,
        violation_error_message=f"Give a date between {EARLIEST_DATE} and today.",
    )
