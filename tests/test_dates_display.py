import datetime

import pytest
from django.template import Context, Template

from claims.cards import Card
from claims.timeline import build_timeline
from sources.dates import DatePrecision
from tests.factories import make_claim

D = DatePrecision


def render(value, precision) -> str:
    template = Template("{% load counterpoint %}{% precise_date value precision %}")
    return template.render(Context({"value": value, "precision": precision}))


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (datetime.date(2018, 1, 15), D.DAY, '<time datetime="2018-01-15">15 Jan 2018</time>'),
        (datetime.date(2018, 1, 1), D.MONTH, '<time datetime="2018-01">Jan 2018</time>'),
        (datetime.date(2017, 1, 1), D.YEAR, '<time datetime="2017">2017</time>'),
        (None, D.UNKNOWN, '<span class="date-unknown">Date unknown</span>'),
    ],
)
def test_dates_are_shown_at_their_precision(value, precision, expected):
    assert render(value, precision) == expected


def test_a_year_only_date_never_shows_a_day_or_month():
    html = render(datetime.date(2017, 1, 1), D.YEAR)
    assert html == '<time datetime="2017">2017</time>'
    assert "Jan" not in html and "-01" not in html


@pytest.mark.django_db
def test_timeline_groups_by_year_then_month_without_inventing_days():
    day = make_claim(claimed_on=datetime.date(2017, 3, 9), claimed_precision=D.DAY)
    month = make_claim(claimed_on=datetime.date(2017, 3, 1), claimed_precision=D.MONTH)
    year = make_claim(claimed_on=datetime.date(2017, 1, 1), claimed_precision=D.YEAR)
    january = make_claim(claimed_on=datetime.date(2017, 1, 20), claimed_precision=D.DAY)
    later = make_claim(claimed_on=datetime.date(2018, 1, 15), claimed_precision=D.DAY)
    unknown = make_claim(claimed_on=None, claimed_precision=D.UNKNOWN)

    timeline = build_timeline(Card(c) for c in [unknown, later, year, month, day, january])

    assert [y.year for y in timeline.years] == [2017, 2018]
    y2017 = timeline.years[0]
    assert [m.label for m in y2017.months] == ["January 2017", "March 2017"]
    # The "2017" claim is not put in January: it has its own "month not known" group.
    assert [c.claim for c in y2017.months[0].items] == [january]
    assert [c.claim for c in y2017.month_unknown] == [year]
    # Within a month, dated claims come before those known only to the month.
    assert [c.claim for c in y2017.months[1].items] == [day, month]
    assert [c.claim for c in timeline.unknown] == [unknown]


@pytest.mark.django_db
def test_party_timeline_page_labels_year_only_and_unknown_dates(client):
    claim = make_claim(claimed_on=datetime.date(2017, 1, 1), claimed_precision=D.YEAR)
    make_claim(party=claim.party, claimed_on=None, claimed_precision=D.UNKNOWN)
    html = client.get(claim.party.get_absolute_url()).content.decode()
    assert "2017 (month not known)" in html
    assert "January 2017" not in html
    # The timeline's undated section (not the year facets above it) comes after the year.
    assert html.index("2017 (month not known)") < html.index('id="tl-unknown"')


@pytest.mark.django_db
def test_chronological_queryset_matches_the_timeline_order_so_it_can_be_paginated():
    from claims.models import Claim

    dates = [
        (None, D.UNKNOWN),
        (datetime.date(2017, 1, 1), D.YEAR),
        (datetime.date(2017, 3, 1), D.MONTH),
        (datetime.date(2017, 3, 2), D.DAY),
        (datetime.date(2016, 12, 1), D.MONTH),
        (datetime.date(2017, 1, 5), D.DAY),
    ]
    claims = [make_claim(claimed_on=on, claimed_precision=p) for on, p in dates]
    timeline = build_timeline(Card(c) for c in claims)
    in_timeline = [
        c.pk
        for year in timeline.years
        for group in [*(m.items for m in year.months), year.month_unknown]
        for c in (card.claim for card in group)
    ] + [card.claim.pk for card in timeline.unknown]
    assert [c.pk for c in Claim.objects.chronological()] == in_timeline
