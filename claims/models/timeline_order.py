"""Where a claim sits on a timeline, stored as one integer (Claim.timeline_key), and a
party's timeline sliced in SQL by that key: what lets a party page of a 10,000-claim party
read 50 rows in index order instead of sorting them all."""

import datetime
from collections.abc import Sequence
from typing import overload

from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from sources.dates import DatePrecision

# Timeline order, the one definition (ClaimQuerySet.chronological() applies it): by the
# stored key, undated claims last, then by id.
TIMELINE_ORDER = (F("timeline_key").asc(nulls_last=True), "pk")


class PartyTimeline(Sequence):
    """A party's claims in chronological() order, sliced in SQL without sorting them all.

    by_party() is an OR (party or speaker in the group), which no one index serves in
    order. A slice [start:stop] takes, for each member of the group as party and as
    speaker, the first `stop` claims in timeline order (one ordered index-only scan each of
    claim_party_timeline_idx / claim_speaker_timeline_idx, stopping early), and sorts only
    their union: at most 2 x len(group) x stop rows, however many claims the party has.
    One query per slice; len() is the count the caller knows (from the year facets)."""

    def __init__(self, claims: models.QuerySet, group: list[int], count: int) -> None:
        self.claims, self.group, self.length = claims, group, count

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> models.Model: ...
    @overload
    def __getitem__(self, index: slice) -> list[models.Model]: ...
    def __getitem__(self, index: int | slice) -> models.Model | list[models.Model]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, step = index.indices(self.length)
        if step != 1:
            raise ValueError("A timeline is sliced in steps of one.")
        if stop <= start:
            return []
        if not connections[self.claims.db].features.supports_slicing_ordering_in_compound:
            # SQLite refuses a LIMIT inside a UNION: the plain OR, sorted (the small database).
            claims = self.claims.filter(Q(party__in=self.group) | Q(speaker__in=self.group))
            return list(claims.order_by(*TIMELINE_ORDER)[start:stop])
        every = self.claims.model._default_manager
        firsts = [
            every.filter(**{role: member}).order_by(*TIMELINE_ORDER).values("pk")[:stop]
            for role in ("party", "speaker")
            for member in self.group
        ]
        within = firsts[0].union(*firsts[1:])  # UNION: a claim made and said by the group once
        # The page's ids first (narrow rows), then only those claims with their joins.
        page = every.filter(pk__in=within).order_by(*TIMELINE_ORDER).values("pk")[start:stop]
        return list(self.claims.filter(pk__in=page).order_by(*TIMELINE_ORDER))


def timeline_key(claimed_on: datetime.date | None, precision: str) -> int | None:
    """The claim's place on a timeline as one integer, so ClaimQuerySet.chronological() reads
    an index in order instead of sorting every claim of a party: by year; within it claims
    known to the day or the month by month, a month's claims known to the day first (day
    1-31), then those known only to the month (32); claims known only to the year after
    December (month 13); undated claims (None) last. timeline_key_expression() is the same
    rule in SQL, for bulk updates; tests/test_timeline_key.py proves they agree."""
    if claimed_on is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return claimed_on.year * 10000 + 1300
    day = 32 if precision == DatePrecision.MONTH else claimed_on.day
    return claimed_on.year * 10000 + claimed_on.month * 100 + day


def timeline_key_expression() -> models.Expression:
    """timeline_key() as a database expression over a claim's own columns."""
    year = ExtractYear("claimed_on") * 10000
    month = ExtractMonth("claimed_on") * 100
    return models.Case(
        models.When(
            Q(claimed_on__isnull=True) | Q(claimed_precision=DatePrecision.UNKNOWN),
            then=models.Value(None),
        ),
        models.When(claimed_precision=DatePrecision.YEAR, then=year + 1300),
        models.When(claimed_precision=DatePrecision.MONTH, then=year + month + 32),
        default=year + month + ExtractDay("claimed_on"),
        output_field=models.IntegerField(),
    )
