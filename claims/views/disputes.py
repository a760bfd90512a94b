"""The dispute list and the dispute board, with the board's assembly."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.cards import Card, ConflictNote, FigureLine, Link, plain_cards, related_claims
from claims.comparisons import StatisticReport, statistic_reports
from claims.meta import PageMeta, absolute
from claims.models import Claim, Dispute, DisputePoint, DisputeSide, PointClaim
from claims.pagination import LinkedPage, page_url, paginate
from claims.structured_data.pages import Entry, item_list_ld
from claims.templatetags.counterpoint import url
from claims.timeline import Timeline, build_timeline

DISPUTES_PER_PAGE = 50
CLAIMS_PER_CELL = 8  # a dispute cell lists this many claims, then links to the rest
# ... and a board this many in all: a board of more than 8 cells (points x sides) shows
# fewer per cell, at least CLAIMS_PER_CROWDED_CELL, so its size follows the claims shown,
# not the number of points an analyst sets out (every cell still links to all its claims).
CLAIMS_PER_BOARD = 64
CLAIMS_PER_CROWDED_CELL = 2
CLAIMS_PER_CELL_PAGE = 25  # the rest: every claim of the cell, paginated
CONFLICT_NOTES_PER_FIGURE = 3
FIGURE_ROWS_SHOWN = 3  # other values listed per row of a dispute's figures table
# A figure with more distinct values than this is compared on its own page, not on the board
# (the worst case has 5,000: comparing them took ~90 ms of SQL per board at 100,000 claims).
FIGURE_COMPARED_UP_TO = 200


@require_safe
def dispute_list(request: HttpRequest, page: int | None = None) -> HttpResponseBase:
    base = reverse("disputes:list")
    disputes = Dispute.objects.for_listing()
    found = paginate(request, disputes, DISPUTES_PER_PAGE, base=base, page=page)
    if not isinstance(found, LinkedPage):
        return found
    meta = PageMeta.collection(
        title="Disputes",
        description="Questions in contention, with each side's claims set out point by point.",
        path=page_url(base, found.number),
        entries=[Entry(d.title, d.get_absolute_url()) for d in found.object_list],
    )
    context = {"disputes": found.object_list, "page_obj": found, "meta": meta}
    return render(request, "claims/dispute_list.html", context)


@require_safe
def dispute_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dispute = get_object_or_404(Dispute, slug=slug)
    board = DisputeBoard.of(dispute)
    return render(request, "claims/dispute_detail.html", {"board": board, "meta": board.meta})


@require_safe
def dispute_cell(
    request: HttpRequest, slug: str, pk: int, side: int, page: int | None = None
) -> HttpResponseBase:
    """Every claim of one side on one point (a board cell shows the first few)."""
    point = get_object_or_404(DisputePoint.objects.select_related("dispute"), pk=pk)
    if point.dispute.slug != slug:
        raise Http404("This point belongs to another dispute.")
    column = get_object_or_404(
        DisputeSide.objects.select_related("party"), pk=side, dispute_id=point.dispute_id
    )
    placed = PointClaim.objects.filter(point=point, side=column)
    claims = (
        Claim.objects.filter(placements__in=placed)
        .with_related()
        .order_by("placements__order", F("claimed_on").asc(nulls_last=True), "pk")
    )
    base = reverse("disputes:cell", kwargs={"slug": slug, "pk": pk, "side": side})
    found = paginate(
        request, claims, CLAIMS_PER_CELL_PAGE, base=base, page=page, count=placed.count()
    )
    if not isinstance(found, LinkedPage):
        return found
    meta = PageMeta.collection(
        title=f"{column.heading} on “{point.question}”",
        description=f"Every claim from {column.heading} on this point of the dispute "
        f"“{point.dispute.title}”, in board order.",
        path=page_url(base, found.number),
        entries=[Entry(c.summary, c.get_absolute_url(), c) for c in found.object_list],
    )
    context = {
        "point": point,
        "side": column,
        "page_obj": found,
        "cards": plain_cards(found.object_list),
        "meta": meta,
    }
    return render(request, "claims/dispute_cell.html", context)


@dataclass
class Cell:
    side: DisputeSide
    cards: list[Card]
    total: int = 0  # every claim of this side on this point; the first claims_per_cell() shown
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.total - len(self.cards)


@dataclass
class Row:
    point: DisputePoint
    cells: list[Cell]


def claims_per_cell(cells: int) -> int:
    """How many claims each cell of a board of `cells` cells shows."""
    return max(CLAIMS_PER_CROWDED_CELL, min(CLAIMS_PER_CELL, CLAIMS_PER_BOARD // max(cells, 1)))


def _first_placements(
    points: list[DisputePoint], sides: list[DisputeSide]
) -> tuple[list[PointClaim], dict[tuple[int, int], int]]:
    """The first claims_per_cell() placements of each cell, in board order, with each claim
    loaded for its card (one query for the placements, then Claim.with_related()'s), and
    how many placements each (point id, side id) cell has in all.

    Each cell is its own `ORDER BY ... LIMIT n`, which point_claim_cell_idx answers by
    reading about n index entries however crowded the cell is, the cells joined by UNION
    ALL. A window function over the dispute's placements joined every one of them to its
    claim and sorted them all (6,111 buffers, ~20 ms for the 2,022 placements of the
    busiest point at 100,000 claims; 159 buffers this way, 218 with the counts below;
    SQLite allows 500 UNION parts, i.e. 500 cells). Raw SQL because the ORM builds a sliced
    UNION part only on PostgreSQL, and compiling one queryset per cell cost more Python time
    than the SQL it saved (NULLS LAST: SQLite has it from 3.30, Django 5.2 needs 3.31). The
    board order is sorted here, a few rows per cell.

    Each part also counts its cell (an uncorrelated scalar subquery, run once per part on
    the same index, one entry per placement of the cell): a cell with placements always
    returns a row, and one without has nothing to count, so the board needs no GROUP BY
    query of its own (which cost more Python time to compile than its SQL took)."""
    if not points or not sides:
        return [], {}
    q = connection.ops.quote_name
    table, claims_table = q(PointClaim._meta.db_table), q(Claim._meta.db_table)
    # The claim's date as a scalar subquery, not a join: it is read only for the few rows
    # the sort reaches, and PostgreSQL plans eight subqueries faster than eight joins.
    claimed_on = f"(SELECT c.claimed_on FROM {claims_table} c WHERE c.id = pc.claim_id)"
    total = f"(SELECT COUNT(*) FROM {table} t WHERE t.point_id = %s AND t.side_id = %s)"
    cell = (
        f"SELECT * FROM (SELECT pc.id, pc.point_id, pc.side_id, pc.claim_id, pc.{q('order')},"
        f" {total} AS cell_total FROM {table} pc WHERE pc.point_id = %s AND pc.side_id = %s"
        f" ORDER BY pc.{q('order')}, {claimed_on} ASC NULLS LAST, pc.id LIMIT %s)"
    )
    parts: list[str] = []
    params: list[int] = []
    shown = claims_per_cell(len(points) * len(sides))
    for point in points:
        for side in sides:
            parts.append(f"{cell} AS cell_{len(parts)}")
            params += [point.pk, side.pk, point.pk, side.pk, shown]
    found = list(PointClaim.objects.raw(" UNION ALL ".join(parts), params))
    totals = {(p.point_id, p.side_id): p.cell_total for p in found}  # type: ignore[attr-defined]
    claims = Claim.objects.with_related().in_bulk({p.claim_id for p in found})
    for placement in found:
        placement.claim = claims[placement.claim_id]
    rank = {point.pk: index for index, point in enumerate(points)}
    found.sort(key=lambda p: (rank[p.point_id], _in_cell_key(p)))
    return found, totals


def _in_cell_key(placement: PointClaim) -> tuple:
    """A cell's order: the analyst's order, then the claim's date (undated last), then id."""
    claimed_on = placement.claim.claimed_on
    return (placement.order, claimed_on is None, claimed_on or datetime.date.min, placement.pk)


@dataclass
class DisputeBoard:
    """The side-by-side view: one column per side, one row per point, each cell the same
    size whatever the data (the rest of a cell is linked in the claims list)."""

    dispute: Dispute
    sides: list[DisputeSide]
    rows: list[Row]
    statistics: list[StatisticReport]
    timeline: Timeline

    @property
    def meta(self) -> PageMeta:
        """The board's metadata: an ItemList of its claims; the first point's card."""
        dispute = self.dispute
        path = dispute.get_absolute_url()
        image_url, image_alt = "", ""
        if self.rows:
            first = self.rows[0]
            image_url = absolute(
                reverse("disputes:point_card", kwargs={"slug": dispute.slug, "pk": first.point.pk})
            )
            headings = " against ".join(cell.side.heading for cell in first.cells[:2])
            image_alt = f"{first.point.question} — {headings}, side by side"
        entries = [
            Entry(f"{card.claim.party.name}: {card.claim.summary}", url(card.claim), card.claim)
            for row in self.rows
            for cell in row.cells
            for card in cell.cards
            if card.anchor
        ]
        sides = " vs ".join(side.heading for side in self.sides)
        return PageMeta.page(
            title=dispute.title,
            description=f"{sides}: {dispute.summary or dispute.title}",
            path=path,
            json_ld=[
                item_list_ld(
                    dispute.title,
                    path,
                    entries,
                    description=dispute.summary or dispute.title,
                )
            ],
            image_url=image_url,
            image_alt=image_alt,
            og_type="article",
            # DisputePoint.get_absolute_url() is this path and the point's anchor; the
            # dispute's path is reversed once, not once per point.
            embeddable=tuple(
                (absolute(f"{path}#point-{row.point.pk}"), row.point.question) for row in self.rows
            ),
        )

    @property
    def hidden_count(self) -> int:
        """Placements beyond what the cells show, listed on the cell pages instead."""
        return sum(cell.more for row in self.rows for cell in row.cells)

    @classmethod
    def of(cls, dispute: Dispute) -> DisputeBoard:
        sides = list(dispute.sides.select_related("party"))
        points = list(dispute.points.all())
        sides_by_id = {side.pk: side for side in sides}
        column = {side.pk: index for index, side in enumerate(sides)}
        placements, totals = _first_placements(points, sides)
        claims: dict[int, Claim] = {}
        side_of: dict[int, DisputeSide] = {}
        for placement in placements:
            claims.setdefault(placement.claim_id, placement.claim)
            side_of.setdefault(placement.claim_id, sides_by_id[placement.side_id])
        reports = statistic_reports(
            (s for c in claims.values() for s in c.card_statistics),  # type: ignore[attr-defined]
            shown=FIGURE_ROWS_SHOWN,
            compare_up_to=FIGURE_COMPARED_UP_TO,
        )
        by_statistic = {report.statistic.pk: report for report in reports}
        related = related_claims(claims)

        def card(claim: Claim, anchor: bool) -> Card:
            # On the board only rebuttals and contradictions are drawn, pointing at the
            # column where the other claim sits; the claim page lists every relation.
            links = []
            for rel in related.get(claim.pk, []):
                if not rel.is_opposing:
                    continue
                there = side_of.get(rel.claim.pk)
                if there is None:
                    links.append(Link(rel, url(rel.claim)))
                    continue
                here, other = column[side_of[claim.pk].pk], column[there.pk]
                arrow = "←" if other < here else "→" if other > here else "↕"
                links.append(
                    Link(rel, f"#claim-{rel.claim.pk}", f"({there.heading} column)", arrow)
                )
            figures = []
            for statistic in claim.card_statistics:  # type: ignore[attr-defined]
                report = by_statistic.get(statistic.pk)
                shown = report.conflicts[:CONFLICT_NOTES_PER_FIGURE] if report else []
                notes = [
                    ConflictNote(c.verdict.label, c.second.display_value, c.second.claim.party.name)
                    for c in shown
                ]
                more = report.conflict_total - len(shown) if report else 0
                figures.append(FigureLine(statistic, notes, more))
            return Card(claim, links, figures, anchor)

        by_cell: dict[tuple[int, int], list[Card]] = defaultdict(list)
        first_cards: dict[int, Card] = {}
        for placement in placements:
            first = placement.claim_id not in first_cards
            made = card(placement.claim, anchor=first)
            first_cards.setdefault(placement.claim_id, made)
            by_cell[(placement.point_id, placement.side_id)].append(made)
        rows = [
            Row(
                point,
                [
                    Cell(
                        side,
                        by_cell[(point.pk, side.pk)],
                        totals.get((point.pk, side.pk), 0),
                        reverse(
                            "disputes:cell",
                            kwargs={"slug": dispute.slug, "pk": point.pk, "side": side.pk},
                        ),
                    )
                    for side in sides
                ],
            )
            for point in points
        ]
        return cls(
            dispute=dispute,
            sides=sides,
            rows=rows,
            statistics=reports,
            timeline=build_timeline(first_cards.values()),
        )
