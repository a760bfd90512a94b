import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from claims.anchoring import QuoteNotFound, anchor_is_valid, find_quote
from sources.dates import (
    DatePrecision,
    format_precise_date,
    iso_precise_date,
    precise_date_constraints,
    validate_precise_date,
)
from sources.models import Source


class Party(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT_AGENCY = "government_agency", "Government agency"
        COMPANY = "company", "Company"
        TRADE_ASSOCIATION = "trade_association", "Trade association"
        WATCHDOG = "watchdog", "Watchdog"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        MEDIA = "media", "Media"
        INDIVIDUAL = "individual", "Individual"
        ANONYMOUS_COMMENTER = "anonymous_commenter", "Anonymous commenter"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="The organisation a person speaks for.",
    )
    role = models.CharField(
        max_length=200, blank=True, help_text="Title or role as the sources give it."
    )
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, verbose_name="URL")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=~Q(affiliation=F("pk")), name="party_not_affiliated_with_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parties:detail", kwargs={"slug": self.slug})

    @property
    def is_person(self) -> bool:
        return self.kind in {self.Kind.INDIVIDUAL, self.Kind.ANONYMOUS_COMMENTER}


class ClaimQuerySet(models.QuerySet):
    def with_related(self) -> "ClaimQuerySet":
        """Everything a claim card shows (three queries): party, speaker, and as plain lists
        claim.card_citations and claim.card_statistics (lists cost less than a queryset per
        claim on a page of cards).

        Source bodies are left out: a card names its sources, it does not quote them in full.
        """
        return self.select_related("party", "speaker").prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source__outlet").defer("source__body"),
                to_attr="card_citations",
            ),
            models.Prefetch(
                "statistics",
                queryset=Statistic.objects.select_related("metric"),
                to_attr="card_statistics",
            ),
        )

    def by_party(self, party: "Party | models.Expression") -> "ClaimQuerySet":
        """A party's claims: made by the party, said by it as speaker, or by its members.

        The one definition of "a party's claims", used by the party page, the party list's
        counts and the claims list's party filter. party may be an OuterRef.
        """
        return self.filter(
            Q(party=party)
            | Q(speaker=party)
            | Q(party__affiliation=party)
            | Q(speaker__affiliation=party)
        )

    def newest_first(self) -> "ClaimQuerySet":
        """Latest claim date first; undated claims last on every database."""
        return self.order_by(F("claimed_on").desc(nulls_last=True), "-pk")

    def chronological(self) -> "ClaimQuerySet":
        """The order of selectors.build_timeline, so a timeline can be paginated in SQL.

        By year; within a year, claims known to the day or month by month, then those known
        only to the year; undated claims last.
        """
        month = models.Case(
            models.When(claimed_precision=DatePrecision.YEAR, then=models.Value(13)),
            default=ExtractMonth("claimed_on"),
        )
        rank = models.Case(
            models.When(claimed_precision=DatePrecision.DAY, then=models.Value(0)),
            models.When(claimed_precision=DatePrecision.MONTH, then=models.Value(1)),
            default=models.Value(2),
        )
        return self.order_by(
            ExtractYear("claimed_on").asc(nulls_last=True),
            month.asc(nulls_last=True),
            rank,
            F("claimed_on").asc(nulls_last=True),
            "pk",
        )

    def search(self, text: str) -> "ClaimQuerySet":
        """Claims whose summary or any cited quote matches every word of text.

        PostgreSQL: full-text search (English stemming, websearch syntax) served by the GIN
        indexes of claims/migrations/0002_claim_search_indexes.py. Other databases: each word
        must appear, case-insensitively, in the summary or in a quote.
        """
        text = text.strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            query = SearchQuery(text, config="english", search_type="websearch")
            # One subquery, a UNION of two index scans, rather than an OR the planner can
            # only answer by scanning every claim.
            summarised = (
                Claim.objects.annotate(sv=SearchVector("summary", config="english"))
                .filter(sv=query)
                .order_by()
                .values("pk")
            )
            quoted = (
                Citation.objects.annotate(sv=SearchVector("quote", config="english"))
                .filter(sv=query)
                .order_by()
                .values("claim_id")
            )
            return self.filter(pk__in=summarised.union(quoted))
        matches = self
        # Words as websearch reads them: punctuation, quotes, a leading "-" and "or" dropped.
        words = [w for w in re.findall(r"\w+", text) if w.lower() != "or"]
        for word in words[:12]:
            quoted = Citation.objects.filter(quote__icontains=word).values("claim_id")
            matches = matches.filter(Q(summary__icontains=word) | Q(pk__in=quoted))
        return matches


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
    summary = models.CharField(max_length=300, help_text="A short, neutral summary.")
    slug = models.SlugField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ASSERTION)
    claimed_on = models.DateField(
        null=True, blank=True, help_text="First day of the known period, as for sources."
    )
    claimed_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        # Undated claims last on every database (PostgreSQL puts NULLs first in DESC).
        ordering = [F("claimed_on").desc(nulls_last=True), "pk"]
        constraints = [
            *precise_date_constraints("claim", "claimed_on", "claimed_precision"),
            models.CheckConstraint(condition=~Q(summary=""), name="claim_summary_not_empty"),
        ]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs) -> None:
        # The slug follows the summary; old slugs keep working through the id redirect.
        self.slug = slugify(self.summary)[:120] or "claim"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("claims:detail", kwargs={"pk": self.pk, "slug": self.slug or "claim"})

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
    quote = models.TextField(help_text="Paste the passage exactly as it appears in the source.")
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
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
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
            self.quote = self._stored_anchor[0]
            return
        self.anchor()  # an edited flagged quote found in the text loses its flag


