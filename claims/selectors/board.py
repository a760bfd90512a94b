"""The dispute board (one column per side, one row per point) and the dispute list."""

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from claims.models import Claim, Dispute, DisputeSide, PointClaim
from claims.selectors.figures import StatisticReport, statistic_reports
from claims.selectors.relations import RelatedClaim, related_claims
from claims.selectors.timeline import Timeline, build_timeline

CLAIMS_PER_CELL = 8  # a dispute cell lists this many claims, then links to the rest
CONFLICT_NOTES_PER_FIGURE = 3
FIGURE_ROWS_SHOWN = 3  # other values listed per row of a dispute's figures table


@dataclass
class BoardClaim:
    claim: Claim
    anchor: bool  # the first appearance on the board carries the id="claim-<pk>" target


@dataclass
class Cell:
    side: DisputeSide
    claims: list[BoardClaim]
    total: int = 0  # every claim of this side on this point; the first CLAIMS_PER_CELL shown
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.claims)


@dataclass
class ConflictNote:
    label: str
    value: str
    party: str


@dataclass
class Row:
    point: object
    cells: list[Cell]


@dataclass
class DisputeBoard:
    dispute: Dispute
    sides: list[DisputeSide]
    rows: list[Row]
    claims: list[Claim]
    side_of: dict[int, DisputeSide]
    related: dict[int, list[RelatedClaim]]
    statistics: list[StatisticReport]
    timeline: Timeline

    @property
    def hidden_count(self) -> int:
        """Placements beyond CLAIMS_PER_CELL, listed in the claims list instead."""
        return sum(cell.more for row in self.rows for cell in row.cells)


def dispute_board(dispute: Dispute) -> DisputeBoard:
    """The side-by-side view: one column per side, one row per point.

    Each cell shows its first CLAIMS_PER_CELL claims (picked in SQL with a window function)
    and links to the claims list for the rest, so the page stays the same size.
    """
    sides = list(dispute.sides.select_related("party"))
    points = list(dispute.points.all())
    in_cell_order = [
        F("order").asc(),
        F("claim__claimed_on").asc(nulls_last=True),
        F("pk").asc(),
    ]
    cell = [F("point_id"), F("side_id")]
    placements = list(
        PointClaim.objects.filter(point__dispute=dispute)
        .annotate(
            place=Window(RowNumber(), partition_by=cell, order_by=in_cell_order),
        )
        .filter(place__lte=CLAIMS_PER_CELL)
        .prefetch_related(Prefetch("claim", queryset=Claim.objects.with_related()))
        .order_by("point__order", "point_id", *in_cell_order)
    )
    # A separate GROUP BY is cheaper here than a COUNT window over every placement.
    totals = {
        (row["point_id"], row["side_id"]): row["n"]
        for row in PointClaim.objects.filter(point__dispute=dispute)
        .values("point_id", "side_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_cell: dict[tuple[int, int], list[BoardClaim]] = defaultdict(list)
    claims: dict[int, Claim] = {}
    side_of: dict[int, DisputeSide] = {}
    sides_by_id = {side.pk: side for side in sides}
    for placement in placements:
        first = placement.claim_id not in claims
        by_cell[(placement.point_id, placement.side_id)].append(
            BoardClaim(placement.claim, anchor=first)
        )
        claims.setdefault(placement.claim_id, placement.claim)
        side_of.setdefault(placement.claim_id, sides_by_id[placement.side_id])
    more_url = reverse("claims:list") + "?"
    rows = [
        Row(
            point,
            [
                Cell(
                    side,
                    by_cell[(point.pk, side.pk)],
                    totals.get((point.pk, side.pk), 0),
                    more_url + urlencode({"dispute": dispute.slug, "party": side.party.slug}),
                )
                for side in sides
            ],
        )
        for point in points
    ]
    related = related_claims(claims)
    column = {side.pk: index for index, side in enumerate(sides)}
    for claim_id, claim in claims.items():
        # On the board only rebuttals and contradictions are drawn, pointing at the column
        # where the other claim sits; the claim page lists every relation.
        claim.board_related = [r for r in related.get(claim_id, []) if r.is_opposing]
        for rel in claim.board_related:
            rel.on_board = rel.claim.pk in claims
            rel.side = side_of.get(rel.claim.pk)
            if rel.side:
                here, there = column[side_of[claim_id].pk], column[rel.side.pk]
                rel.arrow = "←" if there < here else "→" if there > here else "↕"
    reports = statistic_reports(
        (s for c in claims.values() for s in c.card_statistics), shown=FIGURE_ROWS_SHOWN
    )
    by_statistic = {report.statistic.pk: report for report in reports}
    for claim in claims.values():
        for statistic in claim.card_statistics:
            report = by_statistic.get(statistic.pk)
            conflicts = report.conflicts[:CONFLICT_NOTES_PER_FIGURE] if report else []
            statistic.board_conflicts = [
                ConflictNote(c.label, c.second.display_value, c.second.claim.party.name)
                for c in conflicts
            ]
            statistic.board_conflicts_more = report.conflict_total - len(conflicts) if report else 0
    return DisputeBoard(
        dispute=dispute,
        sides=sides,
        rows=rows,
        claims=list(claims.values()),
        side_of=side_of,
        related=related,
        statistics=reports,
        timeline=build_timeline(claims.values()),
    )


def dispute_list():
    return (
        Dispute.objects.annotate(
            point_count=Count("points", distinct=True),
            claim_count=Count("points__placements", distinct=True),
        )
        .order_by("title")
        .prefetch_related(Prefetch("sides", queryset=DisputeSide.objects.select_related("party")))
    )
