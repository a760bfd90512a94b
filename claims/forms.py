"""Forms of the claim admin. The accept form of a proposal is claims.accepting.forms."""

from __future__ import annotations

from claims.models import Claim, DisputePoint, DisputeSide
from sources.admin_keys import KeyCheckingModelChoiceField
from sources.dates import PreciseDateModelForm


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
