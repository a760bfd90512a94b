"""Claims and their citations: what a party said, anchored to the passage that reports it."""

import datetime
from collections.abc import Collection, Sequence
from typing import Any, Self, overload

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from claims.anchoring import QuoteNotFound, anchor_is_valid, find_quote
from claims.models.parties import Party
from sources.dates import (
    DatePrecision,
    format_precise_date,
    iso_precise_date,
    precise_date_constraints,
    validate_precise_date,
)
from sources.indexes import NullsOrderIndex
from sources.links import reverse_kept
from sources.models import Source
from sources.validation import (
    date_range_constraint,
    reject_control_characters,
    validate_plausible_date,
)

# The columns a claim card reads of its citations (the quote, whether it needs review, each
# source's title, date and outlet, and their addresses; not the source bodies, offsets or
# bookkeeping: a card names its sources, it does not quote them in full) and of its
# figures. Loading only these halves the columns of a board's two prefetches.
CARD_CITATION = (
    "claim",
    "source",
    "quote",
    "needs_review",
    "source__title",
    "source__slug",
    "source__outlet",
    "source__published_on",
    "source__published_precision",
    "source__outlet__name",
    "source__outlet__slug",
)
CARD_STATISTIC = (
    "claim",
    "metric",
    "value",
    "unit",
    "currency",
    "qualifier",
    "period_label",
    "period_start",
    "period_end",
    "scope_note",
    "metric__name",
    "metric__slug",
    "metric__unit",
    "metric__summary__entry_count",
)


class ClaimQuerySet(models.QuerySet):
    def with_related(self) -> "ClaimQuerySet":
        """Everything a claim card shows (three queries): party, speaker, and as plain lists
        (cheaper than a queryset per card) claim.card_citations and claim.card_statistics;
        not the source bodies: a card names its sources, it does not quote them in full."""
        # Statistic is defined in claims.models.figures, which builds on this module.
        statistic = apps.get_model("claims", "Statistic")
        return self.select_related("party", "speaker").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source__outlet").only(*CARD_CITATION),
                to_attr="card_citations",
            ),
            models.Prefetch(
                "statistics",
                # The summary's stored count lets a board cap its comparisons (no query); its
                # tally and chart are the metric page's.
                queryset=statistic.objects.select_related("metric__summary").only(*CARD_STATISTIC),
                to_attr="card_statistics",
            ),
        )

    def for_permalink(self) -> "ClaimQuerySet":
        """Everything a claim permalink shows: parties with their organisations, citations
        (earliest report first, undated sources last on every database) with their sources,
        figures with their metrics, placements on disputes (four queries in all)."""
        statistic = apps.get_model("claims", "Statistic")
        placement = apps.get_model("claims", "PointClaim")
        return self.select_related("party__affiliation", "speaker__affiliation").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source__outlet").order_by(
                    F("source__published_on").asc(nulls_last=True), "pk"
                ),
            ),
            models.Prefetch("statistics", queryset=statistic.objects.select_related("metric")),
            models.Prefetch(
                "placements",
                queryset=placement.objects.select_related("point__dispute", "side__party"),
            ),
        )

    def with_cited_sources(self) -> "ClaimQuerySet":
        """Party, speaker and citations in permalink order (earliest report first), each
        cited source loaded once with its body, which tells an anchored quote (3 queries)."""
        return self.select_related("party", "speaker").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.order_by(
                    F("source__published_on").asc(nulls_last=True), "pk"
                ),
            ),
            "citations__source",
        )

    def for_export(self) -> "ClaimQuerySet":
        """Everything an open-data record of a claim gives: with_cited_sources(), figures
        with their metrics, placements on disputes (five queries in all)."""
        statistic = apps.get_model("claims", "Statistic")
        placement = apps.get_model("claims", "PointClaim")
        return self.with_cited_sources().prefetch_related(
            models.Prefetch("statistics", queryset=statistic.objects.select_related("metric")),
            models.Prefetch(
                "placements",
                queryset=placement.objects.select_related("point__dispute", "side__party"),
            ),
        )

    def by_party(
        self, party: "Party | models.Expression | OuterRef", group: list[int] | None = None
    ) -> "ClaimQuerySet":
        """A party's claims: made by the party, said by it as speaker, or by its members; the
        one definition (party page, party counts, the claims filter). party may be an
        OuterRef; given a party, two index scans find them, not joins over every claim.
        group: party.group_ids() when the caller has it already (it costs a query)."""
        if isinstance(party, Party):
            group = party.group_ids() if group is None else group
            return self.filter(Q(party__in=group) | Q(speaker__in=group))
        by_members = Q(party__affiliation=party) | Q(speaker__affiliation=party)
        return self.filter(Q(party=party) | Q(speaker=party) | by_members)

    def newest_first(self) -> "ClaimQuerySet":
        """Latest claim date first; undated claims last on every database."""
        return self.order_by(F("claimed_on").desc(nulls_last=True), "-pk")

    def chronological(self) -> "ClaimQuerySet":
        """The order of timeline.build_timeline, so a timeline is paginated in SQL: by the
        stored timeline_key (see timeline_key()), undated claims last, then by id."""
        return self.order_by(F("timeline_key").asc(nulls_last=True), "pk")

    def timeline_of(self, group: list[int], count: int) -> "PartyTimeline":
        """by_party(...).chronological() for the party whose group_ids() is group, as a list
        of count claims that a paginator slices: each page is read from the timeline indexes
        (see PartyTimeline), not sorted from all of the party's claims."""
        return PartyTimeline(self, group, count)

    def refresh_timeline_keys(self) -> int:
        """Recompute the stored timeline_key of these claims in one UPDATE, for writes that
        bypass save() (a restore of an older backup, raw SQL); returns how many rows."""
        return self.update(timeline_key=timeline_key_expression())


