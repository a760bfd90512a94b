"""Relations between claims (rebuts, supports, ...) seen from each claim's side."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from claims.models import Claim, ClaimRelation, DisputeSide

# ---------------------------------------------------------------------------------------------
# Relations between claims
# ---------------------------------------------------------------------------------------------

INVERSE_LABELS = {
    ClaimRelation.Kind.REBUTS: "rebutted by",
    ClaimRelation.Kind.SUPPORTS: "supported by",
    ClaimRelation.Kind.CONTRADICTS: "contradicted by",
    ClaimRelation.Kind.REPEATS: "repeated by",
    ClaimRelation.Kind.QUALIFIES: "qualified by",
}
OPPOSING = {ClaimRelation.Kind.REBUTS, ClaimRelation.Kind.CONTRADICTS}


@dataclass
class RelatedClaim:
    label: str
    kind: str
    claim: Claim
    note: str = ""
    on_board: bool = False
    side: DisputeSide | None = None
    arrow: str = "→"

    @property
    def is_opposing(self) -> bool:
        return self.kind in OPPOSING


def related_claims(claim_ids: Iterable[int]) -> dict[int, list[RelatedClaim]]:
    """Every relation touching the given claims, from each claim's point of view (one query)."""
    ids = set(claim_ids)
    related: dict[int, list[RelatedClaim]] = defaultdict(list)
    if not ids:
        return related
    relations = ClaimRelation.objects.filter(
        Q(from_claim_id__in=ids) | Q(to_claim_id__in=ids)
    ).select_related("from_claim__party", "to_claim__party")
    for rel in relations:
        if rel.from_claim_id in ids:
            related[rel.from_claim_id].append(
                RelatedClaim(rel.get_kind_display(), rel.kind, rel.to_claim, rel.note)
            )
        if rel.to_claim_id in ids:
            related[rel.to_claim_id].append(
                RelatedClaim(INVERSE_LABELS[rel.kind], rel.kind, rel.from_claim, rel.note)
            )
    for items in related.values():
        items.sort(key=lambda r: (r.label, r.claim.pk))
    return related
