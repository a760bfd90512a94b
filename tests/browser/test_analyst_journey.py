"""An Analyst's whole journey with an article about a new dispute: the dispute built, a
quote from a party new to the database, a figure with its period, a repeated quote recorded
as a second citation of its claim, and all of it on the public pages."""

import datetime
import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from claims.models import Claim, Dispute, Metric, Party
from sources.dates import DatePrecision
from sources.models import Source
from tests.browser.admin_session import log_in, make_analyst
from tests.factories import make_claim, make_metric, make_party, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISPUTE_BUILDING = importlib.import_module("claims.migrations.0007_analysts_build_disputes")
REPEATED = "Inspections have doubled while seizures have not grown at all"
MINISTRY_QUOTE = "Inspections at the border follow international practice"
TITLE = "Port inspections slow cargo, shippers say"
ARTICLE = (
    "The Harbor Ports Authority inspected 48,000 containers in 2018, its annual report "
    "shows.\n"
    f"“{MINISTRY_QUOTE},” the Ministry of Commerce said in a statement.\n"
    f"“{REPEATED},” the Coastal Shipping Alliance said."
)
DISPUTE = "Do port inspections stop fakes?"
POINT = "Do inspections keep fakes off the shelves?"


@pytest.fixture
def world(django_user_model):
    make_analyst(django_user_model)  # first: it makes the roles the grant adds to
    DISPUTE_BUILDING.grant(apps, None)
    authority = make_party(
        name="Harbor Ports Authority", slug="harbor-ports-authority", kind="government_agency"
    )
    alliance = make_party(
        name="Coastal Shipping Alliance", slug="coastal-shipping-alliance", kind="trade_association"
    )
    earlier = make_source(
        title="Shippers protest port checks",
        body=f"“{REPEATED},” the Coastal Shipping Alliance said on Monday.",
        published_on=datetime.date(2019, 5, 2),
        published_precision=DatePrecision.DAY,
    )
    repeated = make_claim(
        party=alliance, source=earlier, quote=REPEATED, summary="Alliance: inspections doubled"
    )
    metric = make_metric(
        name="Containers inspected at Harbor ports",
        slug="containers-inspected",
        definition="Containers the Harbor Ports Authority opened for inspection in a year.",
        unit=Metric.Unit.COUNT,
    )
    return {"authority": authority, "alliance": alliance, "repeated": repeated, "metric": metric}


def choose(page: Page, field_id: str, text: str) -> None:
    """Pick a value in an autocomplete (select2) field, which asks the server as one types."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def open_proposal(page: Page, passage: str, kind: str) -> None:
    row = page.locator(f"tr.cp-proposal-{kind}", has_text=passage)
    row.get_by_role("link", name="Accept", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept a proposed")


def save(page: Page, message: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(message)


def test_an_analyst_builds_a_dispute_from_a_new_article_and_readers_find_it_all(
    page: Page, live_server, world
):
    base = live_server.url
    log_in(page, base, "ana")

    # The article, pasted.
    page.goto(f"{base}/admin/sources/source/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_url", "https://trade.example.com/port-inspections")
    page.fill("#id_published_on", "2019-06-03")
    page.fill("#id_body", ARTICLE)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get(title=TITLE)

    # The dispute, with two sides and a point.
    page.goto(f"{base}/admin/claims/dispute/add/")
    page.fill("#id_title", DISPUTE)
    for n, (party, stance) in enumerate(
        [("Harbor Ports Authority", "Inspections work"), ("Coastal Shipping Alliance", "A burden")]
    ):
        page.locator("#sides-group").get_by_role("button", name="Add another").click()
        choose(page, f"id_sides-{n}-party", party)
        page.fill(f"#id_sides-{n}-stance", stance)
        page.fill(f"#id_sides-{n}-order", str(n + 1))
    page.locator("#points-group").get_by_role("button", name="Add another").click()
    page.fill("#id_points-0-question", POINT)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    dispute = Dispute.objects.get(title=DISPUTE)
    assert dispute.sides.count() == 2 and dispute.points.count() == 1
    point_label = f"{DISPUTE} — {POINT}"

    proposals = f"{base}/admin/sources/source/{source.pk}/proposals/"

    # A quote from a party the database does not know: added inline.
    page.goto(proposals)
    open_proposal(page, MINISTRY_QUOTE, "quote")
    page.fill("#id_new_party_name", "Ministry of Commerce")
    page.select_option("#id_new_party_kind", label="Government agency")
    page.fill("#id_summary", "Ministry of Commerce: inspections follow international practice")
    page.select_option("#id_point", label=point_label)
    page.select_option("#id_side", label=f"{DISPUTE} — Harbor Ports Authority")
    save(page, "created, citing this source")
    ministry = Party.objects.get(name="Ministry of Commerce")
    said = Claim.objects.get(party=ministry)

    # A figure, with its period.
    page.goto(proposals)
    open_proposal(page, "48,000 containers", "figure")
    # "its annual report shows" names no speaker the extractor is sure of (it leaves the
    # party empty rather than guess), so the analyst picks the authority.
    if not page.locator("#id_party").input_value():
        choose(page, "id_party", "Harbor Ports Authority")
    page.fill("#id_period_label", "2018")
    page.fill("#id_period_start", "2018-01-01")
    page.fill("#id_period_end", "2018-12-31")
    page.select_option("#id_point", label=point_label)
    save(page, "created, citing this source")
    counted = Claim.objects.get(statistics__metric=world["metric"])
    assert counted.statistics.get().period_label == "2018"
    assert counted.party == world["authority"]

    # A quote that repeats a recorded claim: citing that claim is the default.
    page.goto(proposals)
    expect(page.locator("tr.cp-proposal-quote", has_text=REPEATED)).to_contain_text(
        f"Repeats claim #{world['repeated'].pk}"
    )
    open_proposal(page, REPEATED, "quote")
    expect(page.get_by_label(f"Add as a citation of claim #{world['repeated'].pk}")).to_be_checked()
    page.select_option("#id_point", label=point_label)
    save(page, "reported by 2 sources")
    assert Claim.objects.count() == 3  # no duplicate

    # The public dispute page: every claim in its side's column.
    page.goto(f"{base}{dispute.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(DISPUTE)
    expect(page.locator(f"#claim-{said.pk}")).to_contain_text(MINISTRY_QUOTE)
    expect(page.locator(f"#claim-{counted.pk}")).to_contain_text(counted.summary)
    expect(page.locator(f"#claim-{world['repeated'].pk}")).to_contain_text(REPEATED)

    # The repeated claim, reported by both sources.
    page.goto(f"{base}{world['repeated'].get_absolute_url()}")
    expect(page.get_by_text("Reported by 2 sources")).to_be_visible()

    # The metric page: the value with its period and source.
    page.goto(f"{base}{world['metric'].get_absolute_url()}")
    row = page.locator("#values-table tbody tr", has_text="48,000")
    expect(row).to_contain_text("2018")
    expect(row).to_contain_text(TITLE)

    # The new party's page.
    page.goto(f"{base}{ministry.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ministry of Commerce")
    expect(page.get_by_text(said.summary)).to_be_visible()

    # The source page marks all three passages.
    page.goto(f"{base}{source.get_absolute_url()}")
    for claim in (said, counted, world["repeated"]):
        citation = claim.citations.get(source=source)
        expect(page.locator(f"mark#citation-{citation.pk}")).to_contain_text(citation.quote[:20])
