"""A reader sees where to subscribe: each page with a feed shows a link to it, on a phone too."""

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import Dispute
from tests.browser.conftest import DISPUTE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_on_a_phone_finds_and_follows_each_feed_link(seeded_live, phone: Page):
    dispute = Dispute.objects.get(slug=DISPUTE_SLUG)
    party = dispute.sides.first().party
    pages = {
        reverse("home"): ["Feed of new claims", "Feed of corrections"],
        party.get_absolute_url(): [f"Feed of {party.name}'s claims"],
        dispute.get_absolute_url(): ["Feed of this dispute's claims"],
    }
    for path, names in pages.items():
        phone.goto(seeded_live.url + path)
        for name in names:
            link = phone.get_by_role("link", name=name)
            expect(link).to_be_visible()
            response = phone.request.get(seeded_live.url + link.get_attribute("href"))
            assert response.ok
            feed = feedparser.parse(response.body())
            assert not feed.bozo
            assert all(e.link.startswith(f"{settings.SITE_URL}/claims/") for e in feed.entries)
