"""A dispute board's cell shows at most CLAIMS_PER_CELL claims and links to a paginated page
of every claim of that side on that point."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Claim, PointClaim
from claims.views.disputes import (
    CLAIMS_PER_BOARD,
    CLAIMS_PER_CELL,
    CLAIMS_PER_CELL_PAGE,
    CLAIMS_PER_CROWDED_CELL,
    claims_per_cell,
)
from sources.dates import DatePrecision
from tests.factories import make_claim, make_dispute, make_party, make_source, place_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded():
    """One cell with 2 + 2 pages' worth of claims (bulk placed), the other with one."""
    agency, company = make_party(name="Agency"), make_party(name="MarketCo")
    dispute = make_dispute(parties=(agency, company))
    source = make_source()
    place_claim(make_claim(party=agency, source=source, summary="The agency's one claim"), dispute)
    first = make_claim(party=company, source=source, summary="Crowded claim 0000")
    point, side = dispute.points.get(), dispute.sides.get(party=company)
    extra = CLAIMS_PER_CELL_PAGE + 5
    claims = Claim.objects.bulk_create(
        Claim(party=company, summary=f"Crowded claim {n:04d}", slug=f"crowded-{n}")
        for n in range(1, extra)
    )
    PointClaim.objects.bulk_create(
        PointClaim(point=point, side=side, claim=c, order=n) for n, c in enumerate([first, *claims])
    )
    return dispute, point, side, extra


def cell_url(dispute, point, side) -> str:
    return reverse("disputes:cell", kwargs={"slug": dispute.slug, "pk": point.pk, "side": side.pk})


def test_a_crowded_cell_shows_its_first_claims_and_how_many_more_with_a_link(client, crowded):
    dispute, point, side, extra = crowded
    html = client.get(dispute.get_absolute_url()).content.decode()
    cell = html[html.index('<div class="cell side-2">') :]
    assert cell.count('<article class="claim-card') == CLAIMS_PER_CELL
    more = extra - CLAIMS_PER_CELL
    link = f'<a href="{cell_url(dispute, point, side)}">And {more} more claims from MarketCo'
    assert link in cell


def test_a_cell_with_few_claims_has_no_more_link(client, crowded):
    dispute, *_ = crowded
    html = client.get(dispute.get_absolute_url()).content.decode()
    first_cell = html[
        html.index('<div class="cell side-1">') : html.index('<div class="cell side-2">')
    ]
    assert "more claim" not in first_cell


def test_the_cell_page_lists_every_claim_of_the_cell_in_board_order_over_path_pages(
    client, crowded
):
    dispute, point, side, extra = crowded
    url = cell_url(dispute, point, side)
    first = client.get(url).content.decode()
    assert first.count('<article class="claim-card') == CLAIMS_PER_CELL_PAGE
    assert "Crowded claim 0000" in first and "The agency's one claim" not in first
    assert f'href="{url}page/2/" rel="next"' in first
    second = client.get(f"{url}page/2/").content.decode()
    assert second.count('<article class="claim-card') == extra - CLAIMS_PER_CELL_PAGE
    assert f"Crowded claim {extra - 1:04d}" in second


def test_a_cell_page_of_another_dispute_or_side_is_not_found(client, crowded):
    dispute, point, side, _ = crowded
    other = make_dispute()
    wrong_slug = reverse(
        "disputes:cell", kwargs={"slug": other.slug, "pk": point.pk, "side": side.pk}
    )
    foreign_side = other.sides.first()
    wrong_side = reverse(
        "disputes:cell", kwargs={"slug": dispute.slug, "pk": point.pk, "side": foreign_side.pk}
    )
    assert client.get(wrong_slug).status_code == 404
    assert client.get(wrong_side).status_code == 404
    assert client.get(cell_url(dispute, point, side) + "page/9/").status_code == 404


