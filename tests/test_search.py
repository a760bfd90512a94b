"""Claims list filters and full-text search. Run on SQLite and on PostgreSQL:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/counterpoint pytest tests/test_search.py"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Citation, Claim, Party
from claims.search import matching, rebuild_search_index
from claims.search.spelling import fold
from sources.dates import DatePrecision
from tests.factories import (
    make_citation,
    make_claim,
    make_dispute,
    make_party,
    make_source,
    make_statistic,
    place_claim,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Counterfeit goods flooded the market. "
    "Brand owners filed fewer takedown requests this year. "
    "The platform closed thousands of stores. "
    "Police arrested many suspects."
)


def listed(client, **params) -> list[str]:
    response = client.get(reverse("claims:list"), params)
    assert response.status_code == 200
    return [c.summary for c in response.context["claims"]]


@pytest.fixture
def corpus():
    source = make_source(body=BODY)
    alibaba = make_party(name="Alibaba", slug="alibaba")
    ustr = make_party(name="USTR", slug="ustr", kind="government_agency")
    return {
        "source": source,
        "alibaba": alibaba,
        "ustr": ustr,
        "takedowns": make_claim(
            summary="Fewer takedown requests",
            quote="Brand owners filed fewer takedown requests this year",
            source=source,
            party=alibaba,
            claimed_on=datetime.date(2018, 1, 15),
            claimed_precision=DatePrecision.DAY,
        ),
        "stores": make_claim(
            summary="Stores closed",
            quote="The platform closed thousands of stores",
            source=source,
            party=alibaba,
            kind=Claim.Kind.STATISTIC,
            claimed_on=datetime.date(2017, 1, 1),
            claimed_precision=DatePrecision.YEAR,
        ),
        "flood": make_claim(
            summary="Counterfeits flood the market",
            quote="Counterfeit goods flooded the market",
            source=source,
            party=ustr,
            kind=Claim.Kind.ACCUSATION,
            claimed_on=datetime.date(2016, 6, 1),
            claimed_precision=DatePrecision.MONTH,
        ),
        "undated": make_claim(
            summary="Police arrested suspects",
            quote="Police arrested many suspects",
            source=source,
            party=ustr,
            claimed_on=None,
            claimed_precision=DatePrecision.UNKNOWN,
        ),
    }


def test_without_filters_every_claim_is_listed(client, corpus):
    assert len(listed(client)) == 4


def test_search_finds_a_word_in_a_quote(client, corpus):
    assert listed(client, q="thousands") == ["Stores closed"]


def test_search_finds_a_word_in_a_summary(client, corpus):
    assert listed(client, q="flood") == ["Counterfeits flood the market"]


def test_search_requires_every_word(client, corpus):
    assert listed(client, q="takedown requests") == ["Fewer takedown requests"]
    assert listed(client, q="takedown stores") == []


def test_search_is_case_insensitive(client, corpus):
    assert listed(client, q="POLICE") == ["Police arrested suspects"]


def test_search_for_nothing_known_lists_nothing(client, corpus):
    response = client.get(reverse("claims:list"), {"q": "zebra"})
    assert "No claims match" in response.content.decode()


def test_filter_by_party_uses_its_slug(client, corpus):
    assert sorted(listed(client, party="alibaba")) == ["Fewer takedown requests", "Stores closed"]


def test_filter_by_party_includes_claims_its_people_spoke(client, corpus):
    spokesperson = make_party(name="Spokesperson", kind="individual", affiliation=corpus["alibaba"])
    make_claim(summary="Spoken for the company", party=corpus["ustr"], speaker=spokesperson)
    assert "Spoken for the company" in listed(client, party=spokesperson.slug)


def test_filter_by_kind(client, corpus):
    assert listed(client, kind="accusation") == ["Counterfeits flood the market"]


def test_filter_by_source(client, corpus):
    make_claim(summary="Elsewhere")
    assert len(listed(client, source=corpus["source"].slug)) == 4


def test_filter_by_dispute(client, corpus):
    dispute = make_dispute(parties=(corpus["alibaba"], corpus["ustr"]))
    place_claim(corpus["stores"], dispute)
    assert listed(client, dispute=dispute.slug) == ["Stores closed"]


def test_filter_by_has_statistic(client, corpus):
    make_statistic(claim=corpus["stores"])
    assert listed(client, has_statistic="yes") == ["Stores closed"]
    assert "Stores closed" not in listed(client, has_statistic="no")


def test_date_range_keeps_claims_whose_known_period_overlaps(client, corpus):
    # "2017" (year precision) may fall after 1 June 2017, so it is kept; undated is not.
    assert sorted(listed(client, date_from="2017-06-01", date_to="2018-12-31")) == [
        "Fewer takedown requests",
        "Stores closed",
    ]


def test_date_from_honours_month_precision(client, corpus):
    assert "Counterfeits flood the market" in listed(client, date_from="2016-06-20")
    assert "Counterfeits flood the market" not in listed(client, date_from="2016-07-01")


def test_date_to_excludes_later_claims(client, corpus):
    assert listed(client, date_to="2016-12-31") == ["Counterfeits flood the market"]


def test_filters_and_search_combine(client, corpus):
    assert listed(client, party="alibaba", q="stores", date_from="2017-01-01") == ["Stores closed"]


def test_unknown_party_slug_is_reported_not_crashed(client, corpus):
    response = client.get(reverse("claims:list"), {"party": "nobody"})
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_bad_date_is_reported_not_crashed(client, corpus):
    response = client.get(reverse("claims:list"), {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_results_are_paginated_and_pages_keep_the_filters(client, corpus):
    party = make_party(slug="prolific")
    source = make_source()
    for n in range(30):
        make_claim(summary=f"Prolific claim {n}", party=party, source=source)
    first = client.get(reverse("claims:list"), {"party": "prolific"}).content.decode()
    assert "30 claims found" in first
    assert "Page 1 of 2" in first
    assert 'href="/claims/?party=prolific&amp;page=2"' in first
    second = client.get(reverse("claims:list"), {"party": "prolific", "page": 2})
    assert len(second.context["claims"]) == 5


def test_form_is_labelled_and_keeps_submitted_values(client, corpus):
    html = client.get(reverse("claims:list"), {"q": "stores", "party": "alibaba"}).content.decode()
    for field in ["q", "party", "kind", "dispute", "source", "date_from", "date_to"]:
        assert f'<label for="id_{field}">' in html
    assert 'value="stores"' in html
    assert '<option value="alibaba" selected>' in html


@pytest.mark.parametrize(
    "q",
    ['"takedown requests"', "takedown,", "takedown requests.", "(takedown)", "fewer or takedown"],
    ids=["phrase in quotes", "trailing comma", "trailing full stop", "brackets", "or"],
)
def test_search_reads_quotes_and_punctuation_like_websearch(client, corpus, q):
    assert listed(client, q=q) == ["Fewer takedown requests"]


def test_date_from_after_date_to_is_explained_not_an_empty_list(client, corpus):
    response = client.get(
        reverse("claims:list"), {"date_from": "2018-01-01", "date_to": "2016-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“To” (1 Jan 2016) is before “From” (1 Jan 2018)" in html
    assert "The date filter was not applied." in html
    assert len(response.context["claims"]) == 4


def test_date_filter_says_how_many_undated_claims_it_left_out(client, corpus):
    response = client.get(reverse("claims:list"), {"date_from": "2016-01-01"})
    html = response.content.decode()
    assert "Police arrested suspects" not in listed(client, date_from="2016-01-01")
    assert "1 undated claim left out by the date filter" in html
    assert "include_undated=on" in html
    assert "left out by the date filter" not in client.get(reverse("claims:list")).content.decode()


def test_include_undated_keeps_undated_claims_within_a_date_filter(client, corpus):
    found = listed(client, date_from="2017-06-01", include_undated="on")
    assert sorted(found) == ["Fewer takedown requests", "Police arrested suspects", "Stores closed"]
    html = client.get(
        reverse("claims:list"), {"date_from": "2017-06-01", "include_undated": "on"}
    ).content.decode()
    assert "left out by the date filter" not in html
    assert found[-1] == "Police arrested suspects"  # undated last


def test_party_filter_counts_a_partys_members_as_the_party_page_does(client, corpus):
    spokesperson = make_party(name="Spokesperson", kind="individual", affiliation=corpus["alibaba"])
    make_claim(summary="Said by the spokesperson", party=spokesperson)
    make_claim(summary="Spoken for another", party=corpus["ustr"], speaker=spokesperson)
    found = listed(client, party="alibaba")
    assert "Said by the spokesperson" in found and "Spoken for another" in found
    assert len(found) == Claim.objects.by_party(corpus["alibaba"]).count() == 4


# --- Full-text search: the language, spelling, ranking, highlights, upkeep, bounds ------


@pytest.fixture
def spelled(corpus):
    """Claims in one spelling or the other, each word once."""
    source = make_source(
        body="The report was politicised. Critics criticize the organisation. "
        "Labor unions spoke. The defence ministry replied. Stores reported losses."
    )
    return {
        text: make_claim(summary=f"About {n}", quote=text, source=source, party=corpus["ustr"])
        for n, text in enumerate(
            [
                "The report was politicised",
                "Critics criticize the organisation",
                "Labor unions spoke",
                "The defence ministry replied",
                "Stores reported losses",
            ]
        )
    }


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("politicized", "The report was politicised"),
        ("politicised", "The report was politicised"),
        ("criticise", "Critics criticize the organisation"),
        ("organization", "Critics criticize the organisation"),
        ("labour", "Labor unions spoke"),
        ("defense", "The defence ministry replied"),
        ("DÉFENSE", "The defence ministry replied"),
    ],
)
def test_british_and_american_spellings_find_each_other(client, spelled, typed, finds):
    assert listed(client, q=typed) == [spelled[finds].summary]


def test_spelling_folds_words_built_on_a_variant_and_leaves_others_alone():
    assert fold("Organisations") == fold("organizations")
    assert fold("labourers") == fold("laborers")
    assert fold("travelled") == fold("traveled")
    assert fold("centres") == fold("centers")
    assert fold("prise") != fold("prize")
    assert fold("exercise") == "exercise"


def test_search_stems_words(client, spelled):
    reported = spelled["Stores reported losses"].summary
    assert sorted(listed(client, q="report")) == sorted(
        [reported, spelled["The report was politicised"].summary]
    )
    assert listed(client, q="reporting losses") == [reported]
    assert "Stores closed" in listed(client, q="store")


def test_minus_leaves_out_claims_with_the_word(client, corpus):
    assert listed(client, q="closed -stores") == []
    assert listed(client, q="thousands -takedown") == ["Stores closed"]
    assert "Stores closed" not in listed(client, q="-stores")
    assert "Fewer takedown requests" in listed(client, q="-stores")


def test_or_gives_alternatives(client, corpus):
    found = listed(client, q="police OR thousands")
    assert sorted(found) == ["Police arrested suspects", "Stores closed"]


def test_or_binds_more_loosely_than_and(client, corpus):
    # (takedown AND police) OR thousands
    assert listed(client, q="takedown police OR thousands") == ["Stores closed"]


def test_a_phrase_matches_its_words_in_order_only(client, corpus):
    assert listed(client, q='"takedown requests"') == ["Fewer takedown requests"]
    assert listed(client, q='"requests takedown"') == []
    assert listed(client, q='-"takedown requests" fewer') == []


def test_search_finds_party_and_speaker_names(client, corpus):
    speaker = make_party(name="Jane Spokeswoman", kind="individual")
    make_claim(summary="Something said", party=corpus["alibaba"], speaker=speaker)
    assert listed(client, q="spokeswoman") == ["Something said"]
    assert sorted(listed(client, q="ustr")) == [
        "Counterfeits flood the market",
        "Police arrested suspects",
    ]


def test_a_match_in_the_summary_ranks_above_one_only_in_a_quote(client):
    source = make_source(body="Counterfeit handbags were seized. Officials met on Tuesday.")
    party = make_party()
    make_claim(
        summary="Officials met", quote="Officials met on Tuesday", source=source, party=party
    )
    make_claim(
        summary="Seizures reported",
        quote="Counterfeit handbags were seized",
        source=source,
        party=party,
        claimed_on=datetime.date(2019, 1, 1),  # newer: rank, not date, must put it second
    )
    make_claim(
        summary="Counterfeit handbags seized",
        quote="Counterfeit handbags were seized",
        source=source,
        party=party,
        claimed_on=datetime.date(2016, 1, 1),
    )
    assert listed(client, q="counterfeit handbags") == [
        "Counterfeit handbags seized",
        "Seizures reported",
    ]


def test_matches_are_highlighted_and_article_text_stays_escaped(client):
    body = 'He said <script>alert(1)</script> the "takedown" rules & <b>fees</b> rose.'
    source = make_source(body=body)
    make_claim(summary="Takedown <i>rules</i> changed", quote=body[:-1], source=source)
    html = client.get(reverse("claims:list"), {"q": "takedowns"}).content.decode()
    assert "<mark>Takedown</mark> &lt;i&gt;rules&lt;/i&gt; changed" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; the &quot;<mark>takedown</mark>&quot;" in html
    assert "&amp; &lt;b&gt;fees&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<i>rules" not in html


def test_only_the_phrase_is_highlighted(client, corpus):
    html = client.get(reverse("claims:list"), {"q": '"takedown requests"'}).content.decode()
    assert "filed fewer <mark>takedown</mark> <mark>requests</mark> this year" in html


def test_highlighting_marks_the_other_spelling(client, spelled):
    html = client.get(reverse("claims:list"), {"q": "politicized"}).content.decode()
    assert "The report was <mark>politicised</mark>" in html


def test_a_claim_edited_in_the_admin_is_found_by_its_new_words_at_once(client, superuser):
    source = make_source(body="Officials closed the zebra market. Nothing else happened.")
    claim = make_claim(summary="Old words", quote="Nothing else happened", source=source)
    citation = claim.citations.get()
    client.force_login(superuser)
    data = {
        "summary": "Brand new summary",
        "kind": claim.kind,
        "party": claim.party_id,
        "claimed_on": "2018-01-01",
        "claimed_precision": "month",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": source.pk,
        "citations-0-quote": "Officials closed the zebra market",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("statistics", "relations_from", "placements")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()
    assert listed(client, q="zebra") == ["Brand new summary"]
    assert listed(client, q="brand new") == ["Brand new summary"]
    assert listed(client, q="old words") == []
    assert listed(client, q="happened") == []


def test_renaming_a_party_reindexes_the_claims_it_made_and_spoke(client, corpus):
    speaker = make_party(name="Alex Example", kind="individual")
    make_claim(summary="Spoken", party=corpus["ustr"], speaker=speaker)
    party = Party.objects.get(pk=corpus["alibaba"].pk)
    party.name = "Taobao Holdings"
    party.save()
    speaker = Party.objects.get(pk=speaker.pk)
    speaker.name = "Sam Renamed"
    speaker.save()
    assert sorted(listed(client, q="taobao")) == ["Fewer takedown requests", "Stores closed"]
    assert listed(client, q="alibaba") == []
    assert listed(client, q="renamed") == ["Spoken"]


def test_deleting_a_citation_or_a_claim_updates_the_index(client, corpus):
    extra = make_citation(
        claim=corpus["flood"], source=corpus["source"], quote="Police arrested many suspects"
    )
    assert "Counterfeits flood the market" in listed(client, q="police")
    extra.delete()
    assert listed(client, q="police") == ["Police arrested suspects"]
    corpus["undated"].delete()
    assert listed(client, q="police") == []


def test_rebuild_indexes_claims_written_in_bulk(client, corpus):
    claim = Claim.objects.bulk_create(
        [Claim(summary="Bulk loaded walrus", slug="bulk", party=corpus["ustr"])]
    )[0]
    Citation.objects.bulk_create(
        [Citation(claim=claim, source=corpus["source"], quote="Police", start=0, end=1)]
    )
    assert listed(client, q="walrus") == []
    assert rebuild_search_index() == Claim.objects.count()
    assert listed(client, q="walrus") == ["Bulk loaded walrus"]


HOSTILE = [
    '"unbalanced',
    'takedown "',
    '"',
    '""',
    "*",
    "takedown*",
    "NEAR(takedown stores)",
    "NEAR(",
    "summary:takedown",
    ":",
    "^takedown",
    "takedown AND",
    "AND OR NOT",
    "OR",
    "-",
    "--",
    "- -",
    "-takedown -stores",
    "( ) ) (",
    "!!takedown & | <->",
    "takedown:* & !stores",
    "'takedown'",
    "\\x00 \\",
    "take\x01down \x7f",
    "\u202etakedown",
    "𝔱𝔞𝔨𝔢𝔡𝔬𝔴𝔫 ½ ß İ",
    "a" * 10_000,
    "takedown " * 2_000,
    '"' * 5_001,
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(client, corpus, q):
    for params in ({"q": q}, {"q": q, "format": "csv"}, {"q": q, "party": "alibaba"}):
        response = client.get(reverse("claims:list"), params)
        assert response.status_code in (200, 400), params
    assert client.get(reverse("api:claim-list"), {"q": q}).status_code in (200, 400)


def test_a_search_runs_the_same_number_of_queries_at_any_size(client, corpus):
    party = make_party(slug="many")
    source = make_source(body="Takedown figures rose. " * 3)
    url = reverse("claims:list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "takedown figures"}).status_code == 200
        return len(queries)

    make_claim(summary="Takedown figures 0", party=party, source=source, quote="Takedown figures")
    small = count()
    for n in range(1, 40):
        make_claim(
            summary=f"Takedown figures {n}", party=party, source=source, quote="Takedown figures"
        )
    # The count (at most SEARCH_LIMIT), the page (party and speaker joined, rank computed
    # for its candidates), citations, statistics, the highlights, and the form's party,
    # dispute and source choices.
    assert count() == small == 8


def test_a_search_lists_at_most_the_limit_and_says_so(client, corpus, monkeypatch):
    monkeypatch.setattr(matching, "SEARCH_LIMIT", 2)
    party = make_party()
    for n in range(4):
        make_claim(summary=f"Walrus sighting {n}", party=party)
    response = client.get(reverse("claims:list"), {"q": "walrus"})
    html = response.content.decode()
    assert len(response.context["claims"]) == 2
    assert "2+ claims found" in html
    assert "More than 2 claims match this search" in html
    assert len(listed(client, q="walrus -sighting")) == 0


def test_the_api_lists_a_search_in_the_same_order_as_the_page(client, spelled):
    page = listed(client, q="the OR report")
    api = client.get(reverse("api:claim-list"), {"q": "the OR report"}).json()
    assert [c["summary"] for c in api["results"]] == page


def test_the_index_is_a_gin_indexed_tsvector_on_postgresql(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps the index in an FTS5 table (test below).")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'claims_claim_search' "
            "AND indexdef LIKE '%%USING gin (document)%%'"
        )
        assert cursor.fetchall()
        # On a table this small any plan is cheap; with sequential and plain index scans
        # off, the match can only be found through an index that answers @@: the GIN one.
        # (At scale the planner chooses: a word in a tenth of all claims is read in key
        # order up to the 1,000-match cap instead.)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = matching.search(Claim.objects.all(), "takedown").explain()
    assert "claims_claim_search_document_idx" in plan


def test_the_index_is_an_fts5_table_on_sqlite(corpus):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps the index in a tsvector column (test above).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_claim_search'")
        assert "fts5" in cursor.fetchone()[0]
        # Every claim is indexed. (Counted through the claims: a browser test's flush empties
        # the model tables but not this virtual table, and each claim's row is rewritten on
        # its save, so what a flush leaves behind is never found.)
        ids = list(Claim.objects.values_list("pk", flat=True))
        marks = ",".join("%s" for _ in ids)
        cursor.execute(f"SELECT count(*) FROM claims_claim_search WHERE rowid IN ({marks})", ids)
        assert cursor.fetchone()[0] == len(ids) > 0
