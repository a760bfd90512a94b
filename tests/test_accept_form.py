"""The accept form, one proposal at a time: its draft summary, the figures of its sentence,
a party new to the database, the period, and when the statement was made."""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from claims.accepting.drafting import statement_dating
from claims.accepting.forms import ProposalForm
from claims.extraction.types import Proposal
from claims.models import Claim, Party, Statistic
from claims.services import source_proposals
from sources.dates import DatePrecision
from tests.factories import make_metric, make_party, make_source

pytestmark = pytest.mark.django_db

BODY = (
    "Meridian Motors results\n"
    "• Recalled vehicles fell 42% in 2017, while warranty claims rose 12% and dealer "
    "complaints fell 8%.\n"
    "“We fixed the brakes on every car we sold,” Meridian Motors said in March 2017.\n"
    "“Nobody was hurt,” said Ana Silva."
)
BRAKES = "We fixed the brakes on every car we sold"
FIGURE_SENTENCE = (
    "Recalled vehicles fell 42% in 2017, while warranty claims rose 12% and dealer "
    "complaints fell 8%."
)


@pytest.fixture
def meridian():
    return make_party(name="Meridian Motors", slug="meridian-motors")


@pytest.fixture
def source(meridian):
    return make_source(
        title="Meridian Motors results",
        body=BODY,
        published_on=datetime.date(2018, 1, 15),
        published_precision=DatePrecision.DAY,
    )


@pytest.fixture
def metric():
    return make_metric(name="Change in recalled vehicles", unit="percent")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def item(source, text):
    return next(i for i in source_proposals(source=source) if i.proposal.text == text)


def url(source, text):
    key = item(source, text).proposal.key
    return reverse("admin:sources_source_accept_proposal", args=[source.pk, key])


def figure_post(metric, meridian, **extra):
    return {
        "action": "new",
        "summary": "Meridian Motors: recalled vehicles 42% lower in 2017",
        "kind": "statistic",
        "party": meridian.pk,
        "claimed_on": "2018-01-15",
        "quote": FIGURE_SENTENCE,
        "metric": metric.pk,
        "value": "-42",
        "unit": "percent",
        **extra,
    }


def test_each_figure_of_a_sentence_gets_its_own_summary_without_the_list_bullet(
    admin_client, source
):
    summaries = [
        admin_client.get(url(source, text)).context["form"].initial["summary"]
        for text in ("42%", "12%", "8%")
    ]
    # The bullet names no speaker (the heading is not an attribution), so no party is put
    # in front of the summaries.
    assert summaries == [
        "Recalled vehicles fell 42% in 2017",
        "Warranty claims rose 12%",
        "Dealer complaints fell 8%",
    ]


def test_accepting_one_figure_leaves_the_other_figures_of_its_sentence_open(
    admin_client, source, metric, meridian
):
    response = admin_client.post(url(source, "42%"), figure_post(metric, meridian))
    assert response.status_code == 302, response.context["form"].has_errors
    accepted = {i.proposal.text: i.is_accepted for i in source_proposals(source=source)}
    assert (accepted["42%"], accepted["12%"], accepted["8%"]) == (True, False, False)
    listing = admin_client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert "1 already cited by a claim" in listing.text
    assert admin_client.get(url(source, "12%")).context["form"].figure_forms[0].optional is False


def test_several_figures_of_one_sentence_are_recorded_on_one_claim_at_once(
    admin_client, source, metric, meridian
):
    warranty = make_metric(name="Change in warranty claims", unit="percent")
    twelve = item(source, "12%").proposal.key
    page = admin_client.get(url(source, "42%"))
    assert [f.proposal.text for f in page.context["form"].figure_forms] == ["42%", "12%", "8%"]
    response = admin_client.post(
        url(source, "42%"),
        figure_post(
            metric,
            meridian,
            **{
                f"also-{twelve}-include": "on",
                f"also-{twelve}-metric": warranty.pk,
                f"also-{twelve}-value": "12",
                f"also-{twelve}-unit": "percent",
                f"also-{twelve}-period_label": "2017",
            },
        ),
    )
    assert response.status_code == 302, response.context["form"].has_errors
    claim = Claim.objects.get()
    assert sorted(s.value for s in claim.statistics.all()) == [Decimal(-42), Decimal(12)]
    accepted = {i.proposal.text: i.is_accepted for i in source_proposals(source=source)}
    assert (accepted["42%"], accepted["12%"], accepted["8%"]) == (True, True, False)