def test_a_crowded_cell_picks_its_first_claims_by_order_then_date_undated_last(client):
    """The board picks each cell's first CLAIMS_PER_CELL in the database (one LIMIT per
    cell): ties in the analyst's order go to the earlier claim, undated claims last; the
    claims left out are the ones the cell page lists after them."""
    agency, company = make_party(name="Agency"), make_party(name="MarketCo")
    dispute = make_dispute(parties=(agency, company))
    point, side = dispute.points.get(), dispute.sides.get(party=company)
    second_point = dispute.points.create(question="Is the second point true?", order=2)
    undated = [Claim(party=company, summary=f"Undated {n}", slug=f"undated-{n}") for n in range(3)]
    dated = [
        Claim(
            party=company,
            summary=f"Dated {n}",
            slug=f"dated-{n}",
            claimed_on=datetime.date(2020, 12 - n, 1),  # created newest first
            claimed_precision=DatePrecision.MONTH,
        )
        for n in range(CLAIMS_PER_CELL + 2)
    ]
    made = Claim.objects.bulk_create([*undated, *dated])
    # All in one tie of the analyst's order, undated placed first: the date decides.
    PointClaim.objects.bulk_create(PointClaim(point=point, side=side, claim=c) for c in made)
    # A claim given an earlier order goes before every date.
    early = make_claim(
        party=company,
        summary="Placed first",
        claimed_on=None,
        claimed_precision=DatePrecision.UNKNOWN,
    )
    PointClaim.objects.create(point=second_point, side=side, claim=early, order=0)
    late = make_claim(party=company, summary="Placed later")
    PointClaim.objects.create(point=second_point, side=side, claim=late, order=1)

    html = client.get(dispute.get_absolute_url()).content.decode()
    cell = html[html.index(f'id="point-{point.pk}"') : html.index(f'id="point-{second_point.pk}"')]
    shown = [f"Dated {n}" for n in reversed(range(2, CLAIMS_PER_CELL + 2))]
    positions = [cell.index(f">{summary}<") for summary in shown]
    assert positions == sorted(positions)
    for left_out in ["Dated 0", "Dated 1", "Undated 0", "Undated 1", "Undated 2"]:
        assert f">{left_out}<" not in cell
    assert "And 5 more claims from MarketCo" in cell
    rest = client.get(cell_url(dispute, point, side)).content.decode()
    assert rest.index(">Dated 0<") < rest.index(">Undated 0<")
    second = html[html.index(f'id="point-{second_point.pk}"') :]
    assert second.index(">Placed first<") < second.index(">Placed later<")


def test_a_board_of_many_points_shows_fewer_claims_per_cell_and_links_to_the_rest(client):
    """What a board renders is bounded by CLAIMS_PER_BOARD, not by how many points and sides
    an analyst sets out: each cell of a large board shows fewer claims, still linking to
    all of them."""
    agency, company = make_party(name="Agency"), make_party(name="MarketCo")
    dispute = make_dispute(parties=(agency, company))
    for n in range(2, 7):
        dispute.points.create(question=f"Is point {n} true?", order=n)
    cells = dispute.points.count() * dispute.sides.count()
    shown = claims_per_cell(cells)
    assert cells * CLAIMS_PER_CELL > CLAIMS_PER_BOARD and shown < CLAIMS_PER_CELL
    point, side = dispute.points.order_by("order").first(), dispute.sides.get(party=company)
    claims = Claim.objects.bulk_create(
        Claim(party=company, summary=f"Busy claim {n}", slug=f"busy-{n}")
        for n in range(CLAIMS_PER_CELL)
    )
    PointClaim.objects.bulk_create(
        PointClaim(point=point, side=side, claim=c, order=n) for n, c in enumerate(claims)
    )
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert html.count('<article class="claim-card') == shown
    more = CLAIMS_PER_CELL - shown
    assert f'<a href="{cell_url(dispute, point, side)}">And {more} more claims' in html
    assert f"{more} more are linked from their cells" in html
    assert claims_per_cell(2) == CLAIMS_PER_CELL
    assert claims_per_cell(10_000) == CLAIMS_PER_CROWDED_CELL
