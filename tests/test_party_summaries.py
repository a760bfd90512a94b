"""PartySummary: a party's claims counted by year, stored so its page's year facets and the
party list's counts read one row instead of every claim. Every write that moves a claim
between timelines or years keeps it equal to a fresh count (by_party, the one definition)."""

import datetime

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear

from claims.models import Claim, Party, PartySummary
from sources.dates import DatePrecision as D
from tests.factories import make_claim, make_party

pytestmark = pytest.mark.django_db


def fresh_count(party: Party) -> list[list]:
    rows = (
        Claim.objects.by_party(party)
        .order_by()
        .annotate(year=ExtractYear("claimed_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
    )
    return [list(r) for r in sorted(rows, key=lambda r: (r[0] is None, r[0] or 0))]


def stored(party: Party) -> list[list]:
    return PartySummary.objects.get(party=party).years


def test_every_write_keeps_the_stored_counts_equal_to_a_fresh_count():
    org, other = make_party(), make_party()
    person = make_party(affiliation=org, kind="individual")
    loner = make_party(kind="individual")
    claim = make_claim(party=org, claimed_on=datetime.date(2017, 1, 1), claimed_precision=D.YEAR)
    said = make_claim(party=other, speaker=person)  # counts for person, org and other
    make_claim(party=other, speaker=loner, claimed_on=None, claimed_precision=D.UNKNOWN)
    for party in (org, other, person, loner):
        assert stored(party) == fresh_count(party)
    assert stored(org) == [[2017, 1], [2018, 1]]

    claim.claimed_on, claim.claimed_precision = datetime.date(2019, 5, 1), D.MONTH
    claim.save()  # another year
    said.party = loner
    said.save()  # another party
    assert stored(org) == fresh_count(org) == [[2018, 1], [2019, 1]]
    assert stored(other) == fresh_count(other)
    assert stored(loner) == fresh_count(loner)

    loner.affiliation = org
    loner.save()  # joins the organisation with their claims
    assert stored(org) == fresh_count(org)
    assert PartySummary.objects.get(party=org).claim_count == 3

    claim.delete()
    assert stored(org) == fresh_count(org)
    assert PartySummary.objects.get(party=org).claim_count == 2


def test_a_party_never_counted_is_counted_on_its_first_page_and_refresh_all_counts_all(client):
    org = make_party()
    make_claim(party=org)
    PartySummary.objects.all().delete()  # as after the migration, or a bulk load
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    assert stored(org) == [[2018, 1]]
    PartySummary.objects.all().delete()
    assert PartySummary.refresh_all() == Party.objects.count()
    assert stored(org) == [[2018, 1]]


def test_the_party_list_counts_parties_with_and_without_a_stored_count(client):
    counted, uncounted = make_party(name="A counted"), make_party(name="B uncounted")
    for _ in range(2):
        make_claim(party=counted)
        make_claim(party=uncounted)
    PartySummary.objects.filter(party=uncounted).delete()
    listed = {p.pk: p.claim_count for p in Party.objects.with_claim_counts()}
    assert listed[counted.pk] == listed[uncounted.pk] == 2
