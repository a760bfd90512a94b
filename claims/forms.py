"""Forms of the analyst workflow: accepting a proposal as a claim."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.exceptions import ValidationError

from claims.anchoring import MAX_QUOTE_CHARS
from claims.extraction.types import Proposal
from claims.models import Claim, DisputePoint, DisputeSide, Metric, Party, Statistic
from claims.models.figures import (
    FIGURE_DECIMAL_PLACES,
    FIGURE_MAX_DIGITS,
    figure_range_error,
    validate_currency_code,
    validate_figure_value,
)
from claims.services import side_for
from sources.admin_keys import KeyCheckingAutocompleteSelect, KeyCheckingModelChoiceField
from sources.dates import (
    PreciseDate,
    PreciseDateField,
    PreciseDateModelForm,
    iso_precise_date,
    validate_precise_date,
)
from sources.models import Source
from sources.validation import reject_control_characters

TEXT = [reject_control_characters]

SUMMARY_WORDS = 14


def _short(text: str, words: int = SUMMARY_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


class PointChoiceField(KeyCheckingModelChoiceField):
    def label_from_instance(self, obj: DisputePoint) -> str:
        return f"{obj.dispute.title} — {obj.question}"


class SideChoiceField(KeyCheckingModelChoiceField):
    def label_from_instance(self, obj: DisputeSide) -> str:
        return f"{obj.dispute.title} — {obj.heading}"


class ClaimAdminForm(PreciseDateModelForm):
    """The claim admin's form: the claim's date typed once, its precision read from it."""

    precise_dates = {"claimed_on": "claimed_precision"}

    class Meta:
        model = Claim
        fields = "__all__"


class ProposalForm(forms.Form):
    """One proposal, pre-filled and editable, to become a claim with its citation (and its
    statistic for a figure) in one step."""

    summary = forms.CharField(
        max_length=300,
        validators=TEXT,
        help_text="A short, neutral summary of what is claimed.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    kind = forms.ChoiceField(choices=Claim.Kind.choices)
    party = KeyCheckingModelChoiceField(
        queryset=Party.objects.all(),
        widget=KeyCheckingAutocompleteSelect(Claim._meta.get_field("party"), admin.site),
        help_text="Who the claim is attributed to: the organisation or person accountable.",
    )
    speaker = KeyCheckingModelChoiceField(
        queryset=Party.objects.all(),
        required=False,
        widget=KeyCheckingAutocompleteSelect(Claim._meta.get_field("speaker"), admin.site),
        help_text="The named person who said it, if the source names one.",
    )
    new_speaker = forms.CharField(
        max_length=200,
        required=False,
        validators=TEXT,
        label="or a new speaker",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="A person not in the list yet: added as an individual of the party.",
    )
    claimed_on = PreciseDateField(label="Claimed on")
    quote = forms.CharField(
        max_length=MAX_QUOTE_CHARS,
        validators=TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Exactly as published; it is found in the source text when you save.",
    )
    point = PointChoiceField(
        queryset=DisputePoint.objects.select_related("dispute").order_by("dispute__title", "order"),
        required=False,
        label="Dispute point",
        help_text="Optional: place the claim on a point of a dispute.",
    )
    side = SideChoiceField(
        queryset=DisputeSide.objects.select_related("dispute", "party").order_by(
            "dispute__title", "order"
        ),
        required=False,
        help_text="Leave empty to use the side of the claim's party.",
    )

    FIGURE_FIELDS = (
        "metric",
        "new_metric_name",
        "new_metric_definition",
        "qualifier",
        "value",
        "unit",
        "currency",
        "period_label",
    )

    # Optional fields that create more than the claim, its citation and its statistic, with
    # the permission each needs and what to tell a user who lacks it.
    EXTRA_PERMISSIONS = {
        "new_speaker": (
            "claims.add_party",
            "You may not add people: choose the speaker from the list, or leave it empty.",
        ),
        "new_metric_name": (
            "claims.add_metric",
            "You may not add metrics: choose an existing metric.",
        ),
        "point": (
            "claims.add_pointclaim",
            "You may not place claims on disputes: leave the dispute point empty.",
        ),
    }

    def __init__(
        self,
        *args,
        source: Source,
        proposal: Proposal,
        user: PermissionsMixin | AnonymousUser,
        **kwargs,
    ) -> None:
        self.source = source
        self.proposal = proposal
        self.user = user
        kwargs.setdefault("initial", self.initial_for(source=source, proposal=proposal))
        super().__init__(*args, **kwargs)
        if proposal.kind == "figure":
            self.fields["metric"] = KeyCheckingModelChoiceField(
                queryset=Metric.objects.all(),
                required=False,
                widget=KeyCheckingAutocompleteSelect(
                    Statistic._meta.get_field("metric"), admin.site
                ),
            )
            self.fields["new_metric_name"] = forms.CharField(
                max_length=200,
                required=False,
                validators=TEXT,
                label="or a new metric",
                widget=forms.TextInput(attrs={"class": "vTextField"}),
            )
            self.fields["new_metric_definition"] = forms.CharField(
                required=False,
                validators=TEXT,
                label="New metric's definition",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Exactly what is counted, and over what.",
            )
            self.fields["qualifier"] = forms.ChoiceField(
                choices=Statistic.Qualifier.choices, required=False
            )
            self.fields["value"] = forms.DecimalField(
                max_digits=FIGURE_MAX_DIGITS,
                decimal_places=FIGURE_DECIMAL_PLACES,
                validators=[validate_figure_value],
            )
            self.fields["unit"] = forms.ChoiceField(choices=Metric.Unit.choices)
            self.fields["currency"] = forms.CharField(
                max_length=3, required=False, help_text="ISO 4217 code for money (USD, CNY)."
            )
            self.fields["period_label"] = forms.CharField(
                max_length=100,
                required=False,
                validators=TEXT,
                label="Period",
                help_text="As the source states it (“2017”, “the previous 12 months”).",
            )

    @staticmethod
    def initial_for(*, source: Source, proposal: Proposal) -> dict[str, Any]:
        is_figure = proposal.kind == "figure"
        quote = proposal.sentence if is_figure else proposal.text
        who = proposal.speaker or proposal.party
        summary = _short(proposal.sentence if is_figure else proposal.text)
        if who and not summary.lower().startswith(who.lower()):
            summary = f"{who}: {summary}"
        initial: dict[str, Any] = {
            "summary": summary,
            "kind": Claim.Kind.STATISTIC if is_figure else Claim.Kind.ASSERTION,
            "party": proposal.party_id,
            "speaker": proposal.speaker_id,
            "new_speaker": "" if proposal.speaker_id else proposal.speaker,
            "claimed_on": iso_precise_date(source.published_on, source.published_precision),
            "quote": quote,
        }
        if is_figure:
            initial.update(
                {
                    "metric": proposal.metric_id,
                    "qualifier": proposal.qualifier,
                    "value": proposal.value,
                    "unit": proposal.unit,
                    "currency": proposal.currency,
                }
            )
        return initial

    @property
    def is_figure(self) -> bool:
        return self.proposal.kind == "figure"

    CLAIM_FIELDS = (
        "summary",
        "kind",
        "party",
        "speaker",
        "new_speaker",
        "claimed_on",
        "quote",
    )

    def claim_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CLAIM_FIELDS]

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FIGURE_FIELDS if name in self.fields]

    def placement_fields(self) -> list[forms.BoundField]:
        return [self["point"], self["side"]]

    def clean_summary(self) -> str:
        return " ".join(self.cleaned_data["summary"].split())

    def clean_new_speaker(self) -> str:
        return " ".join(self.cleaned_data.get("new_speaker", "").split())

    def clean_quote(self) -> str:
        return self.cleaned_data["quote"].strip()

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
        typed = cleaned.get("claimed_on")
        if isinstance(typed, PreciseDate):
            cleaned["claimed_on"], cleaned["claimed_precision"] = typed
        try:
            validate_precise_date(
                cleaned.get("claimed_on"),
                cleaned.get("claimed_precision", ""),
                "claimed_on",
                "claimed_precision",
            )
        except ValidationError as exc:
            if "claimed_on" not in self.errors:
                self.add_error(None, exc)
        if self.is_figure:
            self._clean_figure(cleaned)
        self._clean_placement(cleaned)
        self._clean_permissions(cleaned)
        return cleaned

    def _clean_permissions(self, cleaned: dict) -> None:
        for name, (permission, message) in self.EXTRA_PERMISSIONS.items():
            if cleaned.get(name) and not self.user.has_perm(permission):
                self.add_error(name, ValidationError(message, code="permission_denied"))

    def _clean_figure(self, cleaned: dict) -> None:
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

    def _clean_placement(self, cleaned: dict) -> None:
        point, side, party = cleaned.get("point"), cleaned.get("side"), cleaned.get("party")
        if side and not point:
            self.add_error("point", "Choose the point of the dispute to place the claim on.")
        elif point and side and side.dispute_id != point.dispute_id:
            self.add_error("side", "Choose a side of the same dispute as the point.")
        elif point and not side and party:
            cleaned["side"] = side_for(point=point, party=party)
            if cleaned["side"] is None:
                self.add_error("side", f"{party} has no side in this dispute; choose one.")

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields of this form that it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.error_dict.items():
            self.add_error(name if name in self.fields else None, messages)
