"""Claim.timeline_key: the stored place on a timeline that lets a party's page read its
claims in index order. The Python rule (save()) and its SQL form (bulk refresh, the
migration) agree, every write path keeps it current, and a party's timeline read through the
timeline indexes (PartyTimeline) lists exactly what the plain sorted OR would, page by page."""

import datetime

import pytest

from claims.demo.generator import generate
from claims.models import Claim
from claims.models.timeline_order import timeline_key
from sources.dates import DatePrecision as D
from tests.factories import make_claim, make_party

pytestmark = pytest.mark.django_db

DATES = [
    (None, D.UNKNOWN),
    (datetime.date(2017, 1, 1), D.YEAR),
    (datetime.date(2017, 12, 1), D.MONTH),
    (datetime.date(2017, 12, 31), D.DAY),
    (datetime.date(2017, 12, 1), D.DAY),
    (datetime.date(2016, 12, 1), D.MONTH),
    (datetime.date(2017, 1, 5), D.DAY),
    (datetime.date(2018, 1, 1), D.YEAR),
]


def test_the_rule_and_its_sql_form_agree_on_every_precision():
    claims = [make_claim(claimed_on=on, claimed_precision=p) for on, p in DATES]
    saved = dict(Claim.objects.values_list("pk", "timeline_key"))
    Claim.objects.update(timeline_key=-1)
    assert Claim.objects.refresh_timeline_keys() == len(claims)
    assert dict(Claim.objects.values_list("pk", "timeline_key")) == saved
    assert [saved[c.pk] for c in claims] == [timeline_key(on, p) for on, p in DATES]
    assert saved[claims[0].pk] is None


def test_the_key_orders_as_the_timeline_does():
    # Within December 2017: the 1st, the 31st (known to the day), then "December 2017";
    # "2017" (year only) after December; undated last.
    keys = [
        timeline_key(datetime.date(2017, 12, 1), D.DAY),
        timeline_key(datetime.date(2017, 12, 31), D.DAY),
        timeline_key(datetime.date(2017, 12, 1), D.MONTH),
        timeline_key(datetime.date(2017, 1, 1), D.YEAR),
        timeline_key(datetime.date(2018, 1, 5), D.DAY),
    ]
    known = [k for k in keys if k is not None]
    assert len(known) == len(keys) and known == sorted(known) and len(set(known)) == len(known)


def test_save_keeps_the_key_current_when_the_date_changes():
    claim = make_claim(claimed_on=datetime.date(2017, 3, 4), claimed_precision=D.DAY)
    claim.claimed_on, claim.claimed_precision = datetime.date(2019, 1, 1), D.YEAR
    claim.save(update_fields=["claimed_on", "claimed_precision"])
    claim.refresh_from_db()
    assert claim.timeline_key == timeline_key(datetime.date(2019, 1, 1), D.YEAR)
    claim.claimed_on, claim.claimed_precision = None, D.UNKNOWN
    claim.save()
    claim.refresh_from_db()
    assert claim.timeline_key is None


def test_generated_demo_claims_have_the_key_save_would_give(seeded):
    generate(claims=100, seed=3)
    for claimed_on, precision, key in Claim.objects.values_list(
        "claimed_on", "claimed_precision", "timeline_key"
    ):
        assert key == timeline_key(claimed_on, precision)


def test_a_party_timeline_pages_like_the_sorted_or_with_claims_made_and_said_by_the_group():
    org = make_party()
    person = make_party(affiliation=org, kind="individual")
    other = make_party()
    made = [make_claim(party=org, claimed_on=on, claimed_precision=p) for on, p in DATES]
    said_for_other = [
        make_claim(party=other, speaker=person, claimed_on=on, claimed_precision=p)
        for on, p in DATES[2:]
    ]
    # Made by the party and said by its member: in both index scans, listed once.
    both = [
        make_claim(party=org, speaker=person, claimed_on=on, claimed_precision=p)
        for on, p in DATES[3:5]
    ]
    make_claim(party=other)  # not the party's
    group = org.group_ids()
    expected = [c.pk for c in Claim.objects.by_party(org).chronological()]
    assert len(expected) == len(made) + len(said_for_other) + len(both)
    timeline = Claim.objects.with_related().timeline_of(group, len(expected))
    for per_page in (1, 3, 5, len(expected)):
        pages = [
            [c.pk for c in timeline[start : start + per_page]]
            for start in range(0, len(expected), per_page)
        ]
        assert [pk for page in pages for pk in page] == expected
    assert timeline[2].pk == expected[2]
    assert timeline[len(expected) : len(expected) + 5] == []
