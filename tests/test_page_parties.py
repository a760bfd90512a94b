import datetime

import pytest
from django.urls import reverse

from claims.models import ClaimRelation
from sources.dates import DatePrecision
from tests.factories import make_claim, make_dispute, make_party, make_source

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
    html = html[html.index("<main") :]  # the timeline, not the share image's alt text
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


def test_party_page_party_list_and_claims_filter_count_the_same_claims(client):
    company = make_party(name="MarketCo", slug="marketco")
    person = make_party(name="Pat Speaker", kind="individual", affiliation=company)
    other = make_party(name="Other")
    make_claim(summary="By the company", party=company)
    make_claim(summary="By its person", party=person)
    make_claim(summary="Spoken for another party by its person", party=other, speaker=person)
    make_claim(summary="Spoken for another party by the company", party=other, speaker=company)
    make_claim(summary="Not the company's", party=other)
    page = client.get(company.get_absolute_url())
    assert "<dt>Claims</dt><dd>4</dd>" in page.content.decode()
    parties = client.get(reverse("parties:list")).content.decode()
    card = parties[parties.index(">MarketCo</a>") :]
    assert "· 4 claims" in card[: card.index("</li>")]
    filtered = client.get(reverse("claims:list"), {"party": "marketco"})
    assert filtered.context["page_obj"].paginator.count == 4


def test_party_timeline_shows_the_rebuttals_of_its_claims(client):
    party = make_party(name="MarketCo")
    claim = make_claim(summary="Our listing is political", party=party)
    answer = make_claim(summary="The market is notorious", party=make_party(name="Agency"))
    ClaimRelation.objects.create(from_claim=answer, to_claim=claim, kind=ClaimRelation.Kind.REBUTS)
    html = client.get(party.get_absolute_url()).content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    assert "Rebutted by" in timeline
    assert f'href="{answer.get_absolute_url()}">Agency: The market is notorious</a>' in timeline


def test_party_page_paginates_its_claims_in_timeline_order(client):
    party = make_party()
    source = make_source()
    for n in range(55):
        make_claim(
            summary=f"Claim {n:02d}",
            party=party,
            source=source,
            claimed_on=datetime.date(2010 + n // 12, 1 + n % 12, 1),
        )
    first = client.get(party.get_absolute_url()).content.decode()
    assert "<dt>Claims</dt><dd>55</dd>" in first
    assert "Page 1 of 2" in first and "Claims 1–50 of 55, oldest first." in first
    assert "Claim 00" in first and "Claim 49" in first and "Claim 50" not in first
    second = client.get(f"{party.get_absolute_url()}page/2/").content.decode()
    assert "Claim 50" in second and "Claim 54" in second and "Claim 49" not in second


def test_an_undated_claim_on_the_timeline_says_where_its_date_is_known_from(client):
    party = make_party(name="Undated Co")
    make_claim(
        party=party,
        summary="An undated remark",
        claimed_on=None,
        claimed_precision="unknown",
        date_note="Undated statement; first reported by The Drum, 15 Jan 2018",
    )
    html = client.get(party.get_absolute_url()).content.decode()
    section = html[html.index('id="tl-unknown"') :]
    assert "An undated remark" in section
    assert "first reported by The Drum, 15 Jan 2018" in section
