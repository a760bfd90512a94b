"""The extractor proposes the quotes and figures of an article, with speakers and offsets."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from claims.extraction import extract
from claims.extraction.types import KnownMetric, KnownParty, Proposal
from claims.models import Citation, Statistic
from claims.services import known_metrics, known_parties
from sources.models import Source

PARTIES = [
    KnownParty(id=1, name="Alibaba Group"),
    KnownParty(id=2, name="Office of the United States Trade Representative"),
    KnownParty(id=3, name="Michael Evans", is_person=True, affiliation_id=1),
]


def quotes(body: str, **kwargs) -> list[Proposal]:
    return [p for p in extract(body, **kwargs) if p.kind == "quote"]


def figures(body: str, **kwargs) -> list[Proposal]:
    return [p for p in extract(body, **kwargs) if p.kind == "figure"]


def test_every_proposal_points_at_its_own_text_in_the_body():
    body = '“We reject it,” said Jane Roe. Sales fell 25% to $4m, "a record low".'
    for proposal in extract(body):
        assert body[proposal.start : proposal.end] == proposal.text


@pytest.mark.parametrize(
    ("body", "quote", "speaker", "party"),
    [
        ("“We reject it,” said Jane Roe of Acme.", "We reject it", "Jane Roe", "Acme"),
        (
            "Acme chief executive Jane Roe said: “We reject it.”",
            "We reject it.",
            "Jane Roe",
            "Acme",
        ),
        ('"We reject it," Jane Roe said.', "We reject it", "Jane Roe", ""),
        ("“We reject it,” an Acme spokesperson said in a statement.", "We reject it", "", "Acme"),
        ("In a statement, Acme said “we reject it”.", "we reject it", "", "Acme"),
        ("Prices are falling “fast”, according to Acme.", "fast", "", "Acme"),
        (
            "“We reject it,” said Jane Roe, the company’s chief executive officer.",
            "We reject it",
            "Jane Roe",
            "",
        ),
    ],
)
def test_a_quote_is_attributed_where_the_text_says_who_said_it(body, quote, speaker, party):
    (proposal,) = quotes(body)
    assert proposal.text == quote
    assert proposal.speaker == speaker
    assert proposal.party == party


def test_a_quote_over_several_paragraphs_is_one_proposal_attributed_by_the_dash_line():
    body = (
        "Intro.\n“We have done more than anyone.\n"
        "In light of all this, the listing is political.”\n"
        "– Alibaba Group President Michael Evans\nMore text."
    )
    (proposal,) = quotes(body, parties=PARTIES)
    assert proposal.text.startswith("We have done more")
    assert proposal.text.endswith("the listing is political.")
    assert (proposal.speaker, proposal.speaker_id) == ("Michael Evans", 3)
    assert (proposal.party, proposal.party_id) == ("Alibaba Group", 1)


def test_she_added_refers_back_to_the_last_named_speaker():
    body = (
        "“Trust is key,” said Jessie Zheng, the company’s chief platform governance officer.\n"
        "“We want to work with our stakeholders,” she added."
    )
    first, second = quotes(body)
    assert first.speaker == second.speaker == "Jessie Zheng"


def test_known_acronyms_resolve_to_their_party():
    body = "The report is “flawed”, the USTR said in a statement."
    (proposal,) = quotes(body, parties=PARTIES)
    assert proposal.party_id == 2


def test_a_quote_within_a_quote_is_not_proposed_twice():
    body = "He said: “we cannot ensure that ‘referrals lead to outcomes’ at all.”"
    assert [q.text for q in quotes(body)] == [
        "we cannot ensure that ‘referrals lead to outcomes’ at all."
    ]


def test_apostrophes_are_not_taken_for_quotes():
    assert quotes("Alibaba’s Taobao and the USTR’s list; the students' union.") == []


@pytest.mark.parametrize(
    ("body", "text", "value", "unit", "currency", "qualifier"),
    [
        ("Requests declined by 25% YoY.", "25%", Decimal(-25), "percent", "", ""),
        (
            "It accounts for 2.5 per cent of imports.",
            "2.5 per cent",
            Decimal("2.5"),
            "percent",
            "",
            "",
        ),
        ("It made about 90% of fakes.", "about 90%", Decimal(90), "percent", "", "about"),
        ("Police arrested 1,606 suspects.", "1,606 suspects", Decimal(1606), "count", "", ""),
        ("It closed 240,000 stores.", "240,000 stores", Decimal(240000), "count", "", ""),
        (
            "It removed 380 million product listings.",
            "380 million product listings",
            Decimal(380_000_000),
            "count",
            "",
            "",
        ),
        (
            "Worth nearly half a trillion dollars.",
            "nearly half a trillion dollars",
            Decimal(5 * 10**11),
            "currency",
            "USD",
            "nearly",
        ),
        (
            "Goods worth RMB 4.3 billion ($675m).",
            "RMB 4.3 billion",
            Decimal(43 * 10**8),
            "currency",
            "CNY",
            "",
        ),
        ("Goods worth $675m were seized.", "$675m", Decimal(675_000_000), "currency", "USD", ""),
        ("Removals were 27 times the requests.", "27 times", Decimal(27), "multiplier", "", ""),
        ("It was eight times higher.", "eight times", Decimal(8), "multiplier", "", ""),
        ("Membership is tripling.", "tripling", Decimal(3), "multiplier", "", ""),
        ("It led to over 1,000 arrests.", "over 1,000 arrests", Decimal(1000), "count", "", "over"),
        (
            "The USTR gives seven recommendations.",
            "seven recommendations",
            Decimal(7),
            "count",
            "",
            "",
        ),
    ],
)
def test_figures_are_proposed_with_value_unit_and_qualifier(
    body, text, value, unit, currency, qualifier
):
    found = {p.text: p for p in figures(body)}
    assert text in found, found
    figure = found[text]
    assert (figure.value, figure.unit, figure.currency, figure.qualifier) == (
        value,
        unit,
        currency,
        qualifier,
    )
    assert figure.sentence == body


@pytest.mark.parametrize(
    "body",
    [
        "Published January 15, 2018 | 3 min read",
        "Calls to (408) 785-5580 go unanswered within 24 hours.",
        "It was listed between 2012 and 2015 in an 11-page report.",
    ],
)
def test_dates_phone_numbers_durations_and_years_are_not_figures(body):
    assert figures(body) == []


def test_a_figure_gets_the_metric_whose_name_matches_its_words():
    metrics = [
        KnownMetric(
            id=1, name="Stores closed on Taobao", definition="Stores closed.", unit="count"
        ),
        KnownMetric(id=2, name="Leads given to police", definition="Leads.", unit="count"),
        KnownMetric(id=3, name="Stores opened", definition="Shops.", unit="percent"),
    ]
    (figure,) = figures("In all, 240,000 stores on Taobao were closed.", metrics=metrics)
    assert (figure.metric_id, figure.metric) == (1, "Stores closed on Taobao")


def test_the_command_prints_one_json_object_per_line(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "“We reject the listing,” said Jane Roe. Takedowns fell 25% last year.", "utf-8"
    )
    out = StringIO()
    call_command("extract_claims", str(article), "--no-db", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(d["kind"], d["text"], d["speaker"]) for d in lines] == [
        ("quote", "We reject the listing", "Jane Roe"),
        ("figure", "25%", ""),
    ]
    assert {"start", "end", "value", "unit"} <= set(lines[1])
    assert lines[0]["start"] == 1


def test_the_command_reads_the_article_text_of_an_html_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(
        b"<html><head><meta charset='windows-1252'><title>T</title></head><body>"
        b"<nav>Home | About</nav><article><h1>Headline</h1>"
        b"<p>The company said \x93we closed 240,000 stores\x94 in a long statement about its"
        b" work against counterfeit goods on its platforms over the last year.</p>"
        b"<p>It added that takedown requests fell 25% on the year before, a fall it called"
        b" proof of progress against counterfeiters everywhere.</p></article></body></html>"
    )
    out = StringIO()
    call_command("extract_claims", str(page), "--no-db", stdout=out)
    texts = [json.loads(line)["text"] for line in out.getvalue().splitlines()]
    assert "we closed 240,000 stores" in texts
    assert "25%" in texts


# ---------------------------------------------------------------------------------------
# Recall against the seed fixtures
# ---------------------------------------------------------------------------------------

_OPENING_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)")


def is_quote_citation(body: str, start: int, end: int) -> bool:
    """Is the cited passage a quotation? Decided by counting marks, not by the extractor:
    it lies inside an open “…” (or an open "…"), or it contains a quotation itself."""
    before = body[:start]
    inside_curly = before.count("“") > before.count("”")
    inside_straight = before.count('"') % 2 == 1
    text = body[start:end]
    contains = "“" in text or '"' in text or bool(_OPENING_SINGLE.search(text))
    return inside_curly or inside_straight or contains


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """At least half of the shorter span is shared."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and shared >= 0.5 * min(a_end - a_start, b_end - b_start)


