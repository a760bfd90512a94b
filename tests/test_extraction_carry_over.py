"""Attribution carries across sentences and paragraphs the way reporting does: "she" and
"its" refer to the last person and organisation named in narration, a surname alone to the
full name met before, a title ("the mayor") to the person given it; a description is no
affiliation, and a capitalised common noun is nobody."""

from claims.extraction import extract
from claims.extraction.types import KnownParty, Proposal

PARTIES = [
    KnownParty(id=1, name="Clearspring Waters"),
    KnownParty(id=2, name="Villacorta Irrigation Cooperative"),
    KnownParty(id=3, name="Tarvos Ministry of Commerce"),
    KnownParty(id=4, name="Porthaven City Council"),
    KnownParty(id=5, name="Daniel Okafor", is_person=True, affiliation_id=4),
    KnownParty(id=6, name="Zipride"),
    KnownParty(id=7, name="Agrilon Crop Science"),
]


def reported(body: str) -> dict[str, Proposal]:
    return {p.text: p for p in extract(body, parties=PARTIES) if p.kind == "quote" and p.form}


def party_of(body: str, text: str) -> str:
    found = reported(body)
    assert text in found, list(found)
    return found[text].party or found[text].new_party


def test_its_after_an_organisation_that_opens_a_sentence_is_that_organisation():
    body = (
        "The Villacorta Irrigation Cooperative says the water table has dropped.\n\n"
        "Clearspring sees things differently. Its operations director, Helen Marsh, said the "
        "plant draws less than 4 percent of the water."
    )
    text = (
        "Its operations director, Helen Marsh, said the plant draws less than 4 percent of "
        "the water."
    )
    assert party_of(body, text) == "Clearspring Waters"


def test_she_in_a_later_paragraph_is_the_person_last_named_by_surname_alone():
    # The surname alone ("Telmo") is the full name met first ("Rosa Telmo's family").
    body = (
        "For forty years, Rosa Telmo's family has grown almonds above the village. "
        "Telmo, 58, blames the bottling plant that opened in the valley.\n\n"
        "Helen Marsh, the plant's manager, insisted that the drought had lowered the water.\n\n"
        "Back on the terraces, Telmo has started carrying water from the river. "
        "She said she would give the almonds one more season."
    )
    found = reported(body)
    assert found["She said she would give the almonds one more season."].speaker == "Rosa Telmo"


def test_a_title_before_an_organisation_name_gives_the_person_that_organisation():
    body = (
        "Ministry of Commerce spokesperson Shu Ting said separately that companies had paid "
        "nearly 2.1 billion yuan in extra costs."
    )
    (quote,) = reported(body).values()
    assert (quote.new_party, quote.party_id) == ("Shu Ting", 3)


def test_the_mayors_office_is_the_organisation_of_the_person_called_mayor():
    body = (
        "When Mayor Daniel Okafor announced that Porthaven would charge a levy, he promised it "
        "would clear the streets.\n\n"
        "Councillor Ruth Ames, who voted against the measure, disagreed with him.\n\n"
        "The mayor's office insists the levy will be reviewed after a year."
    )
    assert party_of(body, "The mayor's office insists the levy will be reviewed after a year.") == (
        "Porthaven City Council"
    )
    first = next(iter(reported(body).values()))
    assert first.speaker_id == 5


def test_a_relative_clause_about_a_speaker_is_no_affiliation():
    body = (
        "“Every trip that doesn't happen is money I don't make,” said Amir Haddad, who has "
        "driven for Zipride for six years."
    )
    (quote,) = [p for p in extract(body, parties=PARTIES) if p.kind == "quote"]
    assert (quote.new_party, quote.party) == ("Amir Haddad", "")


def test_a_capitalised_common_noun_and_a_press_release_footer_are_nobody():
    body = (
        "Installers warn that rooftop systems will become more expensive, which installers "
        "deny they want.\n\n"
        "Agrilon stated that the detections were caused by misuse on a few farms.\n\n"
        "About Agrilon Crop Science\nAgrilon Crop Science develops crop protection products."
    )
    found = reported(body)
    first = next(p for t, p in found.items() if t.startswith("Installers"))
    assert not (first.party or first.speaker or first.new_party)
    agrilon = next(p for t, p in found.items() if t.startswith("Agrilon stated"))
    assert (agrilon.party_id, agrilon.speaker) == (7, "")


def test_an_attribution_at_the_end_names_the_speaker_with_their_description():
    body = (
        "Processors in the port of Halvik have hired 300 extra workers since January, "
        "Halvik's mayor, Ines Kral, said."
    )
    (quote,) = reported(body).values()
    assert (quote.new_party, quote.new_party_affiliation) == ("Ines Kral", "Halvik")


def test_he_skips_a_person_the_text_already_called_she():
    body = (
        "Pavel Dorn, the chief negotiator, rejected the criticism. He said the quota was fair."
        "\n\nSigrid Aune, the federation's chair, said her members had lost sales. She said "
        "the fleet could not wait. He added that talks would resume next month."
    )
    found = reported(body)
    assert found["She said the fleet could not wait."].speaker == "Sigrid Aune"
    assert found["He added that talks would resume next month."].speaker == "Pavel Dorn"