class PartyTimeline(Sequence):
    """A party's claims in chronological() order, sliced in SQL without sorting them all.

    by_party() is an OR (party or speaker in the group), which no one index serves in
    order. A slice [start:stop] takes, for each member of the group as party and as
    speaker, the first `stop` claims in timeline order (one ordered index-only scan each of
    claim_party_timeline_idx / claim_speaker_timeline_idx, stopping early), and sorts only
    their union: at most 2 x len(group) x stop rows, however many claims the party has.
    One query per slice; len() is the count the caller knows (from the year facets)."""

    def __init__(self, claims: ClaimQuerySet, group: list[int], count: int) -> None:
        self.claims, self.group, self.length = claims, group, count

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> "Claim": ...
    @overload
    def __getitem__(self, index: slice) -> list["Claim"]: ...
    def __getitem__(self, index: int | slice) -> "Claim | list[Claim]":
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
            return list(claims.chronological()[start:stop])
        order = (F("timeline_key").asc(nulls_last=True), "pk")
        firsts = [
            Claim.objects.filter(**{role: member}).order_by(*order).values("pk")[:stop]
            for role in ("party", "speaker")
            for member in self.group
        ]
        within = firsts[0].union(*firsts[1:])  # UNION: a claim made and said by the group once
        # The page's ids first (narrow rows), then only those claims with their joins.
        page = Claim.objects.filter(pk__in=within).order_by(*order).values("pk")[start:stop]
        return list(self.claims.filter(pk__in=page).chronological())


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