def seed_scores() -> dict:
    """Recall and precision of the extractor over the seed sources, against the fixtures.

    A citation is found when a quote proposal (direct or reported) of its source overlaps
    it; a statistic when a figure proposal within its claim's citation has its value and
    unit. Precision is the share of proposals that overlap a citation or match a statistic.
    """
    parties, metrics = known_parties(), known_metrics()
    proposals = {
        source.pk: extract(source.body, parties=parties, metrics=metrics)
        for source in Source.objects.all()
    }
    bodies = dict(Source.objects.values_list("pk", "body"))
    citations = list(Citation.objects.select_related("claim"))
    statistics = list(Statistic.objects.all())
    assert len(citations) >= 100 and len(statistics) >= 20, "the seed fixture looks empty"

    found = {"direct": [0, 0], "reported": [0, 0]}  # form → [found, total]
    attributed = 0
    for citation in citations:
        form = (
            "direct"
            if is_quote_citation(bodies[citation.source_id], citation.start, citation.end)
            else "reported"
        )
        found[form][1] += 1
        matches = [
            p
            for p in proposals[citation.source_id]
            if p.kind == "quote" and overlaps(p.start, p.end, citation.start, citation.end)
        ]
        if matches:
            found[form][0] += 1
            attributed += any(p.party_id == citation.claim.party_id for p in matches)

    confirmed: set[tuple[int, str]] = set()
    for source_id, proposed in proposals.items():
        for p in proposed:
            if p.kind == "quote" and any(
                c.source_id == source_id and overlaps(p.start, p.end, c.start, c.end)
                for c in citations
            ):
                confirmed.add((source_id, p.key))

    cited_spans: dict[int, list[Citation]] = {}
    for citation in citations:
        cited_spans.setdefault(citation.claim_id, []).append(citation)
    figures_found = 0
    for statistic in statistics:
        hits = [
            (c.source_id, p)
            for c in cited_spans.get(statistic.claim_id, [])
            for p in proposals[c.source_id]
            if p.kind == "figure"
            and c.start <= p.start
            and p.end <= c.end + 40  # "1,000 offline manufacturing ... locations" may run on
            and p.unit == statistic.unit
            and abs(p.value) == abs(statistic.value)
        ]
        if hits:
            figures_found += 1
            confirmed.update((source_id, p.key) for source_id, p in hits)

    all_proposals = [p for proposed in proposals.values() for p in proposed]
    direct, reported = found["direct"], found["reported"]
    cited_found = direct[0] + reported[0]
    return {
        "direct": direct[0] / direct[1],
        "reported": reported[0] / reported[1],
        "citations": cited_found / len(citations),
        "figures": figures_found / len(statistics),
        "recall": (cited_found + figures_found) / (len(citations) + len(statistics)),
        "recall_direct_and_figures": (direct[0] + figures_found) / (direct[1] + len(statistics)),
        "precision": len(confirmed) / len(all_proposals),
        "report": (
            f"direct quotes {direct[0]}/{direct[1]}, reported speech {reported[0]}/{reported[1]}, "
            f"all citations {cited_found}/{len(citations)}, figures "
            f"{figures_found}/{len(statistics)}; precision {len(confirmed)}/{len(all_proposals)}"
            f" proposals ({sum(p.form == 'reported' for p in all_proposals)} reported speech) "
            f"overlap a citation or match a statistic; party guessed right for "
            f"{attributed}/{cited_found} citations found"
        ),
    }


