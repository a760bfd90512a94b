"""An index that states NULLS FIRST/LAST on PostgreSQL and leaves it out on SQLite, which
refuses it in an index. SQLite already sorts NULLs first ascending and last descending, so a
descending NULLS LAST index means the same there."""

from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


class NullsOrderIndex(models.Index):
    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "sqlite" or not self.expressions:
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        )
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)
