import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import ClaimRelation, DisputePoint, PointClaim
from claims.views.disputes import CLAIMS_PER_CELL
from sources.dates import DatePrecision
from tests.factories import (
    make_claim,
    make_dispute,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute():
    agency = make_party(name="Trade Office", slug="trade-office", kind="government_agency")
    company = make_party(name="MarketCo", slug="marketco")
    dispute = make_dispute(
        parties=(agency, company), title="Is the market notorious?", summary="Two views."
    )
    second = DisputePoint.objects.create(dispute=dispute, question="Do figures help?", order=2)
    listing = make_claim(
        summary="The market is notorious",
        quote="The agency said the market was notorious",
        party=agency,
        claimed_on=datetime.date(2017, 1, 1),
        claimed_precision=DatePrecision.YEAR,
    )
    rejection = make_claim(
        summary="We reject the listing",
        party=company,
        kind="rebuttal",
    )
    ClaimRelation.objects.create(
        from_claim=rejection, to_claim=listing, kind=ClaimRelation.Kind.REBUTS
    )
    place_claim(listing, dispute)
    place_claim(rejection, dispute)
    figure = make_claim(
        summary="Takedowns fell a quarter",
        quote="Takedown requests fell 25% last year",
        party=company,
        claimed_on=None,
        claimed_precision=DatePrecision.UNKNOWN,
    )
    place_claim(figure, dispute, point=second)
    return dispute


def test_dispute_page_shows_question_summary_and_each_sides_stance(client, dispute):
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert "<h1>Is the market notorious?</h1>" in html
    assert "Two views." in html
    assert "Trade Office" in html and "MarketCo" in html
    assert "Yes" in html and "No" in html


def test_each_point_is_a_row_with_one_cell_per_side(client, dispute):
    html = client.get(dispute.get_absolute_url()).content.decode()
    for point in dispute.points.all():
        section = re.search(
            rf'<section class="point" id="point-{point.pk}".*?</section>', html, re.S
        )
        assert section, point.question
        assert section.group(0).count('<div class="cell side-') == 2
    point = dispute.points.first()
    first_point = re.search(rf'id="point-{point.pk}".*?</section>', html, re.S).group(0)
    # The agency's claim in the first column, the company's rebuttal in the second.
    assert first_point.index("The market is notorious") < first_point.index("We reject the listing")


def test_claims_show_party_date_at_precision_quote_and_source(client, dispute):
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert '<time datetime="2017">2017</time>' in html
    assert "We reject the listing entirely" in html
    claim = dispute.points.first().claims.get(summary="We reject the listing")
    citation = claim.citations.get()
    assert f'href="{citation.source.get_absolute_url()}#citation-{citation.pk}"' in html


def test_rebuttals_link_across_the_columns(client, dispute):
    html = client.get(dispute.get_absolute_url()).content.decode()
    listing = dispute.points.first().claims.get(summary="The market is notorious")
    rejection = dispute.points.first().claims.get(summary="We reject the listing")
    assert f'id="claim-{listing.pk}"' in html and f'id="claim-{rejection.pk}"' in html
    assert f'href="#claim-{listing.pk}"' in html  # from the rebuttal to what it rebuts
    assert f'href="#claim-{rejection.pk}"' in html  # and back
    assert "Rebutted by" in html and "(MarketCo column)" in html


def test_dispute_statistics_show_their_discrepancies(client, dispute):
    figure = dispute.points.last().claims.get()
    statistic = make_statistic(
        claim=figure, period_start=datetime.date(2017, 1, 1), period_end=datetime.date(2017, 12, 31)
    )
    other = make_claim(quote="Takedown requests fell 25% last year")
    make_statistic(
        claim=other,
        metric=statistic.metric,
        value=-42,
        period_start=datetime.date(2017, 1, 1),
        period_end=datetime.date(2017, 12, 31),
    )
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert "Figures in this dispute" in html
    assert "Sources disagree" in html and "-42%" in html


def test_a_figure_with_many_values_is_compared_on_its_own_page_not_the_board(
    client, dispute, monkeypatch
):
    figure = dispute.points.last().claims.get()
    statistic = make_statistic(
        claim=figure, period_start=datetime.date(2017, 1, 1), period_end=datetime.date(2017, 12, 31)
    )
    for value in (-42, -43):
        make_statistic(
            claim=make_claim(quote="Takedown requests fell 25% last year"),
            metric=statistic.metric,
            value=value,
            period_start=datetime.date(2017, 1, 1),
            period_end=datetime.date(2017, 12, 31),
        )
    # The metric now has three distinct readings (stored in its summary on write).
    monkeypatch.setattr("claims.views.disputes.FIGURE_COMPARED_UP_TO", 2)
    with CaptureQueriesContext(connection) as capped:
        html = client.get(dispute.get_absolute_url()).content.decode()
    assert "2 other values, compared on" in html
    assert f'href="{statistic.metric.get_absolute_url()}"' in html
    assert "Sources disagree" not in html
    # Comparing reads the metric's readings; the capped board never does.
    assert not any("GROUP BY" in q["sql"] and "period_label" in q["sql"] for q in capped)
    monkeypatch.setattr("claims.views.disputes.FIGURE_COMPARED_UP_TO", 3)
    html = client.get(dispute.get_absolute_url()).content.decode()
    assert "Sources disagree" in html and "other values, compared on" not in html


def test_dispute_timeline_is_in_date_order_with_unknown_dates_last(client, dispute):
    html = client.get(dispute.get_absolute_url()).content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    assert timeline.index("2017 (month not known)") < timeline.index("January 2018")
    assert timeline.index("January 2018") < timeline.index("Date unknown")
    assert timeline.index("The market is notorious") < timeline.index("We reject the listing")
    assert timeline.index("We reject the listing") < timeline.index("Takedowns fell a quarter")


def test_unknown_dispute_is_not_found(client):
    assert client.get("/disputes/no-such-dispute/").status_code == 404


def test_dispute_list_links_every_dispute(client, dispute):
    html = client.get(reverse("disputes:list")).content.decode()
    assert f'href="{dispute.get_absolute_url()}"' in html
    assert "2 points" in html and "3 claims" in html


def test_a_crowded_cell_shows_its_first_claims_in_date_order_and_links_to_the_rest(client, dispute):
    company = dispute.sides.get(order=2).party
    source = make_source()
    for n in range(CLAIMS_PER_CELL + 2):
        place_claim(
            make_claim(
                summary=f"Crowded claim {n:02d}",
                party=company,
                source=source,
                claimed_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=n) if n else None,
                claimed_precision=DatePrecision.DAY if n else DatePrecision.UNKNOWN,
            ),
            dispute,
        )
    # New placements go last in their cell (PointClaim.save); left at one order, as
    # before that rule, a cell falls back to date order.
    PointClaim.objects.filter(point__dispute=dispute).update(order=0)
    html = client.get(dispute.get_absolute_url()).content.decode()
    start = html.index('<div class="cell side-2">')
    cell = html[start : html.index('id="point-', start)]
    assert cell.count('<article class="claim-card') == CLAIMS_PER_CELL
    # Date order within the cell, undated last on every database: claim 00 is not shown.
    assert "Crowded claim 01" in cell and "Crowded claim 00" not in cell
    point, side = dispute.points.first(), dispute.sides.get(order=2)
    more = f"/disputes/{dispute.slug}/points/{point.pk}/sides/{side.pk}/"
    assert f'<a href="{more}">And 3 more claims from MarketCo on this point</a>' in cell