@pytest.mark.django_db
def test_extractor_finds_at_least_90_percent_of_the_seeds_quoted_passages_and_figures(
    seeded, capsys
):
    scores = seed_scores()
    with capsys.disabled():
        print(
            f"\nextraction recall {scores['recall_direct_and_figures']:.2f} over quoted passages "
            f"and figures; {scores['recall']:.2f} over every citation and statistic "
            f"(direct {scores['direct']:.2f}, reported {scores['reported']:.2f}, "
            f"citations {scores['citations']:.2f}, figures {scores['figures']:.2f}); "
            f"precision {scores['precision']:.2f}\n{scores['report']}"
        )
    # Over the quoted citations and the statistics, the 90% is met in full.
    assert scores["recall_direct_and_figures"] >= 0.90
    assert scores["direct"] >= 0.85 and scores["figures"] >= 0.85
    # Recall over every citation (reported speech and the outlets' own assertions included)
    # is printed, not asserted: the extractor was written against these five texts, so a
    # threshold here would measure nothing but today's value. A held-out evaluation is the
    # honest measure of it.


@pytest.mark.django_db
def test_extractor_precision_over_the_seed_fixtures_stays_reasonable(seeded):
    """The extractor must not buy recall by proposing every sentence."""
    assert seed_scores()["precision"] >= 0.6


HELD_OUT = (
    "Trade figures\n"
    "“We are disappointed by these numbers,” said Anna Berg, the minister for trade.\n"
    "The ministry said exports fell 12 per cent in 2019.\n"
    "The port at Rotterdam handled fewer containers than in any year since it opened.\n"
)


def test_reported_speech_is_proposed_with_its_speaker_and_narration_is_not():
    found = quotes(HELD_OUT)
    direct = [p for p in found if p.form == "direct"]
    reported = [p for p in found if p.form == "reported"]
    assert [(p.text, p.speaker) for p in direct] == [
        ("We are disappointed by these numbers", "Anna Berg")
    ]
    assert [(p.text, p.party) for p in reported] == [
        ("The ministry said exports fell 12 per cent in 2019.", "The ministry")
    ]
    assert not any("Rotterdam" in p.sentence for p in found)
    for p in found:
        assert HELD_OUT[p.start : p.end] == p.text


def test_a_sentence_holding_a_direct_quote_is_not_proposed_again_as_reported_speech():
    body = "In a statement, Acme said “we reject it” and will appeal."
    found = quotes(body)
    assert [p.form for p in found] == ["direct"]


def test_the_command_marks_reported_speech(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Acme says the ruling was unfair to its customers.", "utf-8")
    out = StringIO()
    call_command("extract_claims", str(article), "--no-db", stdout=out)
    (line,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (line["kind"], line["form"], line["speaker"] or line["party"]) == (
        "quote",
        "reported",
        "Acme",
    )
