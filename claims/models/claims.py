"""Claims and their citations: what a party said, anchored to the passage that reports it."""

import datetime
from collections.abc import Collection
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from claims.anchoring import QuoteNotFound, anchor_is_valid, find_quote
from claims.models.claim_queries import ClaimQuerySet
from claims.models.parties import Party
from claims.models.timeline_order import timeline_key
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