def test_an_unticked_figure_of_the_sentence_is_neither_checked_nor_saved(
    admin_client, source, metric, meridian
):
    twelve = item(source, "12%").proposal.key
    response = admin_client.post(
        url(source, "42%"),
        figure_post(metric, meridian, **{f"also-{twelve}-value": "not a number"}),
    )
    assert response.status_code == 302
    assert Statistic.objects.count() == 1


def test_the_period_its_dates_and_a_scope_note_are_saved_with_the_figure(
    admin_client, source, metric, meridian
):
    response = admin_client.post(
        url(source, "42%"),
        figure_post(
            metric,
            meridian,
            period_label="2017",
            period_start="2017-01-01",
            period_end="2017-12-31",
            scope_note="Passenger cars only.",
        ),
    )
    assert response.status_code == 302, response.context["form"].has_errors
    statistic = Statistic.objects.get()
    assert (statistic.period_label, statistic.period_start, statistic.period_end) == (
        "2017",
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
    )
    assert statistic.scope_note == "Passenger cars only."


def test_a_period_that_ends_before_it_starts_is_refused(admin_client, source, metric, meridian):
    response = admin_client.post(
        url(source, "42%"),
        figure_post(metric, meridian, period_start="2017-12-31", period_end="2017-01-01"),
    )
    assert "The period cannot end before it starts." in response.text
    assert not Claim.objects.exists()


def quote_post(**extra):
    return {
        "action": "new",
        "summary": "Nobody was hurt, says the board",
        "kind": "assertion",
        "claimed_on": "2018-01-15",
        "quote": "Nobody was hurt",
        **extra,
    }


def test_a_quote_from_a_new_party_creates_the_party_with_its_kind_and_affiliation(
    admin_client, source, meridian
):
    response = admin_client.post(
        url(source, "Nobody was hurt"),
        quote_post(
            party="",
            new_party_name="  Ana   Silva ",
            new_party_kind="individual",
            new_party_affiliation=meridian.pk,
        ),
    )
    assert response.status_code == 302, response.context["form"].has_errors
    ana = Party.objects.get(name="Ana Silva")
    assert (ana.kind, ana.affiliation, ana.slug) == ("individual", meridian, "ana-silva")
    assert Claim.objects.get().party == ana
    assert admin_client.get(ana.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"new_party_name": "Road Safety Board"}, "new_party_kind", "Say what kind of party"),
        (
            {"new_party_name": "meridian motors", "new_party_kind": "company"},
            "new_party_name",
            "A party of that name exists: choose it.",
        ),
        ({}, "party", "Choose the party, or add a new one."),
    ],
)
def test_a_new_party_needs_a_kind_and_a_name_not_taken(
    admin_client, source, meridian, extra, field, message
):
    response = admin_client.post(url(source, "Nobody was hurt"), quote_post(party="", **extra))
    assert message in response.context["form"].errors[field][0]
    assert Party.objects.count() == 1 and not Claim.objects.exists()


def test_a_party_and_a_new_party_at_once_are_refused(admin_client, source, meridian):
    response = admin_client.post(
        url(source, "Nobody was hurt"),
        quote_post(party=meridian.pk, new_party_name="Board", new_party_kind="company"),
    )
    assert "not both" in response.context["form"].errors["new_party_name"][0]


