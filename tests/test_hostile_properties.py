"""Property-based checks (hypothesis): whatever is typed or posted, the date rules, the claim
filters and the admin forms answer with a result or a message, never an exception."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from claims.accepting.forms import ProposalForm
from claims.extraction.types import Proposal
from sources.dates import DatePrecision, validate_precise_date
from sources.forms import SourceForm
from sources.validation import EARLIEST_DATE, validate_plausible_date
from tests.factories import make_claim, make_metric, make_party, make_source

# Text a browser can send: anything but lone surrogates, which have no UTF-8 encoding.
sendable = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
precisions = st.one_of(st.sampled_from(DatePrecision.values), sendable)


@given(day=st.one_of(st.none(), st.dates()), precision=precisions)
def test_the_date_rule_accepts_a_consistent_pair_or_says_which_field_is_wrong(day, precision):
    try:
        validate_precise_date(day, precision, "on", "precision")
    except ValidationError as exc:
        assert set(exc.message_dict) <= {"on", "precision"}
        return
    assert precision in DatePrecision.values
    assert (day is None) == (precision == DatePrecision.UNKNOWN)
    if precision == DatePrecision.MONTH:
        assert day.day == 1
    if precision == DatePrecision.YEAR:
        assert (day.month, day.day) == (1, 1)


@given(day=st.dates())
def test_a_date_is_plausible_exactly_when_it_is_from_1900_to_today(day):
    plausible = EARLIEST_DATE <= day <= datetime.date.today()
    try:
        validate_plausible_date(day)
    except ValidationError as exc:
        assert not plausible
        assert exc.messages[0].startswith(day.isoformat())
    else:
        assert plausible


FILTER_KEYS = [
    "q",
    "party",
    "kind",
    "dispute",
    "source",
    "date_from",
    "date_to",
    "include_undated",
    "has_statistic",
    "page",
]
query_values = st.one_of(
    sendable,
    st.integers().map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.just("9" * 20),
)


@pytest.fixture
def a_claim(db):
    return make_claim()


@given(query=st.dictionaries(st.sampled_from(FILTER_KEYS) | sendable, query_values, max_size=5))
def test_the_claims_list_answers_any_query_string_without_an_error(client, a_claim, query):
    # A bare ?page= on an unfiltered list moves to the path form (301); a page past the
    # last is then a plain 404. Never a 500.
    response = client.get("/claims/", query, follow=True)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 400:
        assert any(ch in "".join([*query, *query.values()]) for ch in _controls())


def _controls() -> list[str]:
    return [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\r\t"]


@given(
    title=sendable,
    url=sendable,
    body=sendable,
    published_on=query_values,
    precision=precisions,
)
def test_the_source_form_validates_any_text_into_a_result_or_errors(
    db, title, url, body, published_on, precision
):
    form = SourceForm(
        data={
            "title": title,
            "kind": "article",
            "url": url,
            "published_on": published_on,
            "published_precision": precision,
            "body": body,
        }
    )
    if not form.is_valid():
        assert form.errors
        return
    source = form.save()
    assert source.url == "" or source.url.lower().startswith(("http://", "https://"))


@pytest.fixture
def figure_form_context(db):
    party = make_party(name="Acme", slug="acme")
    source = make_source(body="Takedown requests fell 25% last year, Acme said.")
    proposal = Proposal(
        kind="figure",
        text="25%",
        start=23,
        end=26,
        sentence="Takedown requests fell 25% last year, Acme said.",
        sentence_end=48,
        value=Decimal(25),
        unit="percent",
    )
    return source, proposal, party, make_metric(unit="percent")


@given(
    summary=sendable,
    quote=sendable,
    value=st.one_of(sendable, st.decimals(allow_nan=True).map(str)),
    currency=sendable,
    unit=st.one_of(st.sampled_from(["percent", "count", "currency"]), sendable),
    claimed_on=query_values,
    party=query_values,
)
def test_the_accept_form_validates_any_input_into_a_result_or_errors(
    figure_form_context, superuser, summary, quote, value, currency, unit, claimed_on, party
):
    source, proposal, acme, metric = figure_form_context
    data = {
        "summary": summary,
        "kind": "statistic",
        "party": party,
        "claimed_on": claimed_on,
        "claimed_precision": "day",
        "quote": quote,
        "metric": metric.pk,
        "value": value,
        "unit": unit,
        "currency": currency,
    }
    form = ProposalForm(data, source=source, proposal=proposal, user=superuser)
    if form.is_valid():
        assert form.cleaned_data["party"].pk == acme.pk
        assert abs(form.figure_forms[0].cleaned_data["value"]) < 10**13
    else:
        assert form.has_errors
