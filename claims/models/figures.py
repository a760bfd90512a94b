"""Metrics and the statistics (figures) that claims give for them.

The choices carry their own behaviour: a unit formats a value, a qualifier says which range
of values its wording allows, and a statistic's period is one value object (claims.periods)
that both the pages and the verdict rules read.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from claims.periods import Period


def format_number(value: Decimal) -> str:
    """1234 → "1,234", -25.5000 → "-25.5": thousands separated, no trailing zeros."""
    value = Decimal(value)
    if value == value.to_integral():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


class Metric(models.Model):
    """One figure that several parties or sources report, so their values can be compared."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "Percent"
        COUNT = "count", "Count"
        CURRENCY = "currency", "Money"
        MULTIPLIER = "multiplier", "Multiplier (times)"

        def render_value(self, value: Decimal, currency: str = "") -> str:
            """A value in this unit as a reader expects it: "25%", "27×", "USD 1,000"."""
            number = format_number(value)
            if self == self.PERCENT:
                return f"{number}%"
            if self == self.MULTIPLIER:
                return f"{number}×"
            if self == self.CURRENCY:
                return f"{currency} {number}".strip()
            return number

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    definition = models.TextField(help_text="Exactly what is counted, and over what.")
    unit = models.CharField(max_length=20, choices=Unit.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("metrics:detail", kwargs={"slug": self.slug})


class StatisticQuerySet(models.QuerySet):
    def distinct_readings(self) -> models.QuerySet:
        """One row per distinct reading (value, qualifier, unit, currency, period, party,
        scope note) with how many statistics give it, the first of them, and the range of
        their claims (one claim when claim_lo == claim_hi). Feeds claims.comparisons."""
        return (
            self.values(
                "metric_id",
                "value",
                "qualifier",
                "unit",
                "currency",
                "period_label",
                "period_start",
                "period_end",
                "claim__party_id",
                "scope_note",
            )
            .annotate(
                count=models.Count("pk"),
                first_pk=models.Min("pk"),
                claim_lo=models.Min("claim_id"),
                claim_hi=models.Max("claim_id"),
            )
            .order_by()
        )


class Statistic(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "", "—"
        NEARLY = "nearly", "nearly"
        ABOUT = "about", "about"
        OVER = "over", "over"
        UNDER = "under", "under"
        UP_TO = "up_to", "up to"
        AT_LEAST = "at_least", "at least"

        def bounds(self, value: Decimal) -> tuple[Decimal | None, Decimal | None]:
            """The range of values this wording allows: "over 1,000" is 1,000 or more,
            "nearly 1,000" is 900 to 1,000, "about 1,000" is 900 to 1,100; None is an open
            end. A tenth either way is the reading of "nearly" and "about" used throughout."""
            tenth = abs(value) / 10
            if self in (self.OVER, self.AT_LEAST):
                return (value, None)
            if self in (self.UNDER, self.UP_TO):
                return (None, value)
            if self == self.NEARLY:  # just short of the value, whatever its sign
                return (value - tenth, value) if value >= 0 else (value, value + tenth)
            if self == self.ABOUT:
                return (value - tenth, value + tenth)
            return (value, value)

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
    objects = StatisticQuerySet.as_manager()

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
    def period(self) -> Period | None:
        """The period the figure is said to cover, or None when the source does not say."""
        return Period.stated(self.period_start, self.period_end, self.period_label)

    @property
    def period_display(self) -> str:
        return self.period.text if self.period else "period not stated"

    @property
    def display_value(self) -> str:
        text = Metric.Unit(self.unit).render_value(self.value, self.currency)
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
