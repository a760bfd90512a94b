"""Atom feeds of new claims, of a party's and a dispute's claims, and of corrections, read
as a feed reader reads them; each page with a feed links to it from its <head>."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from claims import feeds
from claims.history import record_baseline_history
from claims.models import Claim, Dispute, Party
from tests.factories import (
    make_claim,
    make_dispute,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)
from tests.test_queries import build

pytestmark = pytest.mark.django_db

SITE = "https://counterpoint.example"


def read(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def permalink(claim: Claim) -> str:
    return f"{SITE}{claim.get_absolute_url()}"


def test_the_tests_run_with_the_public_site_url():
    assert settings.SITE_URL == SITE


def test_the_newest_claims_feed_lists_each_claim_with_its_party_permalink_and_dates(client):
    older = make_claim(summary="Takedowns fell", party=make_party(name="Acme"))
    newer = make_claim(summary="The market is notorious", party=make_party(name="USTR"))
    feed = read(client, reverse("feeds:claims"))

    assert feed.feed.title == "Counterpoint: newest claims"
    assert feed.feed.link == f"{SITE}/"
    assert [e.title for e in feed.entries] == [
        "USTR: The market is notorious",
        "Acme: Takedowns fell",
    ]
    first = feed.entries[0]
    assert first.link == permalink(newer)
    assert first.id == f"{SITE}/claims/{newer.pk}/"
    assert first.author == "USTR"
    assert first.published_parsed is not None
    assert first.updated_parsed is not None
    assert "We reject the listing entirely" in first.summary
    assert feed.entries[1].link == permalink(older)


def test_a_quote_in_a_feed_is_text_never_markup(client):
    source = make_source(body="The post read <script>alert(1)</script> and more.")
    make_claim(summary="A <b>bold</b> claim", source=source, quote="<script>alert(1)</script>")
    (entry,) = read(client, reverse("feeds:claims")).entries
    assert "<script" not in entry.summary and "<b>" not in entry.summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
    assert entry.title.endswith("A <b>bold</b> claim")  # a text title, shown as typed


def test_a_feed_holds_only_the_newest_fifty_entries(client):
    build(60)
    feed = read(client, reverse("feeds:claims"))
    assert len(feed.entries) == feeds.ENTRIES == 50
    newest = Claim.objects.order_by("-created_at", "-pk")[:50]
    assert [e.link for e in feed.entries] == [permalink(c) for c in newest]


def test_a_party_feed_holds_its_own_claims_and_its_people_s_but_no_one_else_s(client):
    agency = make_party(name="Agency", slug="agency")
    spokesperson = make_party(name="Ms Smith", kind=Party.Kind.INDIVIDUAL, affiliation=agency)
    own = make_claim(summary="Own claim", party=agency)
    members = make_claim(summary="Said by its spokesperson", party=spokesperson)
    make_claim(summary="Someone else's claim")

    feed = read(client, reverse("feeds:party", kwargs={"slug": "agency"}))
    assert feed.feed.title == "Counterpoint: claims by Agency"
    assert feed.feed.link == f"{SITE}/parties/agency/"
    assert {e.link for e in feed.entries} == {permalink(own), permalink(members)}
    assert {e.author for e in feed.entries} == {"Agency", "Ms Smith"}


def test_a_dispute_feed_holds_the_claims_placed_on_its_points_once_each(client):
    first, second = make_party(), make_party()
    dispute = make_dispute(parties=(first, second), slug="is-it-notorious")
    placed = make_claim(party=first)
    place_claim(placed, dispute)
    place_claim(placed, dispute, point=dispute.points.create(question="Second point?", order=2))
    other_side = make_claim(party=second)
    place_claim(other_side, dispute)
    make_claim(party=first)  # the same party, but not on the dispute

    feed = read(client, reverse("feeds:dispute", kwargs={"slug": "is-it-notorious"}))
    assert feed.feed.title == f"Counterpoint: {dispute.title}"
    assert sorted(e.link for e in feed.entries) == sorted(
        [permalink(placed), permalink(other_side)]
    )


@pytest.mark.parametrize("name", ["feeds:party", "feeds:dispute"])
def test_a_feed_of_an_unknown_slug_is_not_found(client, name):
    response = client.get(reverse(name, kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------------------


def test_the_corrections_feed_lists_changes_after_publication_newest_first(client):
    claim = make_claim(summary="Takedowns fell", party=make_party(name="Acme"))
    citation = claim.citations.get()
    citation.quote = "We reject the listing"
    citation.full_clean()
    citation.save()
    claim.claimed_on, claim.claimed_precision = datetime.date(2018, 1, 15), "day"
    claim.save()
    untouched = make_claim(summary="Never corrected")

    feed = read(client, reverse("feeds:corrections"))
    assert feed.feed.title == "Counterpoint: corrections"
    titles = [e.title for e in feed.entries]
    assert len(titles) == 2
    assert titles[0].startswith("Date corrected on ") and titles[0].endswith("Acme: Takedowns fell")
    assert titles[1].startswith("Quote corrected on ")
    assert {e.link for e in feed.entries} == {f"{permalink(claim)}#corrections-heading"}
    assert len({e.id for e in feed.entries}) == 2
    assert "was <del>Jan 2018</del>, now <ins>15 Jan 2018</ins>" in feed.entries[0].summary
    assert "<del>“We reject the listing entirely”</del>" in feed.entries[1].summary
    assert all(e.author == "Acme" for e in feed.entries)
    assert permalink(untouched) not in {e.link.split("#")[0] for e in feed.entries}


def test_edits_that_correct_nothing_and_removed_claims_are_not_in_the_corrections_feed(client):
    source = make_source()
    claim = make_claim(source=source)
    claim.summary = "A better summary"
    claim.save()
    source.body = "Prepended. " + source.body
    source.save()  # re-anchors the quote: new offsets, the same words
    removed = make_claim()
    statistic = make_statistic(claim=removed)
    statistic.value = Decimal("-42")
    statistic.save()
    removed.delete()
    assert read(client, reverse("feeds:corrections")).entries == []


def test_the_corrections_feed_is_bounded_and_skips_no_newer_correction(client):
    claims = [make_claim() for _ in range(3)]
    for day in range(1, 20):
        for claim in claims:
            claim.claimed_on, claim.claimed_precision = datetime.date(2018, 1, day), "day"
            claim.save()
    feed = read(client, reverse("feeds:corrections"))
    assert len(feed.entries) == 50
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    assert "now <ins>19 Jan 2018</ins>" in feed.entries[0].summary


# ---------------------------------------------------------------------------------------
# Feed links on the pages
# ---------------------------------------------------------------------------------------


class AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.feeds: list[dict[str, str | None]] = []
        self.visible: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "head":
            self.in_head = True
        if (
            tag == "link"
            and found.get("rel") == "alternate"
            and self.in_head
            and found.get("type") == "application/atom+xml"
        ):
            self.feeds.append(found)
        if tag == "a" and "feed-link" in (found.get("class") or ""):
            self.visible.append(found.get("href"))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def feed_links(client, url: str) -> AlternateLinks:
    response = client.get(url)
    assert response.status_code == 200
    parser = AlternateLinks()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize(
    "page",
    ["home", "party", "dispute"],
)
def test_each_page_with_a_feed_links_to_it_in_its_head_and_in_its_content(seeded, client, page):
    dispute = Dispute.objects.get(slug="taobao-notorious-markets-listing")
    party = dispute.sides.first().party
    url, expected = {
        "home": (reverse("home"), [reverse("feeds:claims"), reverse("feeds:corrections")]),
        "party": (party.get_absolute_url(), [reverse("feeds:party", args=[party.slug])]),
        "dispute": (dispute.get_absolute_url(), [reverse("feeds:dispute", args=[dispute.slug])]),
    }[page]
    links = feed_links(client, url)
    assert [link["href"] for link in links.feeds] == expected
    assert links.visible == expected
    for link in links.feeds:
        assert link["type"] == "application/atom+xml"
        feed = read(client, link["href"])
        assert feed.feed.title == link["title"]
        if link["href"] != reverse("feeds:corrections"):
            assert feed.entries
            assert all(re.match(rf"{SITE}/claims/\d+/", e.link) for e in feed.entries)


# ---------------------------------------------------------------------------------------
# Bounded
# ---------------------------------------------------------------------------------------

FEEDS = {
    # The claims, then their citations and their figures (ClaimQuerySet.with_related).
    "claims": (lambda w: reverse("feeds:claims"), 3),
    "party": (lambda w: reverse("feeds:party", args=[w.party.slug]), 5),  # + the party, its people
    "dispute": (lambda w: reverse("feeds:dispute", args=[w.dispute.slug]), 4),
    # Three scans of the history, seven to read the corrections (the claims', citations' and
    # figures' histories, party and metric names, and the parties' and metrics' name
    # histories, for renames), one for the claims.
    "corrections": (lambda w: reverse("feeds:corrections"), 11),
}


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("kind", FEEDS)
def test_a_feed_runs_the_same_number_of_queries_at_any_size(
    client, django_assert_max_num_queries, kind, size
):
    world = build(size)
    record_baseline_history()  # bulk-created claims get their first record, as seeded ones do
    for claim in Claim.objects.order_by("pk")[: size // 4]:  # corrections to list
        claim.claimed_on, claim.claimed_precision = datetime.date(2019, 2, 3), "day"
        claim.save()
    url, max_queries = FEEDS[kind]
    with django_assert_max_num_queries(max_queries):
        response = client.get(url(world))
    assert response.status_code == 200
    entries = feedparser.parse(response.content).entries
    expected = {
        "claims": size,
        "party": Claim.objects.by_party(world.party).count(),
        "dispute": size,  # every claim of the world is placed on its dispute
        "corrections": size // 4,
    }[kind]
    assert len(entries) == min(expected, feeds.ENTRIES)