def test_adding_a_party_needs_permission_to_add_parties(source, meridian, django_user_model):
    user = django_user_model.objects.create_user("lim", password="pw-limited-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_source", "add_claim", "add_citation"])
    )
    client = Client()
    client.force_login(user)
    response = client.post(
        url(source, "Nobody was hurt"),
        quote_post(party="", new_party_name="Road Safety Board", new_party_kind="watchdog"),
    )
    assert response.context["form"].errors["new_party_name"] == [
        "You may not add parties: choose the party from the list."
    ]
    assert not Party.objects.filter(name="Road Safety Board").exists()


@dataclass(frozen=True)
class NewPartyProposal(Proposal):
    """A proposal with the fields the improved extractor adds."""

    new_party: str = ""
    new_party_affiliation: str = ""
    cue: str = ""
    confidence: float | None = None


def test_the_new_party_is_pre_filled_from_the_proposal(source, meridian):
    proposal = NewPartyProposal(
        kind="quote",
        text="Nobody was hurt",
        start=0,
        end=15,
        new_party="Ana Silva",
        new_party_affiliation="Meridian Motors",
    )
    initial = ProposalForm.initial_for(source=source, proposal=proposal)
    assert (initial["new_party_name"], initial["new_party_kind"]) == ("Ana Silva", "individual")
    assert initial["new_party_affiliation"] == meridian.pk
    assert initial["new_speaker"] == ""


def test_the_proposal_shows_why_it_was_attributed_and_how_sure_it_is(
    admin_client, source, monkeypatch
):
    found = [
        NewPartyProposal(**{**p.__dict__, "cue": "said Ana Silva", "confidence": 0.8})
        for p in (i.proposal for i in source_proposals(source=source))
    ]
    monkeypatch.setattr("claims.services.extract", lambda *args, **kwargs: found)
    listing = admin_client.get(reverse("admin:sources_source_proposals", args=[source.pk]))
    assert "Attributed from “said Ana Silva”; confidence 80%" in listing.text
    assert "Attributed from “said Ana Silva”" in admin_client.get(url(source, BRAKES)).text


def test_claimed_on_defaults_to_the_source_date_with_a_note_when_the_article_dates_it_otherwise(
    admin_client, source
):
    form = admin_client.get(url(source, BRAKES)).context["form"]
    assert form.initial["claimed_on"] == "2018-01-15"
    assert "The article dates this statement “in March 2017”" in form.dating_note
    assert admin_client.get(url(source, "Nobody was hurt")).context["form"].dating_note == ""


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The ministry said on Tuesday it would appeal.", "on Tuesday"),
        ("On Tuesday, the ministry said it would appeal.", "On Tuesday"),
        ("The ministry said in January 2018 it would appeal.", ""),  # the article's month
        ("The ministry said in 2016 that it would appeal.", "in 2016"),
        ("Sales fell 25% in 2016, the ministry said.", ""),  # dates the figure, not the saying
    ],
)
def test_the_date_of_a_statement_is_read_from_its_verb_of_saying(sentence, expected):
    proposal = Proposal(
        kind="quote",
        text=sentence,
        start=0,
        end=len(sentence),
        sentence=sentence,
        form="reported",
    )
    assert statement_dating(proposal, datetime.date(2018, 1, 15), DatePrecision.DAY) == expected


def test_an_edited_quote_not_in_the_source_shows_only_the_field_message(
    admin_client, source, meridian
):
    response = admin_client.post(
        url(source, BRAKES), quote_post(party=meridian.pk, quote="We fixed every car")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["quote"]
    assert form.errors["quote"][0].startswith("The quote is not in the source text.")
    assert "Constraint" not in response.text and "is violated" not in response.text
    assert not Claim.objects.exists()


def test_a_citation_choice_not_offered_is_refused(admin_client, source, meridian):
    response = admin_client.post(url(source, BRAKES), quote_post(party=meridian.pk, action="999"))
    assert list(response.context["form"].errors) == ["action"]
    assert not Claim.objects.exists()


def test_the_summary_of_a_quote_drops_list_markers():
    proposal = Proposal(kind="quote", text="• We fixed it\n– and more", start=0, end=20)
    initial = ProposalForm.initial_for(source=make_source(), proposal=replace(proposal, party="X"))
    assert initial["summary"] == "X: We fixed it and more"
