"""The claims list as CSV (?format=csv): the filtered list's claims, every page, in order;
dates at their precision; spreadsheet formulas neutralised; bad filters refused clearly."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from claims.exports import HEADER, neutralise
from claims.views.claims import CLAIMS_PER_PAGE
from sources.dates import DatePrecision
from tests.factories import make_citation, make_claim, make_party, make_source
from tests.test_queries import build

pytestmark = pytest.mark.django_db

DOWNLOAD_LINK = re.compile(r'<a href="([^"]*)" download>Download CSV</a>')


def csv_rows(client, url: str, query: dict | None = None) -> list[dict[str, str]]:
    response = client.get(url, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def listed_ids(client, query: dict) -> list[int]:
    """Every claim the HTML list shows for the query, across its pages."""
    response = client.get(reverse("claims:list"), query)
    return [claim.pk for claim in response.context["page_obj"].paginator.object_list]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"party": "company"},
        {"q": "figure", "date_from": "2016-01-01", "include_undated": "on"},
        {"has_statistic": "no", "kind": "assertion"},
    ],
    ids=["everything", "party", "search and dates", "kind and figures"],
)
def test_the_csv_has_exactly_the_lists_claims_across_every_page_in_the_same_order(client, query):
    build(80)
    expected = listed_ids(client, query)
    assert len(expected) > CLAIMS_PER_PAGE  # more than one page of the HTML list
    rows = csv_rows(client, reverse("claims:list"), {**query, "format": "csv"})
    assert [int(row["id"]) for row in rows] == expected


def test_the_csv_starts_with_its_header_and_each_row_has_a_permalink(client):
    claim = make_claim(summary="The company rejects the listing")
    response = client.get(reverse("claims:list"), {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="counterpoint-claims.csv"'
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0] == ",".join(HEADER)
    [row] = csv.DictReader(io.StringIO(text))
    assert row["permalink"] == f"{settings.SITE_URL}{claim.get_absolute_url()}"
    assert row["summary"] == "The company rejects the listing"
    assert row["party"] == claim.party.name
    assert row["kind"] == "assertion"


@pytest.mark.parametrize(
    ("claimed_on", "precision", "written"),
    [
        (datetime.date(2018, 1, 15), DatePrecision.DAY, "2018-01-15"),
        (datetime.date(2018, 1, 1), DatePrecision.MONTH, "2018-01"),
        (datetime.date(2017, 1, 1), DatePrecision.YEAR, "2017"),
        (None, DatePrecision.UNKNOWN, ""),
    ],
)
def test_the_claim_date_is_written_at_the_precision_it_is_known_to(
    client, claimed_on, precision, written
):
    make_claim(claimed_on=claimed_on, claimed_precision=precision)
    [row] = csv_rows(client, reverse("claims:list"), {"format": "csv"})
    assert row["claimed"] == written
    assert row["claimed_precision"] == precision


def test_the_quote_and_source_are_the_first_anchored_citations(client):
    early = make_source(
        title="Early report",
        published_on=datetime.date(2017, 1, 1),
        published_precision=DatePrecision.YEAR,
    )
    later = make_source(title="Later report", url="https://example.org/later")
    claim = make_claim(source=early, quote="Takedown requests fell 25% last year")
    flagged = claim.citations.get()
    flagged.needs_review = True  # the source text changed: the quote is no longer verified
    flagged.save()
    make_citation(claim=claim, source=later, quote="We reject the listing entirely")
    make_claim(summary="Only a flagged quote", source=early, quote="The agency said")
    claim.citations.model.objects.filter(claim__summary="Only a flagged quote").update(
        needs_review=True
    )

    rows = {row["summary"]: row for row in csv_rows(client, "/claims/?format=csv")}
    quoted = rows[claim.summary]
    assert quoted["quote"] == "We reject the listing entirely"
    assert quoted["source_title"] == "Later report"
    assert quoted["source_url"] == "https://example.org/later"
    assert quoted["source_published"] == "2018-01-15"
    unverified = rows["Only a flagged quote"]
    assert unverified["quote"] == ""
    assert unverified["source_title"] == "Early report"
    assert unverified["source_published"] == "2017"


def test_cells_a_spreadsheet_would_run_as_formulas_are_prefixed_with_a_quote(client):
    summaries = [
        '=HYPERLINK("https://evil.example","click")',
        "+1 more takedown",
        "-25% takedowns",
        "@SUM(A1:A2)",
        "\tTabbed summary",
        "\rCarriage summary",
    ]
    for summary in summaries:
        make_claim(summary=summary, party=make_party(name=f"={len(summary)}+cmd"))
    make_claim(summary="Plain words stay as they are", party=make_party(name="Agency"))

    rows = csv_rows(client, "/claims/?format=csv")
    written = {row["summary"] for row in rows}
    assert written == {f"'{s}" for s in summaries} | {"Plain words stay as they are"}
    assert all(row["party"].startswith("'=") for row in rows if row["party"] != "Agency")
    assert neutralise("2018-01") == "2018-01"
    assert neutralise("a=b") == "a=b"


def test_the_download_link_is_shown_and_keeps_the_current_filters(client):
    build(60)
    query = {"party": "company", "q": "figure", "page": "2"}
    html = client.get(reverse("claims:list"), query).content.decode()
    [href] = DOWNLOAD_LINK.findall(html)
    href = unescape(href)
    assert "party=company" in href and "q=figure" in href and "format=csv" in href
    assert "page=" not in href  # every page, not the one being looked at
    rows = csv_rows(client, reverse("claims:list") + href)
    assert [int(r["id"]) for r in rows] == listed_ids(client, query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"party": "nobody"}, "Select a valid choice"),
        ({"date_from": "31/02/2017"}, "Enter a valid date."),
        ({"date_from": "2018-01-01", "date_to": "2017-01-01"}, "is before “From”"),
    ],
)
def test_a_bad_filter_gets_the_lists_own_error_page_not_a_csv_or_a_500(client, query, message):
    make_claim()
    page = client.get(reverse("claims:list"), query)
    response = client.get(reverse("claims:list"), {**query, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Some filters were not understood" in html
    assert message in unescape(html)
    assert page.context["filter"].errors == response.context["filter"].errors
    assert "Download CSV" not in html  # no link to an export of the wrong rows


@pytest.mark.parametrize("size", [10, 200])
def test_the_export_runs_a_bounded_number_of_queries_at_any_size(
    client, django_assert_max_num_queries, size
):
    build(size)
    # The party's people (by_party), then per chunk of 500 claims with party and speaker,
    # their citations, their sources.
    with django_assert_max_num_queries(5):
        rows = csv_rows(client, "/claims/?format=csv&party=company")
    assert len(rows) == size // 2
