"""Journeys a journalist and a reader take through the public site, in headless Chromium."""

import re

import pytest
from django.db.models import F
from playwright.sync_api import Page, expect

from claims.models import Claim, DisputePoint, PointClaim
from tests.browser.conftest import DISPUTE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journalist_goes_from_home_to_a_dispute_a_claim_and_the_highlighted_source(
    page: Page, seeded_live
):
    placement = (
        PointClaim.objects.filter(point__dispute__slug=DISPUTE_SLUG, claim__citations__isnull=False)
        .select_related("claim", "point__dispute")
        .order_by("point__order", "order", "pk")
        .first()
    )
    claim = placement.claim
    citation = claim.citations.order_by(
        F("source__published_on").asc(nulls_last=True), "pk"
    ).first()

    page.goto(seeded_live.url)
    page.get_by_role("link", name=placement.point.dispute.title).first.click()
    expect(page).to_have_url(re.compile(rf"/disputes/{DISPUTE_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(placement.point.dispute.title)

    page.locator(f"#claim-{claim.pk} .claim-card__title a").click()
    expect(page).to_have_url(f"{seeded_live.url}{claim.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.summary)
    expect(page.locator(".passage mark").first).to_have_text(citation.quote)

    page.locator(".passage figcaption a").first.click()
    expect(page).to_have_url(
        f"{seeded_live.url}{citation.source.get_absolute_url()}#citation-{citation.pk}"
    )
    target = page.locator("mark:target")
    expect(target).to_have_count(1)
    expect(target).to_have_attribute("id", f"citation-{citation.pk}")
    expect(target).to_have_text(citation.quote)
    expect(target).to_be_in_viewport()
    # The highlight is visibly different from the surrounding text.
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_reader_with_a_stale_slug_lands_on_the_canonical_url(page: Page, seeded_live):
    claim = Claim.objects.order_by("pk").first()
    page.goto(f"{seeded_live.url}/claims/{claim.pk}/an-old-summary-that-changed/")
    expect(page).to_have_url(f"{seeded_live.url}{claim.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(claim.summary)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical.endswith(claim.get_absolute_url())


def test_reader_with_only_the_id_lands_on_the_canonical_url(page: Page, seeded_live):
    claim = Claim.objects.order_by("-pk").first()
    page.goto(f"{seeded_live.url}/claims/{claim.pk}/")
    expect(page).to_have_url(f"{seeded_live.url}{claim.get_absolute_url()}")


def result_titles(page: Page) -> list[str]:
    return page.locator(".results .claim-card__title").all_inner_texts()


def test_journalist_filters_by_party_and_date_searches_a_word_and_shares_the_url(
    page: Page, seeded_live
):
    page.goto(f"{seeded_live.url}/claims/")
    everything = page.locator("#results-heading").inner_text()

    form = page.locator("form.filters")
    form.get_by_label("Party").select_option("alibaba-group")
    form.get_by_label("From").fill("2016-01-01")
    form.get_by_label("To").fill("2017-12-31")
    form.get_by_role("button", name="Apply").click()
    by_party_and_date = result_titles(page)
    assert by_party_and_date, "Alibaba made claims in 2016–2017"
    assert page.locator("#results-heading").inner_text() != everything

    form = page.locator("form.filters")
    form.get_by_label("Words").fill("listings")
    form.get_by_role("button", name="Apply").click()
    searched = result_titles(page)
    assert 0 < len(searched) < len(by_party_and_date)
    assert all(title in by_party_and_date for title in searched)

    shared = page.url
    assert "party=alibaba-group" in shared and "q=listings" in shared
    assert "date_from=2016-01-01" in shared and "date_to=2017-12-31" in shared

    # Someone else opens the shared address: same results, same form state.
    other = page.context.new_page()
    other.goto(shared)
    assert result_titles(other) == searched
    expect(other.locator("form.filters").get_by_label("Party")).to_have_value("alibaba-group")
    expect(other.locator("form.filters").get_by_label("Words")).to_have_value("listings")
    other.reload()
    assert result_titles(other) == searched


def test_header_search_box_searches_claims(page: Page, seeded_live):
    page.goto(seeded_live.url)
    page.get_by_role("searchbox", name="Search claims").fill("takedown")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/claims/\?q=takedown$"))
    titles = result_titles(page)
    assert titles
    assert any("takedown" in title.lower() for title in titles)


def cell_boxes(page: Page, point: DisputePoint) -> list[dict]:
    cells = page.locator(f"#point-{point.pk} .point__cells > .cell")
    expect(cells).to_have_count(2)
    return [cells.nth(0).bounding_box(), cells.nth(1).bounding_box()]


def test_phone_shows_the_dispute_stacked_point_by_point(phone: Page, seeded_live):
    point = DisputePoint.objects.filter(dispute__slug=DISPUTE_SLUG).order_by("order").first()
    phone.goto(f"{seeded_live.url}/disputes/{DISPUTE_SLUG}/")
    first, second = cell_boxes(phone, point)
    # Stacked: the second side's cell starts below the first one, in the same column.
    assert second["y"] >= first["y"] + first["height"]
    assert abs(first["x"] - second["x"]) < 2
    assert first["width"] <= 375 and second["width"] <= 375
    # Each stacked cell still says whose side it is.
    expect(phone.locator(f"#point-{point.pk} .cell__side").first).to_be_visible()
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_desktop_shows_the_sides_side_by_side(page: Page, seeded_live):
    point = DisputePoint.objects.filter(dispute__slug=DISPUTE_SLUG).order_by("order").first()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{seeded_live.url}/disputes/{DISPUTE_SLUG}/")
    first, second = cell_boxes(page, point)
    assert first["y"] == second["y"]
    assert second["x"] >= first["x"] + first["width"]


def test_pages_work_without_javascript(browser, seeded_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{seeded_live.url}/claims/?q=takedown")
    assert result_titles(page)
    page.goto(f"{seeded_live.url}/disputes/{DISPUTE_SLUG}/")
    expect(page.locator(".point").first).to_be_visible()
    context.close()
