"""What a link preview would fetch: every page kind's og:image, loaded in Chromium as an
image, is a 1200×630 picture; and an embed page shows both sides of a point."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Claim, DisputePoint, Metric, Party
from sources.models import Source
from tests.browser.conftest import DISPUTE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Loads the image as a page would (an <img>), then reports its intrinsic size.
NATURAL_SIZE = """async (url) => {
  const img = new Image();
  img.src = url;
  await img.decode();
  return [img.naturalWidth, img.naturalHeight];
}"""


def page_kinds() -> dict[str, str]:
    claim = Claim.objects.get(pk=1)
    return {
        "home": "/",
        "about": "/about/",
        "claim list": "/claims/",
        "claim": claim.get_absolute_url(),
        "dispute list": "/disputes/",
        "dispute": f"/disputes/{DISPUTE_SLUG}/",
        "party list": "/parties/",
        "party": claim.party.get_absolute_url(),
        "person": Party.objects.filter(kind="individual").first().get_absolute_url(),
        "source list": "/sources/",
        "source": Source.objects.order_by("pk").first().get_absolute_url(),
        "metric list": "/metrics/",
        "metric": Metric.objects.order_by("pk").first().get_absolute_url(),
    }


@pytest.fixture
def site_on_live_server(seeded_live, settings):
    # Link previews carry absolute URLs on SITE_URL: point it at the live server.
    settings.SITE_URL = seeded_live.url
    return seeded_live


def test_every_page_kinds_share_image_loads_as_a_1200_by_630_picture(
    page: Page, site_on_live_server
):
    seen = set()
    for kind, path in page_kinds().items():
        page.goto(f"{site_on_live_server.url}{path}")
        image = page.locator('meta[property="og:image"]').get_attribute("content")
        assert image and image.startswith(site_on_live_server.url), kind
        width, height = page.evaluate(NATURAL_SIZE, image)
        assert (width, height) == (1200, 630), f"{kind}: {image} is {width}×{height}"
        response = page.request.get(image)
        assert response.headers["content-type"] in {"image/png", "image/jpeg"}, kind
        seen.add(image)
    assert len(seen) >= 3  # claim cards, point cards and the site card, not one image


def test_an_embedded_point_shows_each_sides_words_side_by_side(page: Page, site_on_live_server):
    point = DisputePoint.objects.filter(dispute__slug=DISPUTE_SLUG).order_by("order").first()
    page.set_viewport_size({"width": 720, "height": 400})
    page.goto(f"{site_on_live_server.url}/embed/points/{point.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(point.question)
    sides = page.locator(".embed__side")
    expect(sides).to_have_count(point.dispute.sides.count())
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and first["x"] < second["x"]  # side by side
