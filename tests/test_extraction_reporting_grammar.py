"""The fourth round's grammar of reporting: an author organisation's "we" and "our", passive
attribution ("it was stressed that", "has been questioned by"), a document's findings
("the figures showed"), "in her view", an organisation's head noun ("the bureau"), a
minister's ministry, a name that ends in a document word, relative clauses with decimals,
auxiliaries after an apposition, and attribution-only stretches after a quote."""

from claims.extraction import extract
from claims.extraction.types import KnownParty, Proposal

PARTIES = [
    KnownParty(id=1, name="Friends of the Marsh"),
    KnownParty(id=2, name="Holt Harbour Board"),
    KnownParty(id=3, name="Ministry of Transport"),
    KnownParty(id=4, name="Oster Fisheries Bureau"),
    KnownParty(id=5, name="Delta Data"),
    KnownParty(id=6, name="Brenn Freight"),
    KnownParty(id=7, name="Regional Grain Association"),
    KnownParty(id=8, name="Oster Ministry of Foreign Affairs"),
]


def quotes(body: str) -> dict[str, Proposal]:
    return {p.text: p for p in extract(body, parties=PARTIES) if p.kind == "quote"}


def party_of(found: dict[str, Proposal], text: str) -> str:
    assert text in found, list(found)
    return found[text].party or found[text].new_party


def test_a_newsletter_signed_by_an_organisation_makes_its_we_and_our_that_organisation():
    body = (
        "Spring newsletter\n\n"
        "We believe the harbour plan ignores the marsh. "
        "Our volunteers counted 1,200 geese on the flats in March.\n\n"
        "\u201cThe marsh cannot be replaced,\u201d said Dr Ada Lim, our treasurer.\n\n"
        "The Holt Harbour Board says the work is needed.\n\n"
        "With thanks,\nThe Friends of the Marsh team"
    )
    found = quotes(body)
    assert (
        party_of(found, "We believe the harbour plan ignores the marsh.") == "Friends of the Marsh"
    )
    own = "Our volunteers counted 1,200 geese on the flats in March."
    assert party_of(found, own) == "Friends of the Marsh"
    assert party_of(found, "The marsh cannot be replaced") == "Friends of the Marsh"
    assert found["The marsh cannot be replaced"].speaker == "Ada Lim"
    assert (
        party_of(found, "The Holt Harbour Board says the work is needed.") == "Holt Harbour Board"
    )
    geese = next(p for p in extract(body, parties=PARTIES) if p.kind == "figure")
    assert geese.party == "Friends of the Marsh"


def test_without_a_signature_we_in_narration_is_no_author():
    body = "We spoke to both sides. The Holt Harbour Board says the work is needed."
    found = quotes(body)
    assert "We spoke to both sides." not in found


def test_it_was_stressed_that_is_the_speaker_just_before_and_it_is_believed_is_nobody():
    body = (
        "At a press conference on Tuesday, Foreign Ministry spokesperson Mei Ren said the "
        "quota had no legal basis.\n\n"
        "It was stressed at the press conference that Oster would defend its fishermen.\n\n"
        "It is widely believed in Oster that the quota favours the other fleet.\n\n"
        "This claim has been questioned by foreign scholars."
    )
    found = quotes(body)
    stressed = "It was stressed at the press conference that Oster would defend its fishermen."
    assert party_of(found, stressed) == "Oster Ministry of Foreign Affairs"
    believed = "It is widely believed in Oster that the quota favours the other fleet."
    assert party_of(found, believed) == ""
    assert party_of(found, "This claim has been questioned by foreign scholars.") == ""


def test_a_documents_findings_belong_to_its_author_and_a_name_ending_in_data_is_a_name():
    body = (
        "Grain exports fell 4.1% in May, according to the Regional Grain Association.\n\n"
        "The association's figures, released on Friday, showed 81,000 tonnes were shipped.\n\n"
        "According to Delta Data, rail freight rose 2% in the same month."
    )
    found = quotes(body)
    shown = "The association's figures, released on Friday, showed 81,000 tonnes were shipped."
    assert party_of(found, shown) == "Regional Grain Association"
    delta = "According to Delta Data, rail freight rose 2% in the same month."
    assert party_of(found, delta) == "Delta Data"


def test_the_head_noun_of_an_organisations_name_refers_to_it():
    body = (
        "The Oster Fisheries Bureau published its catch figures on Monday.\n\n"
        "The bureau said the ban would cost the coast nearly 90 million euros a year."
    )
    text = "The bureau said the ban would cost the coast nearly 90 million euros a year."
    assert party_of(quotes(body), text) == "Oster Fisheries Bureau"


def test_a_field_minister_belongs_to_the_known_ministry_of_that_field():
    body = "Transport Minister Jan Kors said on Wednesday that he supported tolls."
    found = quotes(body)
    assert party_of(found, body) == "Ministry of Transport"


def test_in_her_view_is_the_woman_last_named():
    body = (
        "Lena Brandt, a spokeswoman for Brenn Freight, said the tolls were unfair. "
        "In her view, the ministry has ignored small hauliers."
    )
    found = quotes(body)
    assert party_of(found, "In her view, the ministry has ignored small hauliers.") == (
        "Brenn Freight"
    )


def test_a_relative_clause_with_a_decimal_and_an_auxiliary_after_an_apposition():
    body = (
        "Brenn Freight, which moves about 1.5 million containers a year, said it would appeal. "
        "Its chairman, Olaf Berg, has said the company will not pay."
    )
    found = quotes(body)
    relative = (
        "Brenn Freight, which moves about 1.5 million containers a year, said it would appeal."
    )
    assert party_of(found, relative) == "Brenn Freight"
    assert party_of(found, "Its chairman, Olaf Berg, has said the company will not pay.") == (
        "Brenn Freight"
    )


def test_the_words_that_only_say_where_a_quote_was_said_are_not_reported_speech():
    body = "\u201cThis was no accident. It was a decision,\u201d Olaf Berg told a hearing in Holt."
    assert not [t for t, p in quotes(body).items() if p.form == "reported"]


def test_a_part_of_the_year_without_a_year_is_the_articles_year_once_it_has_ended():
    from datetime import date

    from claims.extraction.periods import period_for

    sentence = "Exports fell 7.4% in the second quarter."
    assert period_for(sentence, 13, [], date(2024, 7, 12)).label == "second quarter of 2024"
    # Not over by the article's date: the year before, as "the second quarter" would mean.
    assert period_for(sentence, 13, [], date(2024, 5, 2)).label == "second quarter of 2023"
    half = "Sales fell 3% in the first half of the year."
    assert period_for(half, 11, [], date(2024, 7, 12)).label == "first half of 2024"
