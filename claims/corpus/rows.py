"""Row-level steps of loading the corpus: validation, column values, messages, sequences."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models


def attname(model: type[models.Model], name: str) -> str:
    """The column attribute of a concrete field ("party" → "party_id")."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a concrete field"
    return field.attname


def validate(obj: models.Model) -> None:
    """The model's own validation: full_clean(), with its clean() (where a citation's quote is
    anchored), field checks and uniqueness, and every unique constraint.

    Two things full_clean() would also do are left to cheaper means, since it runs one query
    (three on PostgreSQL, with a savepoint) per check: each CheckConstraint has a Python twin
    in the model's clean() or in the corpus reader, and the database enforces it again on
    save; and related objects are the ones this load just found or saved, so their existence
    needs no query.
    """
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_constraints=False)
    for constraint in obj._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            constraint.validate(type(obj), obj)


def raw(value: Any) -> Any:
    """What the database column holds for value: a related object's id, else the value."""
    return value.pk if isinstance(value, models.Model) else value


def messages_of(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(m for e in errors for m in e.messages)}"
            for name, errors in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def reset_sequences(models_with_ids: tuple[type[models.Model], ...]) -> None:
    """After inserts with explicit ids, PostgreSQL's next id must come after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_with_ids))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
