"""The admin works under the strict Content-Security-Policy: no violation on its busiest pages."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from claims.models import Claim, Party
from sources.models import Source
from tests.factories import make_party, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "editor-pass-Counterpoint-2026"
BODY = "Acme said on Monday: “We have closed more fake shops than anyone in the industry.”"
QUOTE = "We have closed more fake shops than anyone in the industry"

# Runs in every document before its own scripts; collects what the browser blocked.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture
def csp_page(page: Page):
    """A page that records CSP violations and console errors; the test asserts on both."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        # The admin's pages name no icon, so the browser asks for /favicon.ico: not ours.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            problems.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems  # type: ignore[attr-defined]
    return page


def assert_no_violations(page: Page) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert page.problems == []  # type: ignore[attr-defined]


def log_in(page: Page, base: str, django_user_model) -> None:
    django_user_model.objects.create_superuser(username="ed", password=PASSWORD, email="e@x.org")
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_contain_text("Counterpoint administration")
    assert_no_violations(page)


def choose(page: Page, field_id: str, text: str) -> None:
    """Pick a value in an autocomplete (select2) field, which asks the server as one types."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_the_violation_recorder_notices_inline_style(csp_page: Page, live_server):
    csp_page.goto(f"{live_server.url}/about/")
    csp_page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<b style=\"color:red\">x</b>')"
    )
    csp_page.wait_for_function("window.cspViolations.length > 0")
    assert "style-src" in csp_page.evaluate("window.cspViolations")[0]


def test_the_source_add_and_change_pages_work_without_csp_violations(
    csp_page: Page, live_server, django_user_model
):
    page, base = csp_page, live_server.url
    log_in(page, base, django_user_model)
    page.goto(f"{base}/admin/sources/source/add/")
    page.fill("#id_title", "Acme closes stores")
    page.press("#id_title", "Tab")
    expect(page.locator("#id_slug")).to_have_value("acme-closes-stores")  # prepopulated
    # The date widget's "Today" shortcut and its calendar pop-up.
    page.locator("#id_published_on").locator("..").get_by_role("link", name="Today").click()
    expect(page.locator("#id_published_on")).not_to_have_value("")
    page.locator("#id_published_on").locator("..").locator(".date-icon").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    # The 1st of the month shown is never in the future, which a publication date may not be.
    page.locator(".calendarbox").first.get_by_role("link", name="1", exact=True).click()
    expect(page.locator("#id_published_on")).to_have_value(re.compile(r"\b01\b"))
    page.fill("#id_body", BODY)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Source.objects.get(slug="acme-closes-stores").body == BODY
    assert_no_violations(page)

    # The change page, reloaded, with its marked text and history link.
    page.reload()
    expect(page.locator("#id_title")).to_have_value("Acme closes stores")
    assert_no_violations(page)


def test_the_claim_add_and_change_pages_work_without_csp_violations(
    csp_page: Page, live_server, django_user_model
):
    page, base = csp_page, live_server.url
    make_party(name="Acme", slug="acme", kind=Party.Kind.COMPANY)
    make_source(title="Acme closes stores", body=BODY)
    log_in(page, base, django_user_model)

    page.goto(f"{base}/admin/claims/claim/add/")
    page.fill("#id_summary", "Acme says it closed more fake shops than anyone")
    choose(page, "id_party", "Acme")
    page.locator("#id_claimed_on").locator("..").get_by_role("link", name="Today").click()
    # Inlines: the citation form, and one more statistic row added by the inline script.
    choose(page, "id_citations-0-source", "Acme closes stores")
    page.fill("#id_citations-0-quote", QUOTE)
    statistics = page.locator("#statistics-group")
    statistics.locator(".add-row a").click()
    expect(statistics.locator("tr.dynamic-statistics")).to_have_count(1)
    statistics.locator("tr.dynamic-statistics .inline-deletelink").click()
    expect(statistics.locator("tr.dynamic-statistics")).to_have_count(0)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    claim = Claim.objects.get(summary="Acme says it closed more fake shops than anyone")
    assert claim.citations.get().quote == QUOTE
    assert_no_violations(page)

    # The change page: the collapsed "Record" fieldset opens, the history page loads.
    page.get_by_text("Record", exact=True).click()
    expect(page.locator(".field-created_at")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("history")
    assert_no_violations(page)
