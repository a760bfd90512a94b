"""The data generation: one token in the shared cache that changes whenever data a public
page shows changes, so a cached page is never served once the data behind it has moved on.

Every cached page is stored under the generation that was current when its request began
(tracker/page_cache.py), so invalidation is one write, O(1), and holds across workers and
machines that share the cache. The token is random rather than a counter: if it is evicted
or the cache is flushed, the next one cannot collide with a generation some old page was
stored under.

What changes the generation is found at the lowest level Django has: every SQL statement
through a Django connection (the ORM's save() and delete(), bulk_create(), update(),
queryset deletes, loaddata, raw cursors, a restore's flush) is looked at, and one that
writes to a table of an app in PAGE_CACHE_DATA_APPS schedules a bump for when its
transaction commits. Model signals would miss every bulk path, and bulk loaders are written
by several people; this misses only writes that bypass Django (psql, COPY), which must call
bump_generation() themselves.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

GENERATION_KEY = "counterpoint:data-generation"

# Statements that can change rows. WITH may start a data-modifying CTE, so it is judged by
# what follows it.
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REPLACE", "MERGE", "COPY")
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)

# Set when a bump could not reach the cache (Redis down): this process retries it before it
# trusts the cache again, see generation().
_bump_pending = False


def bump_generation() -> None:
    """Make every cached page stale. Safe to call any time, in or out of a transaction
    (outside one it takes effect at once; prefer transaction.on_commit inside one)."""
    global _bump_pending
    try:
        shared_cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        _bump_pending = True
        logger.exception("Could not invalidate the page cache; pages bypass it until it can.")
    else:
        _bump_pending = False


def generation() -> str | None:
    """The current generation token, or None when the cache cannot be trusted (unreachable,
    or a bump from this process has not reached it yet): then pages bypass it."""
    if _bump_pending:
        bump_generation()
        if _bump_pending:
            return None
    try:
        token = shared_cache.get(GENERATION_KEY)
        if token is None:
            shared_cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            token = shared_cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("The page cache is unreachable; serving pages uncached.", exc_info=True)
        return None
    return token


def database_tag() -> str:
    """Which database the pages were read from, for cache keys: a test run (test_…) and
    the development server share a cache directory but never each other's pages."""
    name = str(connections["default"].settings_dict["NAME"])
    return hashlib.blake2b(name.encode(), digest_size=6).hexdigest()


@cache
def _data_tables() -> re.Pattern[str]:
    tables: set[str] = set()
    for label in settings.PAGE_CACHE_DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    names = "|".join(sorted(map(re.escape, tables), key=len, reverse=True))
    return re.compile(rf"(?<![\w$])(?:{names})(?![\w$])", re.IGNORECASE)


def changes_page_data(sql: object) -> bool:
    """Whether a statement may write to a table whose rows public pages show."""
    if not isinstance(sql, str):
        return True  # a composed or binary statement we cannot read: assume it writes
    head = sql.lstrip()[:8].upper()
    if head.startswith("WITH"):
        if not _WRITE_IN_CTE.search(sql):
            return False
    elif not head.startswith(_WRITE_VERBS):
        return False
    return _data_tables().search(sql) is not None


def _bump_after_commit(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        # One bump per transaction, however many statements write. A savepoint rolled back
        # takes its callback with it; a later write in the transaction adds it again.
        if any(entry[1] is bump_generation for entry in connection.run_on_commit):
            return
        transaction.on_commit(bump_generation, using=connection.alias, robust=True)
    else:
        bump_generation()  # autocommit: the statement is already committed


def note_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A connection execute wrapper: runs the statement, then schedules the bump if it
    wrote page data. After, so a statement that fails bumps nothing."""
    result = execute(sql, params, many, context)
    if changes_page_data(sql):
        _bump_after_commit(context["connection"])
    return result


def watch_connection(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: every connection, in every thread, gets the wrapper."""
    # First in the list, so outermost: a connection.execute_wrapper() block entered before
    # the connection opened still pops its own wrapper, not this one, when it ends.
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, note_writes)


def bump_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver: a deploy that migrates may change what pages show."""
    bump_generation()
