"""Keeping the search index current: what is indexed for a claim, and when it is written.

A claim's document is its summary, the quotes of its citations and the names of its party
and speaker. Saving or deleting a claim or a citation, and renaming a party, rewrites the
documents concerned in the same transaction (claims/receivers.py); bulk loaders, which
bypass save(), call rebuild_search_index() once at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, transaction

from claims.models import Citation, Claim
from claims.search.backends import Document, backend
from claims.search.spelling import folded_text

BATCH = 2000  # claims read and written per statement while rebuilding


def documents(
    claim_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS, models: Apps | None = None
) -> list[Document]:
    """The documents of the given claims (two queries), in id order. models: a migration's
    app registry, whose models are those of its point in the migration history."""
    claim = models.get_model("claims", "Claim") if models else Claim
    citation = models.get_model("claims", "Citation") if models else Citation
    ids = sorted(set(claim_ids))
    rows = (
        claim._default_manager.using(using)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "summary", "party__name", "speaker__name")
    )
    quotes: dict[int, list[str]] = defaultdict(list)
    cited = (
        citation._default_manager.using(using)
        .filter(claim_id__in=ids)
        .order_by("claim_id", *(citation._meta.ordering or ()))
        .values_list("claim_id", "quote")
    )
    for claim_id, quote in cited:
        quotes[claim_id].append(folded_text(quote))
    return [
        Document(
            claim_id=pk,
            summary=folded_text(summary),
            # One line per citation, in the order the claim's cards list them.
            quotes="\n".join(quotes[pk]),
            names=folded_text(f"{party} {speaker or ''}"),
        )
        for pk, summary, party, speaker in rows
    ]


def reindex_claims(claim_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Write the current documents of the given claims; ids of deleted claims are dropped
    from the index. The number of claims written."""
    ids = sorted(set(claim_ids))
    written = 0
    index = backend(using)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        docs = documents(chunk, using=using)
        gone = set(chunk) - {d.claim_id for d in docs}
        if gone:
            index.delete(sorted(gone))
        if docs:
            index.write(docs)
        written += len(docs)
    return written


def forget_claims(claim_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    backend(using).delete(sorted(set(claim_ids)))


def rebuild_search_index(*, using: str = DEFAULT_DB_ALIAS, models: Apps | None = None) -> int:
    """Empty the index and write every claim's document again, a batch at a time; the
    number of claims indexed. For loaders that write with bulk_create or raw saves."""
    claim = models.get_model("claims", "Claim") if models else Claim
    index = backend(using)
    written = 0
    with transaction.atomic(using=using):
        index.clear()
        last = 0
        while True:
            chunk = list(
                claim._default_manager.using(using)
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not chunk:
                break
            docs = documents(chunk, using=using, models=models)
            index.write(docs)
            written += len(docs)
            last = chunk[-1]
    index.analyse()
    return written
