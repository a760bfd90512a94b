"""The accept form: one proposal, pre-filled and editable, becomes a claim with its citation
(and its statistics, and a party new to the database) in one step, or a citation of a claim
already recorded when another source reported it first (claims.matching)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.core.exceptions import ValidationError

from claims.accepting.drafting import figure_summary, quote_summary, statement_dating
from claims.accepting.figures import FigureForm
from claims.anchoring import MAX_QUOTE_CHARS
from claims.extraction.types import Proposal
from claims.forms import PointChoiceField, SideChoiceField
from claims.matching import Match
from claims.models import Claim, DisputePoint, DisputeSide, Party
from claims.services import NewParty, side_for
from sources.admin_keys import KeyCheckingAutocompleteSelect, KeyCheckingModelChoiceField
from sources.dates import PreciseDate, PreciseDateField, iso_precise_date, validate_precise_date
from sources.models import Source
from sources.validation import reject_control_characters

TEXT = [reject_control_characters]
NEW = "new"


def _party_widget(field: str) -> KeyCheckingAutocompleteSelect:
    return KeyCheckingAutocompleteSelect(Claim._meta.get_field(field), admin.site)


class ProposalForm(forms.Form):
    action = forms.ChoiceField(
        label="Record it as",
        widget=forms.RadioSelect,
        required=False,
        help_text="A claim another source already reported gains this source as a citation.",
    )
    summary = forms.CharField(
        max_length=300,
        required=False,
        validators=TEXT,
        help_text="A short, neutral summary of what is claimed.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    kind = forms.ChoiceField(choices=Claim.Kind.choices, required=False)
    party = KeyCheckingModelChoiceField(
        queryset=Party.objects.all(),
        required=False,
        widget=_party_widget("party"),
        help_text="Who the claim is attributed to: the organisation or person accountable.",
    )
    new_party_name = forms.CharField(
        max_length=200,
        required=False,
        validators=TEXT,
        label="or a new party",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="A person or organisation not in the list yet; the claim is attributed to it.",
    )
    new_party_kind = forms.ChoiceField(
        choices=[("", "---------"), *Party.Kind.choices], required=False, label="New party's kind"
    )
    new_party_affiliation = KeyCheckingModelChoiceField(
        queryset=Party.objects.all(),
        required=False,
        widget=KeyCheckingAutocompleteSelect(Party._meta.get_field("affiliation"), admin.site),
        label="New party's organisation",
        help_text="For a person: the organisation they speak for.",
    )
    speaker = KeyCheckingModelChoiceField(
        queryset=Party.objects.all(),
        required=False,
        widget=_party_widget("speaker"),
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
    date_note = forms.CharField(
        max_length=300,
        required=False,
        validators=TEXT,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
        help_text="Where an inexact or differing date comes from.",
    )
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

    CLAIM_FIELDS = ("summary", "kind", "party", "speaker", "new_speaker")
    NEW_PARTY_FIELDS = ("new_party_name", "new_party_kind", "new_party_affiliation")
    DATE_FIELDS = ("claimed_on", "date_note", "quote")

    # Optional fields that create more than the claim, its citation and its statistic, with
    # the permission each needs and what to tell a user who lacks it.
    EXTRA_PERMISSIONS = {
        "new_party_name": (
            "claims.add_party",
            "You may not add parties: choose the party from the list.",
        ),
        "new_speaker": (
            "claims.add_party",
            "You may not add people: choose the speaker from the list, or leave it empty.",
        ),
        "point": (
            "claims.add_pointclaim",
            "You may not place claims on disputes: leave the dispute point empty.",
        ),
    }

    def __init__(
        self,
        data=None,
        *,
        source: Source,
        proposal: Proposal,
        user: PermissionsMixin | AnonymousUser,
        matches: Sequence[Match] = (),
        siblings: Sequence[Proposal] = (),
        **kwargs,
    ) -> None:
        self.source = source
        self.proposal = proposal
        self.user = user
        self.matches = {str(m.claim.pk): m for m in matches}
        kwargs.setdefault(
            "initial", self.initial_for(source=source, proposal=proposal, siblings=siblings)
        )
        kwargs["initial"].setdefault("action", self.default_action(matches))
        super().__init__(data, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [
            (NEW, "A new claim"),
            *(
                (pk, f"Add as a citation of claim #{pk} “{m.claim.summary}” ({m.reason})")
                for pk, m in self.matches.items()
            ),
        ]
        self.figure_forms: list[FigureForm] = []
        if self.is_figure:
            self.figure_forms.append(FigureForm(data, proposal=proposal))
            self.figure_forms += [
                FigureForm(data, proposal=other, optional=True, prefix=f"also-{other.key}")
                for other in siblings
                if other.key != proposal.key
            ]

    @staticmethod
    def default_action(matches: Sequence[Match]) -> str:
        clear = next((m for m in matches if m.is_clear), None)
        return str(clear.claim.pk) if clear else NEW

    @staticmethod
    def initial_for(
        *, source: Source, proposal: Proposal, siblings: Sequence[Proposal] = ()
    ) -> dict[str, Any]:
        is_figure = proposal.kind == "figure"
        # A party the text names but the database does not know is offered as a new party:
        # the extractor's own proposal of one, else the party or speaker it found no record of.
        new_party = ""
        if not proposal.party_id:
            new_party = getattr(proposal, "new_party", "") or proposal.party
            new_party = new_party or ("" if proposal.speaker_id else proposal.speaker)
        affiliation_name = getattr(proposal, "new_party_affiliation", "") if new_party else ""
        affiliation = (
            Party.objects.filter(name__iexact=affiliation_name).values_list("pk", flat=True).first()
            if affiliation_name
            else None
        )
        return {
            "summary": figure_summary(proposal, siblings) if is_figure else quote_summary(proposal),
            "kind": Claim.Kind.STATISTIC if is_figure else Claim.Kind.ASSERTION,
            "party": proposal.party_id,
            "new_party_name": new_party,
            "new_party_kind": Party.Kind.INDIVIDUAL if affiliation_name else "",
            "new_party_affiliation": affiliation,
            "speaker": proposal.speaker_id,
            "new_speaker": ""
            if proposal.speaker_id or proposal.speaker == new_party
            else proposal.speaker,
            "claimed_on": iso_precise_date(source.published_on, source.published_precision),
            "quote": proposal.sentence if is_figure else proposal.text,
        }

    @property
    def is_figure(self) -> bool:
        return self.proposal.kind == "figure"

    @property
    def dating_note(self) -> str:
        """What the article says of when the statement was made, when it differs."""
        phrase = statement_dating(
            self.proposal, self.source.published_on, self.source.published_precision
        )
        if not phrase:
            return ""
        return (
            f"The article dates this statement “{phrase}”, not on the day it was published: "
            "check “Claimed on” and say where the date comes from in the date note."
        )

    def _bound(self, names: Sequence[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def match_fields(self) -> list[forms.BoundField]:
        return self._bound(("action",))

    def claim_fields(self) -> list[forms.BoundField]:
        return self._bound(self.CLAIM_FIELDS)

    def new_party_fields(self) -> list[forms.BoundField]:
        return self._bound(self.NEW_PARTY_FIELDS)

    def date_fields(self) -> list[forms.BoundField]:
        return self._bound(self.DATE_FIELDS)

    def placement_fields(self) -> list[forms.BoundField]:
        return self._bound(("point", "side"))

    @property
    def cited_claim(self) -> Claim | None:
        """The claim this source is to cite instead of a new claim, once valid."""
        match = self.matches.get(self.cleaned_data.get("action") or NEW)
        return match.claim if match else None

    def is_valid(self) -> bool:
        own = super().is_valid()
        if self.cited_claim is not None:
            return own  # a citation only: the figures are already the claim's
        figures = [form.is_valid() for form in self.figure_forms]  # every form's errors
        return own and all(figures)

    def clean_summary(self) -> str:
        return " ".join(self.cleaned_data["summary"].split())

    def clean_new_speaker(self) -> str:
        return " ".join(self.cleaned_data.get("new_speaker", "").split())

    def clean_new_party_name(self) -> str:
        return " ".join(self.cleaned_data.get("new_party_name", "").split())

    def clean_quote(self) -> str:
        return self.cleaned_data["quote"].strip()

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        typed = cleaned.get("claimed_on")
        if isinstance(typed, PreciseDate):
            cleaned["claimed_on"], cleaned["claimed_precision"] = typed
        if self.cited_claim is not None:
            # The repeated claim may also be placed on a point (a new dispute it belongs to).
            self._clean_placement(cleaned, party=self.cited_claim.party)
            self._clean_permissions(cleaned)
            return cleaned
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
        for name in ("summary", "kind"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        self._clean_party(cleaned)
        self._clean_placement(cleaned, party=cleaned.get("party"))
        self._clean_permissions(cleaned)
        return cleaned

    def _clean_party(self, cleaned: dict) -> None:
        name, party = cleaned.get("new_party_name"), cleaned.get("party")
        if not name:
            if not party and "party" not in self.errors:
                self.add_error("party", "Choose the party, or add a new one.")
            return
        if party:
            self.add_error("new_party_name", "Choose a party from the list or add one, not both.")
        elif not cleaned.get("new_party_kind"):
            self.add_error("new_party_kind", "Say what kind of party it is.")
        elif Party.objects.filter(name__iexact=name).exists():
            self.add_error("new_party_name", "A party of that name exists: choose it.")
        else:
            cleaned["new_party"] = NewParty(
                name=name,
                kind=cleaned["new_party_kind"],
                affiliation=cleaned.get("new_party_affiliation"),
            )

    def _clean_permissions(self, cleaned: dict) -> None:
        for name, (permission, message) in self.EXTRA_PERMISSIONS.items():
            if cleaned.get(name) and not self.user.has_perm(permission):
                self.add_error(name, ValidationError(message, code="permission_denied"))
        if self.figure_forms and not self.user.has_perm("claims.add_metric"):
            for form in self.figure_forms:
                if form.is_valid() and form.cleaned_data.get("new_metric_name"):
                    form.add_error(
                        "new_metric_name", "You may not add metrics: choose an existing metric."
                    )

    def _clean_placement(self, cleaned: dict, *, party: Party | None) -> None:
        point, side = cleaned.get("point"), cleaned.get("side")
        if side and not point:
            self.add_error("point", "Choose the point of the dispute to place the claim on.")
        elif point and side and side.dispute_id != point.dispute_id:
            self.add_error("side", "Choose a side of the same dispute as the point.")
        elif (
            point
            and self.cited_claim is not None
            and point.placements.filter(claim=self.cited_claim).exists()
        ):
            self.add_error("point", f"Claim #{self.cited_claim.pk} is already on this point.")
        elif point and not side and party:
            cleaned["side"] = side_for(point=point, party=party)
            if cleaned["side"] is None:
                self.add_error("side", f"{party} has no side in this dispute; choose one.")

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields that it names (the accepted
        figure's fields on its figure form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        figure = self.figure_forms[0] if self.figure_forms else None
        for name, messages in error.error_dict.items():
            if name in self.fields:
                self.add_error(name, messages)
            elif figure is not None and name in figure.fields:
                figure.add_error(name, messages)
            else:
                self.add_error(None, messages)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(form.errors for form in self.figure_forms)
