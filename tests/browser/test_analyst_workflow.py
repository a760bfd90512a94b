"""An analyst turns a new article into cited claims, and readers find them on the site."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Citation, Claim, Metric, Party
from sources.models import Source
from tests.browser.admin_session import log_in, make_analyst
from tests.factories import make_dispute, make_metric, make_party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Acme closes 12,000 stores in counterfeit crackdown"
ARTICLE = (
    "Acme says it closed 12,000 stores last year in its crackdown on counterfeit sellers.\n"
    "“We have closed more fake shops than anyone in the industry,” said Jane Roe, "
    "the company’s chief executive officer.\n"
    "Critics were unconvinced. “Closing shops is not the same as stopping fakes,” "
    "the Watchdog Group said in a statement."
)
FIRST_QUOTE = "We have closed more fake shops than anyone in the industry"
SECOND_QUOTE = "Closing shops is not the same as stopping fakes"


@pytest.fixture
def world(django_user_model):
    acme = make_party(name="Acme", slug="acme", kind=Party.Kind.COMPANY)
    make_party(name="Jane Roe", slug="jane-roe", kind=Party.Kind.INDIVIDUAL, affiliation=acme)
    watchdog = make_party(name="Watchdog Group", slug="watchdog-group", kind="watchdog")
    dispute = make_dispute(
        title="Is Acme doing enough against fakes?",
        slug="acme-fakes",
        parties=(acme, watchdog),
    )
    make_metric(
        name="Stores closed by Acme",
        slug="stores-closed-by-acme",
        definition="Number of stores Acme closed for selling fakes in a year.",
        unit=Metric.Unit.COUNT,
    )
    make_analyst(django_user_model)
    return {"acme": acme, "watchdog": watchdog, "dispute": dispute, "point": dispute.points.get()}


def accept(
    page: Page, passage: str, *, summary: str, point: str | None = None, kind: str = "quote"
) -> None:
    row = page.locator(f"tr.cp-proposal-{kind}", has_text=passage)
    row.get_by_role("link", name="Accept", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept a proposed")
    page.fill("#id_summary", summary)
    if point:
        page.select_option("#id_point", label=point)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"Claim “{summary}” created")


def test_analyst_adds_an_article_accepts_proposals_and_readers_find_the_claims(
    page: Page, live_server, world
):
    base = live_server.url
    point_label = f"{world['dispute'].title} — {world['point'].question}"

    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/admin/login/?next=/admin/")
    log_in(page, base, "ana")

    # Add the article by pasting its text.
    page.goto(f"{base}/admin/sources/source/add/")
    page.fill("#id_title", TITLE)
    page.press("#id_title", "Tab")
    expect(page.locator("#id_slug")).to_have_value(
        "acme-closes-12000-stores-in-counterfeit-crackdown"
    )
    page.fill("#id_url", "https://news.example.org/acme-closes-stores")
    page.fill("#id_published_on", "2018-03-05")
    page.fill("#id_body", ARTICLE)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(title=TITLE)
    assert source.body == ARTICLE

    # Its proposals: two quotes and a figure, attributed from the text.
    page.get_by_role("link", name="Proposals").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposed quotes and figures")
    expect(page.locator("tr.cp-proposal-quote.cp-form-direct")).to_have_count(2)
    expect(page.locator("tr.cp-proposal", has_text=FIRST_QUOTE)).to_contain_text("Jane Roe, Acme")
    expect(page.locator("tr.cp-proposal", has_text=SECOND_QUOTE)).to_contain_text("Watchdog Group")
    expect(page.locator("tr.cp-proposal-figure mark")).to_have_text("12,000 stores")

    accept(
        page,
        FIRST_QUOTE,
        summary="Acme says it has closed more fake shops than anyone",
        point=point_label,
    )
    accept(
        page,
        SECOND_QUOTE,
        summary="Watchdog Group says closing shops does not stop fakes",
        point=point_label,
    )
    accept(
        page, "12,000 stores", summary="Acme says it closed 12,000 stores last year", kind="figure"
    )
    expect(page.locator("tr.cp-accepted.cp-form-direct")).to_have_count(2)
    expect(page.locator("tr.cp-accepted.cp-proposal-figure")).to_have_count(1)

    first = Claim.objects.get(summary="Acme says it has closed more fake shops than anyone")
    second = Claim.objects.get(summary="Watchdog Group says closing shops does not stop fakes")
    figure = Claim.objects.get(summary="Acme says it closed 12,000 stores last year")
    assert (first.party, first.speaker.name) == (world["acme"], "Jane Roe")
    assert second.party == world["watchdog"]
    assert figure.statistics.get().value == 12000
    assert figure.statistics.get().metric.name == "Stores closed by Acme"
    for citation in Citation.objects.filter(source=source):
        assert source.body[citation.start : citation.end] == citation.quote

    # The dispute page shows both quotes in their sides' columns.
    page.goto(f"{base}/disputes/acme-fakes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["dispute"].title)
    expect(page.locator(f"#claim-{first.pk}")).to_contain_text(first.summary)
    expect(page.locator(f"#claim-{first.pk}")).to_contain_text(FIRST_QUOTE)
    expect(page.locator(f"#claim-{second.pk}")).to_contain_text(SECOND_QUOTE)

    # Acme's page lists its claims, the quote and the figure.
    page.goto(f"{base}/parties/acme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    expect(page.get_by_text(first.summary)).to_be_visible()
    expect(page.get_by_text(figure.summary)).to_be_visible()

    # The source page highlights every accepted passage.
    page.goto(f"{base}/sources/{source.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    for claim, text in ((first, FIRST_QUOTE), (second, SECOND_QUOTE)):
        citation = claim.citations.get()
        expect(page.locator(f"mark#citation-{citation.pk}")).to_have_text(text)
    figure_citation = figure.citations.get()
    expect(page.locator(f"mark#citation-{figure_citation.pk}")).to_contain_text("12,000 stores")
