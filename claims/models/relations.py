"""How one claim stands to another: rebuts, supports, contradicts, repeats, qualifies."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim


class ClaimRelationQuerySet(models.QuerySet):
    def touching(self, claim_ids: Iterable[int]) -> "ClaimRelationQuerySet":
        """Every relation from or to one of the claims, with both claims' parties."""
        ids = list(claim_ids)
        return self.filter(Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)).select_related(
            "from_claim__party", "to_claim__party"
        )


class ClaimRelation(models.Model):
    class Kind(models.TextChoices):
        REBUTS = "rebuts", "rebuts"
        SUPPORTS = "supports", "supports"
        CONTRADICTS = "contradicts", "contradicts"
        REPEATS = "repeats", "repeats"
        QUALIFIES = "qualifies", "qualifies"

        @property
        def inverse_label(self) -> str:
            """The relation read from the other claim: "rebutted by", "supported by"…"""
            return _INVERSE[self]

        @property
        def is_opposing(self) -> bool:
            """Rebuttals and contradictions: drawn on dispute boards and timelines."""
            return self in (self.REBUTS, self.CONTRADICTS)

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ClaimRelationQuerySet.as_manager()

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


_INVERSE = {
    ClaimRelation.Kind.REBUTS: "rebutted by",
    ClaimRelation.Kind.SUPPORTS: "supported by",
    ClaimRelation.Kind.CONTRADICTS: "contradicted by",
    ClaimRelation.Kind.REPEATS: "repeated by",
    ClaimRelation.Kind.QUALIFIES: "qualified by",
}