class Metric(models.Model):
    """One figure that several parties or sources report, so their values can be compared."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percent"
        COUNT = "count", "Count"
        CURRENCY = "currency", "Money"
        MULTIPLIER = "multiplier", "Multiplier (times)"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    definition = models.TextField(help_text="Exactly what is counted, and over what.")
    unit = models.CharField(max_length=20, choices=Unit.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("metrics:detail", kwargs={"slug": self.slug})


class Statistic(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "", "—"
        NEARLY = "nearly", "nearly"
        ABOUT = "about", "about"
        OVER = "over", "over"
        UNDER = "under", "under"
        UP_TO = "up_to", "up to"
        AT_LEAST = "at_least", "at least"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="statistics")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="statistics")
    value = models.DecimalField(max_digits=20, decimal_places=4)
    unit = models.CharField(max_length=20, choices=Metric.Unit.choices)
    currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217 code when the unit is money (USD, CNY)."
    )
    qualifier = models.CharField(
        max_length=10, choices=Qualifier.choices, blank=True, default=Qualifier.EXACT
    )
    period_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The period as the source states it (“2017”, “the previous 12 months”). "
        "Leave blank when the source does not say.",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    scope_note = models.TextField(
        blank=True,
        help_text="What the figure covers when it differs from the metric's definition, "
        "or what other coverage says of its period, and where that comes from.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric__name", F("period_start").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="statistic_period_start_before_end",
            ),
            models.CheckConstraint(
                condition=(Q(unit="currency") & ~Q(currency=""))
                | (~Q(unit="currency") & Q(currency="")),
                name="statistic_currency_only_for_money",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.display_value}"

    def get_absolute_url(self) -> str:
        return self.metric.get_absolute_url()

    @property
    def has_known_period(self) -> bool:
        return self.period_start is not None and self.period_end is not None

    @property
    def display_value(self) -> str:
        value = self.value.normalize() if self.value == self.value.to_integral() else self.value
        number = f"{value:,.0f}" if value == value.to_integral() else f"{value.normalize():,f}"
        if self.unit == Metric.Unit.PERCENT:
            text = f"{number}%"
        elif self.unit == Metric.Unit.MULTIPLIER:
            text = f"{number}×"
        elif self.unit == Metric.Unit.CURRENCY:
            text = f"{self.currency} {number}"
        else:
            text = number
        qualifier = self.get_qualifier_display() if self.qualifier else ""
        return f"{qualifier} {text}".strip()

    def clean(self) -> None:
        super().clean()
        if self.unit != Metric.Unit.CURRENCY and self.currency:
            raise ValidationError({"currency": "Only a money figure has a currency."})
        if self.unit == Metric.Unit.CURRENCY and not self.currency:
            raise ValidationError({"currency": "Give the currency of a money figure (USD, CNY)."})
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": "The period cannot end before it starts."})

    def same_period_as(self, other: "Statistic") -> bool:
        return (
            self.has_known_period
            and other.has_known_period
            and (self.period_start, self.period_end) == (other.period_start, other.period_end)
        )

    def conflicts_with(self, other: "Statistic") -> bool:
        """A discrepancy: same metric, same stated period, different value."""
        return (
            self.metric_id == other.metric_id
            and self.same_period_as(other)
            and Decimal(self.value) != Decimal(other.value)
        )


class ClaimRelation(models.Model):
    class Kind(models.TextChoices):
        REBUTS = "rebuts", "rebuts"
        SUPPORTS = "supports", "supports"
        CONTRADICTS = "contradicts", "contradicts"
        REPEATS = "repeats", "repeats"
        QUALIFIES = "qualifies", "qualifies"

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["from_claim_id", "kind", "to_claim_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"], name="claim_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="claim_relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.from_claim_id} {self.get_kind_display()} #{self.to_claim_id}"

    def get_absolute_url(self) -> str:
        return self.from_claim.get_absolute_url()

    def clean(self) -> None:
        super().clean()
        if self.from_claim_id and self.from_claim_id == self.to_claim_id:
            raise ValidationError("A claim cannot be related to itself.")


class Dispute(models.Model):
    title = models.CharField(max_length=300, help_text="The question in contention.")
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", kwargs={"slug": self.slug})


class DisputeSide(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sides")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="dispute_sides")
    label = models.CharField(
        max_length=120, blank=True, help_text="Column heading; the party's name if blank."
    )
    stance = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dispute_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "party"], name="dispute_side_party_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.heading}: {self.stance}"

    def get_absolute_url(self) -> str:
        return self.dispute.get_absolute_url()

    @property
    def heading(self) -> str:
        return self.label or self.party.name


class DisputePoint(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="points")
    question = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    claims = models.ManyToManyField(Claim, through="PointClaim", related_name="points")

    class Meta:
        ordering = ["dispute_id", "order", "pk"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return f"{self.dispute.get_absolute_url()}#point-{self.pk}"


class PointClaim(models.Model):
    """A claim placed on a point of a dispute, in the column of one side."""

    point = models.ForeignKey(DisputePoint, on_delete=models.CASCADE, related_name="placements")
    side = models.ForeignKey(DisputeSide, on_delete=models.CASCADE, related_name="placements")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="placements")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["point_id", "side_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["point", "claim"], name="point_claim_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.claim} on {self.point}"

    def clean(self) -> None:
        super().clean()
        if self.point_id and self.side_id and self.point.dispute_id != self.side.dispute_id:
            raise ValidationError({"side": "Choose a side of the same dispute as the point."})


class Assessment(models.Model):
    """An editor's verdict on a claim, compatible with schema.org ClaimReview."""

    class Rating(models.TextChoices):
        ACCURATE = "accurate", "Accurate"
        MOSTLY_ACCURATE = "mostly_accurate", "Mostly accurate"
        MIXED = "mixed", "Mixed"
        MISLEADING = "misleading", "Misleading"
        INACCURATE = "inaccurate", "Inaccurate"
        UNVERIFIABLE = "unverifiable", "Cannot be verified"

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="assessment")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(Citation, blank=True, related_name="assessments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["-published_at", "pk"]
        permissions = [("publish_assessment", "Can publish assessments")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="assessment_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.claim}"

    def get_absolute_url(self) -> str:
        return f"{self.claim.get_absolute_url()}#assessment"

    @property
    def rating_value(self) -> int:
        """1 (worst) to 5 (best), for ClaimReview's reviewRating; 0 when not rateable."""
        scale = {
            self.Rating.INACCURATE: 1,
            self.Rating.MISLEADING: 2,
            self.Rating.MIXED: 3,
            self.Rating.MOSTLY_ACCURATE: 4,
            self.Rating.ACCURATE: 5,
        }
        return scale.get(self.rating, 0)
