"""Disputes over the generated claims: two or three sides (organisations), a few points
each, claims placed in their party's column, rebuttals across columns; the first dispute
carries the worst case, one point with thousands of placements."""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import slugify

from claims.demo.vocabulary import DISPUTE_TOPICS, GOODS, POINT_QUESTIONS, pick
from claims.models import ClaimRelation, Dispute, DisputePoint, DisputeSide, Party, PointClaim

BATCH = 2000
STANCES = [
    "Says the platform does what it can against counterfeits.",
    "Says the platform profits from counterfeits and must do more.",
    "Says the figures published so far cannot be trusted.",
]


@dataclass
class DisputeWrites:
    disputes: list[Dispute]
    points: list[DisputePoint]
    placements: int
    relations: int
    worst_point: DisputePoint | None


def write_disputes(
    rng: random.Random,
    *,
    count: int,
    worst_point_placements: int,
    parties: Sequence[Party],
    claims_of: dict[int, list[int]],
    slugs: "set[str]",
) -> DisputeWrites:
    """count disputes among parties (organisations, the worst-case party first), placing
    claim ids from claims_of (party id -> its claim ids). slugs: dispute slugs in use."""
    speaking = [p for p in parties if claims_of.get(p.pk)]
    disputes, sides_of, questions = [], [], []
    for number in range(count):
        if number == 0:  # the worst case: the party with the most claims and the next one
            chosen = list(speaking[:2])
        else:
            chosen = rng.sample(speaking, k=min(len(speaking), rng.choice([2, 2, 3])))
        title = pick(rng, DISPUTE_TOPICS).format(a=chosen[0].name, goods=pick(rng, GOODS))
        base = slugify(title)[:100] or "dispute"
        slug, n = base, 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        disputes.append(Dispute(title=title, slug=slug, summary=f"Who is right: {title}"))
        sides_of.append(chosen)
        questions.append(
            [pick(rng, POINT_QUESTIONS).format(goods=pick(rng, GOODS)) for _ in range(2, 6)]
        )
    disputes = Dispute.objects.bulk_create(disputes, batch_size=BATCH)
    sides = DisputeSide.objects.bulk_create(
        (
            DisputeSide(dispute=d, party=p, stance=pick(rng, STANCES), order=i)
            for d, chosen in zip(disputes, sides_of, strict=True)
            for i, p in enumerate(chosen)
        ),
        batch_size=BATCH,
    )
    points = DisputePoint.objects.bulk_create(
        (
            DisputePoint(dispute=d, question=q, order=i)
            for d, qs in zip(disputes, questions, strict=True)
            for i, q in enumerate(qs)
        ),
        batch_size=BATCH,
    )
    side_list: dict[int, list[DisputeSide]] = {}
    for side in sides:
        side_list.setdefault(side.dispute_id, []).append(side)
    placements: list[PointClaim] = []
    relations: dict[tuple[int, int], ClaimRelation] = {}
    worst = points[0] if points and worst_point_placements else None
    for point in points:
        cells = side_list[point.dispute_id]
        if point is worst:
            # Half from the other side as far as its claims go, the rest from the first.
            others = [min(worst_point_placements // 2, len(claims_of[s.party_id])) for s in cells]
            share = [worst_point_placements - sum(others[1:]), *others[1:]]
        else:
            share = [rng.randint(1, 6) for _ in cells]
        placed: list[list[int]] = []
        for side, wanted in zip(cells, share, strict=True):
            own = claims_of[side.party_id]
            ids = rng.sample(own, k=min(wanted, len(own)))
            placed.append(ids)
            placements += (
                PointClaim(point=point, side=side, claim_id=claim_id, order=order)
                for order, claim_id in enumerate(ids)
            )
        # The second side answers the first: a rebuttal drawn on the board.
        if len(placed) > 1 and placed[0] and placed[1] and point is not worst:
            pair = (placed[1][0], placed[0][0])
            relations[pair] = ClaimRelation(
                from_claim_id=pair[0], to_claim_id=pair[1], kind=ClaimRelation.Kind.REBUTS
            )
    PointClaim.objects.bulk_create(placements, batch_size=BATCH)
    ClaimRelation.objects.bulk_create(relations.values(), batch_size=BATCH)
    return DisputeWrites(disputes, points, len(placements), len(relations), worst)
