import datetime

import pytest
from django.urls import reverse

from sources.dates import DatePrecision
from tests.factories import make_claim, make_dispute, make_party

pytestmark = pytest.mark.django_db


def test_party_page_shows_kind_affiliation_people_and_claims(client):
    company = make_party(name="MarketCo", description="An online marketplace.")
    person = make_party(
        name="Pat Speaker", kind="individual", affiliation=company, role="President"
    )
    make_claim(summary="Said by the company", party=company)
    make_claim(summary="Said by its president", party=person)
    html = client.get(company.get_absolute_url()).content.decode()
    assert "<h1>MarketCo</h1>" in html
    assert "An online marketplace." in html and "Company" in html
    assert "Pat Speaker" in html and "President" in html
    assert "Said by the company" in html and "Said by its president" in html


def test_person_page_names_who_they_speak_for(client):
    company = make_party(name="MarketCo")
    person = make_party(name="Pat Speaker", kind="individual", affiliation=company)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Speaks for" in html and f'href="{company.get_absolute_url()}"' in html


def test_party_claims_are_on_a_timeline_by_year_and_month(client):
    party = make_party()
    make_claim(
        summary="Later",
        party=party,
        claimed_on=datetime.date(2018, 1, 15),
        claimed_precision=DatePrecision.DAY,
    )
    make_claim(
        summary="Earlier",
        party=party,
        claimed_on=datetime.date(2017, 3, 1),
        claimed_precision=DatePrecision.MONTH,
    )
    html = client.get(party.get_absolute_url()).content.decode()
    assert html.index("March 2017") < html.index("Earlier") < html.index("January 2018")
    assert html.index("January 2018") < html.index("Later")


def test_party_page_lists_its_disputes(client):
    first, second = make_party(), make_party()
    dispute = make_dispute(parties=(first, second), title="Is it settled?")
    assert "Is it settled?" in client.get(first.get_absolute_url()).content.decode()
    assert dispute.get_absolute_url()


def test_party_list_shows_every_party_with_claim_counts(client):
    party = make_party(name="MarketCo")
    make_claim(party=party)
    html = client.get(reverse("parties:list")).content.decode()
    assert "MarketCo" in html and "1 claim" in html


def test_unknown_party_is_not_found(client):
    assert client.get("/parties/nobody/").status_code == 404
