"""Open data as a person meets it: the claims list's CSV download, and the API's
documentation page, which works offline and under a strict Content-Security-Policy."""

import csv
import io

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def test_journalist_filters_the_claims_and_downloads_exactly_those_as_csv(page: Page, seeded_live):
    page.goto(f"{seeded_live.url}/claims/")
    form = page.locator("form.filters")
    form.get_by_label("Party").select_option("alibaba-group")
    form.get_by_role("button", name="Apply").click()
    heading = page.locator("#results-heading").inner_text()  # "N claims found"
    found = int(heading.split()[0])

    link = page.get_by_role("link", name="Download CSV")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "counterpoint-claims.csv"
    with open(download.value.path(), encoding="utf-8") as saved:
        rows = list(csv.DictReader(io.StringIO(saved.read())))
    assert len(rows) == found
    shown = page.locator(".results .claim-card__title").all_inner_texts()
    assert [row["summary"] for row in rows[: len(shown)]] == [t.strip() for t in shown]


def test_the_api_documentation_renders_offline_under_a_strict_csp(page: Page, seeded_live):
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    def with_strict_csp(route: Route) -> None:
        # The policy the site is moving to, applied here before it is deployed.
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": STRICT_CSP},
        )

    page.route("**/api/docs/", with_strict_csp)
    page.goto(f"{seeded_live.url}/api/docs/")
    expect(page.get_by_text("Counterpoint open data").first).to_be_visible()
    claims = page.locator(".opblock-summary-path", has_text="/api/claims/").first
    expect(claims).to_be_visible()
    assert not problems, problems
    outside = [u for u in requested if not u.startswith((seeded_live.url, "data:"))]
    assert not outside, outside
