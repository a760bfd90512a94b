"""One figure of the accept form: the statistic a figure proposal becomes.

The proposal accepted is the form without a prefix; the other open figures of its sentence
follow, each with its own prefix and an "Also record this figure" box, so one claim can
carry every figure of its sentence in one step while each figure stays its own proposal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from claims.extraction.types import Proposal
from claims.models import Metric, Statistic
from claims.models.figures import (
    FIGURE_DECIMAL_PLACES,
    FIGURE_MAX_DIGITS,
    figure_range_error,
    validate_currency_code,
    validate_figure_value,
)
from claims.services import FigureData
from sources.admin_keys import KeyCheckingAutocompleteSelect, KeyCheckingModelChoiceField
from sources.validation import reject_control_characters

TEXT = [reject_control_characters]


class FigureForm(forms.Form):
    include = forms.BooleanField(required=False, label="Also record this figure")
    metric = KeyCheckingModelChoiceField(
        queryset=Metric.objects.all(),
        required=False,
        widget=KeyCheckingAutocompleteSelect(Statistic._meta.get_field("metric"), admin.site),
    )
    new_metric_name = forms.CharField(
        max_length=200,
        required=False,
        validators=TEXT,
        label="or a new metric",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    new_metric_definition = forms.CharField(
        required=False,
        validators=TEXT,
        label="New metric's definition",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Exactly what is counted, and over what.",
    )
    qualifier = forms.ChoiceField(choices=Statistic.Qualifier.choices, required=False)
    value = forms.DecimalField(
        max_digits=FIGURE_MAX_DIGITS,
        decimal_places=FIGURE_DECIMAL_PLACES,
        validators=[validate_figure_value],
    )
    unit = forms.ChoiceField(choices=Metric.Unit.choices)
    currency = forms.CharField(
        max_length=3, required=False, help_text="ISO 4217 code for money (USD, CNY)."
    )
    period_label = forms.CharField(
        max_length=100,
        required=False,
        validators=TEXT,
        label="Period",
        help_text="As the source states it (“2017”, “the previous 12 months”).",
    )
    period_start = forms.DateField(
        required=False,
        label="Period from",
        widget=AdminDateWidget(attrs={"placeholder": "YYYY-MM-DD"}),
    )
    period_end = forms.DateField(
        required=False,
        label="Period to",
        widget=AdminDateWidget(attrs={"placeholder": "YYYY-MM-DD"}),
    )
    scope_note = forms.CharField(
        required=False,
        validators=TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the figure covers when it differs from the metric's definition.",
    )

    def __init__(self, *args, proposal: Proposal, optional: bool = False, **kwargs) -> None:
        self.proposal = proposal
        self.optional = optional
        kwargs.setdefault("initial", self.initial_for(proposal))
        super().__init__(*args, **kwargs)
        if not optional:
            del self.fields["include"]

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, Any]:
        return {
            "metric": proposal.metric_id,
            "qualifier": proposal.qualifier,
            "value": proposal.value,
            "unit": proposal.unit,
            "currency": proposal.currency,
            "period_label": getattr(proposal, "period", "") or "",
            "period_start": getattr(proposal, "period_start", None),
            "period_end": getattr(proposal, "period_end", None),
        }

    @property
    def is_included(self) -> bool:
        if not self.optional:
            return True
        field = self.fields["include"]
        return bool(
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix("include"))
        )

    def full_clean(self) -> None:
        if self.is_bound and not self.is_included:
            # An unticked figure is left as it is: nothing of it is checked or saved.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean_currency(self) -> str:
        code = self.cleaned_data.get("currency", "").strip().upper()
        validate_currency_code(code)
        return code

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if not value.is_finite():
            raise ValidationError("Enter a number.")
        return value

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("metric"):
            if not cleaned.get("new_metric_name"):
                self.add_error("metric", "Choose the metric, or name a new one.")
            elif not cleaned.get("new_metric_definition", "").strip():
                self.add_error("new_metric_definition", "Define the new metric.")
            elif Metric.objects.filter(name__iexact=cleaned["new_metric_name"]).exists():
                self.add_error("new_metric_name", "A metric of that name exists: choose it.")
        unit, currency = cleaned.get("unit"), cleaned.get("currency")
        if unit == Metric.Unit.CURRENCY and not currency:
            self.add_error("currency", "Give the currency of a money figure (USD, CNY).")
        if unit and unit != Metric.Unit.CURRENCY and currency:
            self.add_error("currency", "Only a money figure has a currency.")
        metric = cleaned.get("metric")
        if metric and unit and metric.unit != unit:
            self.add_error(
                "unit", f"The metric “{metric}” is measured as {metric.get_unit_display()}."
            )
        if problem := figure_range_error(unit or "", cleaned.get("value")):
            self.add_error("value", problem)
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period cannot end before it starts.")
        return cleaned

    def figure_data(self) -> FigureData:
        data = self.cleaned_data
        return FigureData(
            value=data["value"],
            unit=data["unit"],
            metric=data.get("metric"),
            new_metric_name=data.get("new_metric_name", ""),
            new_metric_definition=data.get("new_metric_definition", ""),
            currency=data.get("currency", ""),
            qualifier=data.get("qualifier", ""),
            period_label=data.get("period_label", ""),
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            scope_note=data.get("scope_note", ""),
        )
