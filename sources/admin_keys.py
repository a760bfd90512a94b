"""Choice fields and autocomplete widgets that refuse a tampered key before querying it.

A posted "party=abc" or a 20-digit id reaches the database as it is from Django's own fields
and autocomplete widgets (which look the posted value up again to redisplay it): SQLite
raises OverflowError, PostgreSQL a DataError (bigint out of range), and the admin answers
500. Here such a key is simply not a valid choice, so the form says so. Every admin of both
apps uses these through KeyCheckingAdminMixin; plain forms use the fields directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections, models


def is_storable_key(model: type[models.Model], field_name: str | None, value: Any) -> bool:
    """Whether value can be looked up in the column of model's field_name (its primary key
    when None): it converts to the field's type and, for an integer key, is in range."""
    field = model._meta.get_field(field_name) if field_name else model._meta.pk
    field = getattr(field, "target_field", field)  # a to_field that is itself a key
    if not isinstance(field, models.Field):
        return True  # not a column of this model: nothing to check here
    try:
        python = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(python, int) and isinstance(field, (models.IntegerField, models.AutoField)):
        db = model._default_manager.db
        low, high = connections[db].ops.integer_field_range(field.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return True


class KeyCheckingModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        assert self.queryset is not None  # given by every caller
        if value not in self.empty_values and not is_storable_key(
            self.queryset.model, self.to_field_name, value
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyCheckingModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        assert self.queryset is not None  # given by every caller
        for pk in value if isinstance(value, (list, tuple)) else ():
            if not is_storable_key(self.queryset.model, self.to_field_name, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


def _lookupable(widget: AutocompleteSelect | AutocompleteSelectMultiple, value: Sequence[str]):
    """The posted values an autocomplete widget can look up to redisplay (the rest is an
    error its field reports)."""
    model = widget.choices.queryset.model
    to_field = getattr(widget.field.remote_field, "field_name", None)
    return [v for v in value if v in ("", None) or is_storable_key(model, to_field, v)]


class KeyCheckingAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None):
        return super().optgroups(name, _lookupable(self, value), attr)


class KeyCheckingAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None):
        return super().optgroups(name, _lookupable(self, value), attr)


class KeyCheckingAdminMixin:
    """For every ModelAdmin and inline: foreign keys and many-to-many fields that refuse a
    tampered key with a form error."""

    admin_site: Any

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = KeyCheckingAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckingModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = KeyCheckingAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeyCheckingModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
