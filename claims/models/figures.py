"""Metrics and the statistics (figures) that claims give for them.

The choices carry their own behaviour: a unit formats a value, a qualifier says which range
of values its wording allows, and a statistic's period is one value object (claims.periods)
that both the pages and the verdict rules read.
"""

from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from claims.periods import Period
from sources.indexes import NullsOrderIndex
from sources.links import reverse_kept
from sources.validation import reject_control_characters

# What every supported database stores exactly: SQLite keeps a figure as a double (15
# significant digits); PostgreSQL's numeric(17, 4) holds any value below FIGURE_LIMIT with its
# four decimals. The corpus's largest figures are hundreds of billions of dollars.
FIGURE_SIGNIFICANT_DIGITS = 15
FIGURE_LIMIT = Decimal(10) ** 13
FIGURE_MAX_DIGITS = 17  # the 13 digits below FIGURE_LIMIT and 4 decimals: read back exactly
FIGURE_DECIMAL_PLACES = 4


def validate_figure_value(value: object) -> None:
    """Refuse a figure the databases cannot store exactly: ten trillion or more either way, or
    more than 15 significant digits (past that SQLite silently rounds)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return  # the field says "Enter a number"
    if abs(value) >= FIGURE_LIMIT:
        raise ValidationError(
            "%(value)s is too large: figures must be smaller than 10,000,000,000,000 (ten "
            "trillion) either way. Check the number, or record it in a larger unit.",
            code="figure_too_large",
            params={"value": f"{value:,f}"},
        )
    if len(value.normalize().as_tuple().digits) > FIGURE_SIGNIFICANT_DIGITS:
        raise ValidationError(
            "%(value)s has more than 15 significant digits, more than can be stored exactly; "
            "round it.",
            code="figure_too_precise",
            params={"value": f"{value:f}"},
        )


def validate_currency_code(code: str) -> None:
    """An ISO 4217 code in capitals, from pycountry's copy of the standard's list."""
    if code and (code != code.upper() or pycountry.currencies.get(alpha_3=code) is None):
        raise ValidationError(
            "“%(code)s” is not an ISO 4217 currency code; use a code such as USD, EUR or CNY.",
            code="unknown_currency",
            params={"code": code},
        )


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

        def value_range(self) -> tuple[Decimal, Decimal]:
            """The values a figure in this unit may take. Counts, money and multipliers are
            amounts, never below zero (a fall is a negative percentage); a percentage, a share
            or a change, runs from -100 (all gone) to 10,000 (a hundredfold)."""
            if self == self.PERCENT:
                return (Decimal(-100), Decimal(10_000))
            return (Decimal(0), FIGURE_LIMIT)

        def range_error(self, value: Decimal) -> str:
            """What is wrong with a value outside value_range(), or "" when it is inside."""
            low, high = self.value_range()
            if low <= value <= high:
                return ""
            if self == self.PERCENT:
                return (
                    f"{format_number(value)}% is outside -100% to 10,000%: a percentage "
                    "cannot fall by more than all of it; check the figure or its unit."
                )
            return f"A {self.label.lower()} cannot be negative; a fall is a negative percentage."

    name = models.CharField(max_length=200, unique=True, validators=[reject_control_characters])
    slug = models.SlugField(max_length=120, unique=True)
    definition = models.TextField(
        help_text="Exactly what is counted, and over what.",
        validators=[reject_control_characters],
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_kept("metrics:detail", slug=self.slug)


def figure_range_error(unit: str, value: object) -> str:
    """Metric.Unit.range_error() for a unit and value that may not be valid yet ("" then)."""
    if not isinstance(value, Decimal) or not value.is_finite() or unit not in Metric.Unit.values:
        return ""
    return Metric.Unit(unit).range_error(value)


def unit_ranges_condition() -> Q:
    """The database's copy of Metric.Unit.value_range(), one clause per unit."""
    condition = Q()
    for unit in Metric.Unit:
        low, high = unit.value_range()
        condition &= ~Q(unit=unit.value) | Q(value__gte=low, value__lte=high)
    return condition


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
    value = models.DecimalField(
        max_digits=FIGURE_MAX_DIGITS,
        decimal_places=FIGURE_DECIMAL_PLACES,
        validators=[validate_figure_value],
    )
    unit = models.CharField(max_length=20, choices=Metric.Unit.choices)
    currency = models.CharField(
        max_length=3,
        blank=True,
        help_text="ISO 4217 code when the unit is money (USD, CNY).",
        validators=[validate_currency_code],
    )
    qualifier = models.CharField(
        max_length=10, choices=Qualifier.choices, blank=True, default=Qualifier.EXACT
    )
    period_label = models.CharField(
        max_length=100,
        blank=True,
        validators=[reject_control_characters],
        help_text="The period as the source states it (“2017”, “the previous 12 months”). "
        "Leave blank when the source does not say.",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    scope_note = models.TextField(
        blank=True,
        validators=[reject_control_characters],
        help_text="What the figure covers when it differs from the metric's definition, "
        "or what other coverage says of its period, and where that comes from.",
    )
    history = HistoricalRecords()
    objects = StatisticQuerySet.as_manager()

    # The metric as stored before a save (claims.receivers): moving a figure to another
    # metric refreshes the stored verdicts of both.
    _metric_before_save: int | None = None

    class Meta:
        ordering = ["metric__name", F("period_start").asc(nulls_last=True), "pk"]
        indexes = [
            # A metric's values table (MetricPage.values_of): WHERE metric_id = m ORDER BY
            # period_start NULLS LAST, then the claim's date; and the GROUP BY of its readings.
            NullsOrderIndex(
                F("metric"),
                F("period_start").asc(nulls_last=True),
                name="statistic_metric_period_idx",
            ),
        ]
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
            models.CheckConstraint(
                condition=Q(value__gt=-FIGURE_LIMIT, value__lt=FIGURE_LIMIT),
                name="statistic_value_storable",
                violation_error_message="Figures must be smaller than ten trillion either way.",
            ),
            models.CheckConstraint(
                condition=unit_ranges_condition(),
                name="statistic_value_within_unit_range",
                violation_error_message="The figure is outside what its unit allows.",
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
        if problem := figure_range_error(self.unit, self.value):
            raise ValidationError({"value": problem})
        metric = Metric.objects.filter(pk=self.metric_id).first() if self.metric_id else None
        if metric is not None and self.unit and metric.unit != self.unit:
            raise ValidationError(
                {
                    "unit": f"The metric “{metric}” is measured as "
                    f"{metric.get_unit_display().lower()}: give the figure in that unit."
                }
            )
