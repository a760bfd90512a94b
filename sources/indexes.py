"""An index that orders NULLs last on every database the project runs on."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


class NullsLastIndex(models.Index):
    """Index whose ``OrderBy(..., nulls_last=True)`` keys PostgreSQL keeps as written.

    The pages sort undated rows last (``NULLS LAST``), and PostgreSQL can walk an index in
    that order only if the index says so. SQLite refuses ``NULLS LAST`` in ``CREATE INDEX``
    ("unsupported use of NULLS LAST"), so there the keys are created without it: SQLite's
    own order puts NULLs last for DESC keys, which is what the newest-first lists need.
    """

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        )
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