class Claim(models.Model):
    class Kind(models.TextChoices):
        ASSERTION = "assertion", "Assertion"
        STATISTIC = "statistic", "Statistic"
        RECOMMENDATION = "recommendation", "Recommendation"
        REBUTTAL = "rebuttal", "Rebuttal"
        ACCUSATION = "accusation", "Accusation"
        OPINION = "opinion", "Opinion"

    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Who the claim is attributed to: the organisation or person accountable.",
    )
    speaker = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spoken_claims",
        help_text="The named person who said it, when the sources name one.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="A short, neutral summary.",
        validators=[reject_control_characters],
    )
    slug = models.SlugField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ASSERTION)
    claimed_on = models.DateField(
        null=True,
        blank=True,
        help_text="First day of the known period, as for sources.",
        validators=[validate_plausible_date],
    )
    claimed_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_note = models.CharField(max_length=300, blank=True, validators=[reject_control_characters])
    # Derived from claimed_on and claimed_precision by save() (timeline_key()); bulk writers
    # set it themselves (claims.demo) or call refresh_timeline_keys() (restore).
    timeline_key = models.IntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Party, speaker and date as stored before a save (claims.receivers: PartySummary).
    _placing_before_save: tuple[int, int | None, datetime.date | None] | None = None

    # The timeline key is derived, not something a reader's correction is about.
    history = HistoricalRecords(excluded_fields=["timeline_key"])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        # Undated claims last on every database (PostgreSQL puts NULLs first in DESC).
        ordering = [F("claimed_on").desc(nulls_last=True), "pk"]
        constraints = [
            *precise_date_constraints("claim", "claimed_on", "claimed_precision"),
            models.CheckConstraint(condition=~Q(summary=""), name="claim_summary_not_empty"),
            date_range_constraint("claimed_on", "claim_claimed_on_plausible"),
        ]
        indexes = [
            # The claims list: newest_first() LIMIT/OFFSET, and its capped count; the home
            # page's and the feeds' newest claims: ORDER BY created_at DESC, id DESC LIMIT n.
            NullsOrderIndex(
                F("claimed_on").desc(nulls_last=True), F("id").desc(), name="claim_newest_idx"
            ),
            models.Index(fields=["-created_at", "-id"], name="claim_created_idx"),
            # A party's timeline (by_party(...).chronological(), see PartyTimeline): one
            # ordered index scan per member of the group, as party and as speaker, each
            # stopping after the page's rows, instead of sorting all of a party's claims.
            NullsOrderIndex(
                F("party"),
                F("timeline_key").asc(nulls_last=True),
                F("id"),
                name="claim_party_timeline_idx",
            ),
            NullsOrderIndex(
                F("speaker"),
                F("timeline_key").asc(nulls_last=True),
                F("id"),
                name="claim_speaker_timeline_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs) -> None:
        # The slug follows the summary; old slugs keep working through the id redirect.
        self.slug = slugify(self.summary)[:120] or "claim"
        self.timeline_key = timeline_key(self.claimed_on, self.claimed_precision)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"claimed_on", "claimed_precision"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "timeline_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_kept("claims:detail", pk=self.pk, slug=self.slug or "claim")

    @property
    def claimed_display(self) -> str:
        return format_precise_date(self.claimed_on, self.claimed_precision)

    @property
    def claimed_iso(self) -> str:
        return iso_precise_date(self.claimed_on, self.claimed_precision)

    def clean(self) -> None:
        super().clean()
        validate_precise_date(
            self.claimed_on, self.claimed_precision, "claimed_on", "claimed_precision"
        )
        if self.speaker_id and self.speaker_id == self.party_id:
            self.speaker = None


class Citation(models.Model):
    """A claim as one source reports it, anchored to the exact passage of the body."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        error_messages={"null": "Choose the source this quote comes from."},
    )
    quote = models.TextField(
        help_text="Paste the passage exactly as it appears in the source.",
        validators=[reject_control_characters],
    )
    start = models.PositiveIntegerField(editable=False, default=0)
    end = models.PositiveIntegerField(editable=False, default=0)
    prefix = models.CharField(max_length=64, blank=True, editable=False)
    suffix = models.CharField(max_length=64, blank=True, editable=False)
    needs_review = models.BooleanField(
        default=False,
        help_text="Set when a corrected source body no longer contains this quote.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    # (quote, source_id) as last loaded from or saved to the database; None for a new
    # citation. Tells an analyst's edit of a flagged quote from the flagged quote left alone.
    _stored_anchor: tuple[str, int | None] | None = None

    class Meta:
        ordering = ["source_id", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "start", "end"],
                name="citation_one_per_claim_and_passage",
                violation_error_message="This claim already cites this passage of the source.",
            ),
            models.CheckConstraint(condition=Q(start__gte=0), name="citation_start_not_negative"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="citation_start_before_end"
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="citation_quote_not_empty"),
        ]
        indexes = [
            # Serves the source page: every citation of one source in reading order.
            models.Index(fields=["source", "start"], name="citation_source_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} — {self.source}"

    def save(self, *args, **kwargs) -> None:
        # Every write path, not only forms, must leave the citation pointing at its quote;
        # one flagged for review is kept as it is until an analyst fixes it.
        if not self.needs_review and not anchor_is_valid(
            self.source.body, self.start, self.end, self.quote
        ):
            self.anchor()
        super().save(*args, **kwargs)
        self._remember_stored_anchor()

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#citation-{self.pk}"

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        # **kwargs: the stubs already know Django 6's keyword-only fetch_mode; 5.2 has none.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_stored_anchor()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._remember_stored_anchor()

    def _remember_stored_anchor(self) -> None:
        loaded = self.__dict__
        if "quote" in loaded and "source_id" in loaded:
            self._stored_anchor = (loaded["quote"], loaded["source_id"])
        else:  # deferred: unknown, so treated as changed
            self._stored_anchor = None

    @property
    def is_anchored(self) -> bool:
        return not self.needs_review and anchor_is_valid(
            self.source.body, self.start, self.end, self.quote
        )

    def anchor(self) -> None:
        """Find the quote in the source body and store its exact text, offsets and context.

        Raises ValidationError (on the quote field) with the closest passage if the quote is
        not in the body.
        """
        if self.source_id is None:
            raise ValidationError({"source": "Choose the source this quote comes from."})
        try:
            body = self.source.body
        except Source.DoesNotExist as exc:
            raise ValidationError(
                {"source": "That source does not exist (was it deleted?); choose another."}
            ) from exc
        try:
            found = find_quote(body, self.quote, prefix=self.prefix, suffix=self.suffix)
        except QuoteNotFound as exc:
            raise ValidationError({"quote": exc.message}, code="quote_not_in_source") from exc
        self.quote = found.exact
        self.start, self.end = found.start, found.end
        self.prefix, self.suffix = found.prefix, found.suffix
        self.needs_review = False

    @property
    def is_flagged_and_untouched(self) -> bool:
        """Flagged for review, with the quote and source still as stored: nothing to re-find.

        A form posts a textarea's line breaks as CRLF; that alone is not an edit.
        """
        if not self.needs_review or self._stored_anchor is None:
            return False
        stored_quote, stored_source_id = self._stored_anchor
        posted = self.quote.replace("\r\n", "\n").strip()
        return stored_source_id == self.source_id and posted == stored_quote.strip()

    def clean(self) -> None:
        super().clean()
        if self.source_id is None or not self.quote:
            return
        if self.is_flagged_and_untouched:
            # Kept exactly as it was cited until an analyst edits the quote or its source;
            # re-anchoring here would refuse it (or silently clear the flag).
            assert self._stored_anchor is not None  # is_flagged_and_untouched checked it
            self.quote = self._stored_anchor[0]
            return
        self.anchor()  # an edited flagged quote found in the text loses its flag
