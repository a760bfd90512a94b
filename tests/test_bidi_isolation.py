"""Directional controls in published text are shown isolated: an unclosed override in a
quote, title or name cannot reverse the page around it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from claims.text import has_bidi_control
from tests.factories import make_claim, make_dispute, make_party, make_source, place_claim

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE, never closed
# <bdi> isolates by default and site.css isolates <mark>; an <option> is laid out on its own.
ISOLATING = {"bdi", "mark", "option"}
# Elements whose text is not laid out on the page.
NOT_SHOWN = {"title", "script", "style", "head"}
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "col", "base"}


class _Leaks(HTMLParser):
    """Text with a directional control that sits outside every isolating element."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.leaks: list[str] = []
        self.isolated = 0

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not has_bidi_control(data) or NOT_SHOWN & set(self.stack):
            return
        if ISOLATING & set(self.stack):
            self.isolated += 1
        else:
            self.leaks.append(f"{'>'.join(self.stack)}: {data!r}")


def leaks(html: str) -> _Leaks:
    parser = _Leaks()
    parser.feed(html)
    return parser


@pytest.fixture
def overridden():
    """A claim whose quote, summary, party and source carry an unclosed RLO."""
    body = f"Before the quote. The market is {RLO}notorious for fakes, they said. After it."
    source = make_source(title=f"Report {RLO}on markets", author=f"A. {RLO}Writer", body=body)
    party = make_party(name=f"Market{RLO}Co", role=f"{RLO}spokesman")
    claim = make_claim(
        source=source,
        quote=f"The market is {RLO}notorious for fakes",
        summary=f"The market is {RLO}notorious",
        party=party,
    )
    dispute = make_dispute(title=f"Is it {RLO}notorious?", parties=(party, make_party()))
    place_claim(claim, dispute)
    return claim, dispute


def test_an_rlo_in_a_quote_is_inside_an_isolating_element_on_every_page(client, overridden):
    claim, dispute = overridden
    pages = [
        claim.get_absolute_url(),
        claim.citations.get().source.get_absolute_url(),
        claim.party.get_absolute_url(),
        dispute.get_absolute_url(),
        reverse("claims:list"),
        reverse("sources:list"),
        "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = leaks(response.content.decode())
        assert found.leaks == [], url
        assert found.isolated, f"{url} shows none of the text"


def test_the_quote_in_a_claim_card_is_wrapped_in_bdi(client, overridden):
    html = client.get(reverse("claims:list")).content.decode()
    assert f"<bdi>The market is {RLO}notorious for fakes</bdi>" in html


def test_the_source_body_isolates_only_the_stretches_that_carry_controls(client, overridden):
    claim, _ = overridden
    citation = claim.citations.get()
    html = client.get(citation.source.get_absolute_url()).content.decode()
    mark = f'<mark class="cite" id="citation-{citation.pk}"><bdi>The market is {RLO}notorious'
    assert mark in html
    assert "Before the quote. <mark" in html  # ordinary text is left as it was


def test_text_without_controls_gets_no_extra_markup(client):
    claim = make_claim(summary="A plain summary")
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "<h1>A plain summary</h1>" in html
    assert "<bdi>" not in html
