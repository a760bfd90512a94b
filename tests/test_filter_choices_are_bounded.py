"""The claims list's party, dispute and source selects offer a bounded few, whatever the
number of records, yet the filter still accepts any slug and shows the one chosen."""

import re

import pytest
from django.urls import reverse

from claims.filters import SHOWN_CHOICES
from claims.models import Party
from tests.factories import make_claim, make_party

pytestmark = pytest.mark.django_db


def party_options(html: str) -> list[str]:
    select = re.search(r'<select name="party".*?</select>', html, re.S)
    assert select
    return re.findall(r'<option value="([^"]*)"', select.group(0))


@pytest.fixture
def many_parties():
    Party.objects.bulk_create(
        Party(name=f"Party {n:03}", slug=f"party-{n:03}", kind=Party.Kind.COMPANY)
        for n in range(SHOWN_CHOICES + 20)
    )
    return Party.objects.order_by("pk")


def test_the_party_select_offers_at_most_the_shown_few(client, many_parties):
    html = client.get(reverse("claims:list")).content.decode()
    options = party_options(html)
    assert options[0] == ""  # "Any party"
    assert len(options) == SHOWN_CHOICES + 1
    # The newest are offered, in name order; the oldest are not.
    assert "party-000" not in options
    assert options[1:] == sorted(options[1:])


def test_a_party_not_offered_still_filters_and_is_shown_selected(client, many_parties):
    oldest = many_parties.first()
    make_claim(party=oldest, summary="Said by the oldest party")
    make_claim(party=make_party(), summary="Said by another")
    html = client.get(reverse("claims:list"), {"party": oldest.slug}).content.decode()
    assert f'<option value="{oldest.slug}" selected>' in html
    assert "Said by the oldest party" in html
    assert "Said by another" not in html
    assert len(party_options(html)) == SHOWN_CHOICES + 2


def test_an_unknown_party_is_refused_with_a_message(client, many_parties):
    response = client.get(reverse("claims:list"), {"party": "no-such-party"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
