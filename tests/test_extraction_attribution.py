"""The extractor attributes quotes and figures from the grammar of reporting, says why and
how sure it is, proposes speakers the database does not know as new parties, and reads
signs, qualifiers, rates, second currencies, pairs and periods from the words."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from claims.extraction import extract
from claims.extraction.types import KnownMetric, KnownParty, Proposal

PARTIES = [
    KnownParty(id=1, name="National Road Safety Agency"),
    KnownParty(id=2, name="Michael Osei", is_person=True, affiliation_id=1),
    KnownParty(id=3, name="Meridian Motors"),
]


def quotes(body: str, **kwargs) -> list[Proposal]:
    return [p for p in extract(body, parties=PARTIES, **kwargs) if p.kind == "quote"]


def figure(body: str, text: str, **kwargs) -> Proposal:
    found = {p.text: p for p in extract(body, parties=PARTIES, **kwargs) if p.kind == "figure"}
    assert text in found, found
    return found[text]


def test_a_short_given_name_and_a_title_resolve_to_the_known_person_and_their_party():
    body = "“It was too late,” said Mike Osei, the agency’s director of vehicle safety."
    (quote,) = quotes(body)
    assert (quote.speaker_id, quote.party_id) == (2, 1)
    assert quote.cue.startswith("said Mike Osei") and 0 < quote.confidence <= 1


def test_an_unknown_speaker_is_proposed_as_a_new_party_with_their_organisation():
    body = "“This is a tax,” said Piet van Ommen, director of the Northern Shipping Council."
    (quote,) = quotes(body)
    assert (quote.new_party, quote.new_party_affiliation) == (
        "Piet van Ommen",
        "Northern Shipping Council",
    )
    assert quote.party == "Northern Shipping Council" and quote.party_id is None


def test_a_surname_after_the_first_mention_and_he_added_carry_the_speaker():
    body = (
        "“We will appeal,” said Piet van Ommen of the Northern Shipping Council.\n\n"
        "Van Ommen said the council would file a complaint next week.\n\n"
        "He added: “Our members will look elsewhere.”"
    )
    found = quotes(body)
    assert [q.speaker for q in found] == ["Piet van Ommen"] * 3
    assert {q.party for q in found} == {"Northern Shipping Council"}


def test_the_agency_and_the_company_resolve_to_the_organisation_in_context():
    body = (
        "The National Road Safety Agency published a report on Meridian Motors.\n\n"
        "The agency said the recall came too late. The company said it acted quickly."
    )
    agency, company = [q for q in quotes(body) if q.form == "reported"]
    assert agency.party_id == 1 and company.party_id == 3


def test_the_report_is_not_a_speaker_but_its_author_is():
    body = (
        "The National Road Safety Agency said in a report that brakes wore early.\n\n"
        "According to the report, drivers filed 1,340 complaints."
    )
    reported = [q for q in quotes(body) if q.form == "reported"]
    assert [q.party_id for q in reported] == [1, 1]
    assert figure(body, "1,340 complaints").party_id == 1


def test_a_sentence_that_only_mentions_a_party_is_not_theirs():
    body = "Meridian shares closed 2% lower on Tuesday."
    proposal = figure(body, "2%")
    assert (proposal.value, proposal.party) == (Decimal(-2), "")
    assert quotes(body) == []


def test_vague_subjects_are_left_empty_rather_than_guessed():
    (quote,) = quotes("Some privacy lawyers think the agency went easy on the company.")
    assert (quote.party, quote.new_party) == ("", "")


def test_signs_come_from_the_words_of_the_clause_and_a_level_keeps_its_sign():
    assert figure("Users filed 42% fewer requests.", "42%").value == Decimal(-42)
    assert figure("It will cut trade by as much as 5 percent.", "as much as 5 percent").value == -5
    assert figure("Its share slipped to 11 per cent.", "11 per cent").value == 11
    assert figure("Fewer than 2% were refused.", "Fewer than 2%").qualifier == "under"


def test_a_rate_keeps_its_value_and_its_base():
    proposal = figure("Complaints fell to 0.8 per 10,000 vehicles.", "0.8 per 10,000 vehicles")
    assert (proposal.value, proposal.unit, proposal.rate_base) == (
        Decimal("0.8"),
        "rate",
        Decimal(10000),
    )


def test_money_given_in_two_currencies_is_one_figure_with_both_values():
    found = [p for p in extract("They paid RMB 4.3 billion ($675 million).") if p.kind == "figure"]
    (proposal,) = found
    assert (proposal.value, proposal.currency) == (Decimal(43 * 10**8), "CNY")
    assert (proposal.alt_value, proposal.alt_currency) == (Decimal(675 * 10**6), "USD")


def test_a_pair_gives_two_figures_each_with_its_period():
    body = (
        "The port handled 1.2 million containers last year, "
        "compared with 1.3 million the previous year."
    )
    first = figure(body, "1.2 million containers", published=date(2019, 3, 14))
    second = figure(body, "1.3 million", published=date(2019, 3, 14))
    assert (first.value, first.period, first.period_start) == (
        Decimal(1_200_000),
        "2018",
        date(2018, 1, 1),
    )
    assert (second.value, second.period, second.period_end) == (
        Decimal(1_300_000),
        "2017",
        date(2017, 12, 31),
    )


def test_periods_of_every_kind_are_prefilled():
    body = (
        "Charges reached RMB 4.3 billion from September 2017 to August 2018. "
        "At least 12 ships waited in the first half of 2018. "
        "Three lines left since mid-2017."
    )
    published = date(2019, 3, 20)
    assert figure(body, "RMB 4.3 billion", published=published).period_start == date(2017, 9, 1)
    assert figure(body, "At least 12 ships", published=published).period == "first half of 2018"
    assert figure(body, "Three lines", published=published).period_end == published


def test_each_metric_guess_is_independent_and_empty_rather_than_wrong():
    metrics = [KnownMetric(id=1, name="Brake complaints", unit="count", definition="Complaints.")]
    body = "Drivers filed 1,340 complaints and 900 complaints followed, among 38,000 people."
    found = {p.text: p for p in extract(body, metrics=metrics) if p.kind == "figure"}
    assert found["1,340 complaints"].metric_id == 1
    assert found["900 complaints"].metric_id == 1
    assert found["38,000 people"].metric == ""


def test_the_command_prints_the_new_fields(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("“We reject it,” said Jane Roe of Acme. Sales fell 25% in 2017.", "utf-8")
    out = StringIO()
    call_command("extract_claims", str(article), "--no-db", stdout=out)
    quote, share = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (quote["new_party"], quote["new_party_affiliation"]) == ("Jane Roe", "Acme")
    assert quote["cue"] and quote["confidence"] > 0
    assert (share["value"], share["period"], share["period_start"]) == ("-25", "2017", "2017-01-01")
