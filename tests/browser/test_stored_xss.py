"""Stored script never runs: payloads written through the admin's forms, a fixture import
and the models are shown as text on every public page, in Chromium.

Each payload sets ``window.__xss`` and calls ``alert``; the test listens for dialogs, reads
``window.__xss`` after each page loads and after following the links that carry payload
text, and checks the DOM for anything a payload would have injected (a script, an event
handler attribute, a ``javascript:`` link). Passing does not depend on a Content Security
Policy: the DOM checks fail on injected markup whether or not a policy stops it running.
"""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from playwright.sync_api import Page, expect

from claims.models import (
    Citation,
    Claim,
    Dispute,
    DisputePoint,
    DisputeSide,
    Metric,
    Party,
    PointClaim,
    Statistic,
)
from sources.models import Outlet, Source
from tests.browser.admin_session import log_in
from tests.factories import make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests/conftest.py's superuser
JS_URL = "javascript:window.__xss=1;alert('href')"


def payload(field: str) -> str:
    """Script, event-handler and attribute-breakout payloads behind a visible marker."""
    return (
        f"XSS-{field} <script>window.__xss=1;alert(1)</script>"
        '"><img src=x onerror="window.__xss=1;alert(2)">'
    )


# The DOM after the page ran: anything a payload would have added, had it been markup.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith('on')) found.push(`${el.tagName} ${attr}`);
      const value = (el.getAttribute(attr) || '').replace(/[\\s\\u0000-\\u001f]/g, '');
      if (['href', 'src', 'action', 'formaction'].includes(attr)
          && /^javascript:/i.test(value)) found.push(`${el.tagName} ${attr}=${value}`);
    }
  }
  for (const s of document.querySelectorAll('script')) {
    const ok = (s.src && new URL(s.src).origin === location.origin)
      || s.type === 'application/ld+json';
    if (!ok) found.push(`script ${s.outerHTML.slice(0, 80)}`);
  }
  for (const img of document.querySelectorAll('img[src="x"]')) found.push('img src=x');
  return found;
}"""


def write_fixture(path, objects) -> str:
    path.write_text(json.dumps(objects), encoding="utf-8")
    return str(path)


def import_fixtures(tmp_path) -> dict[str, bool]:
    """The import path: loaddata of fixture files. A javascript: URL is in its own file so
    a database that refuses it (a constraint being added elsewhere) refuses only that."""
    call_command(
        "loaddata",
        write_fixture(
            tmp_path / "xss.json",
            [
                {
                    "model": "sources.outlet",
                    "pk": 9001,
                    "fields": {
                        "name": payload("outlet-name"),
                        "slug": "xss-outlet",
                        "homepage": "https://example.org/",
                        "description": payload("outlet-description"),
                    },
                },
                {
                    "model": "claims.party",
                    "pk": 9001,
                    "fields": {
                        "name": payload("import-party-name"),
                        "slug": "xss-import-party",
                        "kind": "company",
                        "role": payload("import-party-role"),
                        "description": payload("import-party-description"),
                        "url": "",
                    },
                },
                {
                    "model": "claims.metric",
                    "pk": 9001,
                    "fields": {
                        "name": payload("metric-name"),
                        "slug": "xss-metric",
                        "definition": payload("metric-definition"),
                        "unit": "percent",
                    },
                },
            ],
        ),
        verbosity=0,
    )
    refused = {}
    javascript_urls = [
        (
            "sources.outlet",
            {"name": "JS outlet", "slug": "js-outlet", "homepage": JS_URL, "description": ""},
        ),
        (
            "claims.party",
            {
                "name": "JS party",
                "slug": "js-party",
                "kind": "company",
                "role": "",
                "description": "",
                "url": JS_URL,
            },
        ),
    ]
    for n, (model, fields) in enumerate(javascript_urls, start=9100):
        name = tmp_path / f"js-{n}.json"
        try:
            with transaction.atomic():
                call_command(
                    "loaddata",
                    write_fixture(name, [{"model": model, "pk": n, "fields": fields}]),
                    verbosity=0,
                )
            refused[model] = False
        except DatabaseError:  # refused by a constraint: safe as well
            refused[model] = True
    return refused


def write_through_the_admin(page: Page, base: str) -> None:
    log_in(page, base, "editor-in-chief", PASSWORD)

    page.goto(f"{base}/admin/claims/party/add/")
    page.fill("#id_name", payload("admin-party-name"))
    page.select_option("#id_kind", "company")
    page.fill("#id_role", payload("admin-party-role"))
    page.fill("#id_description", payload("admin-party-description"))
    submit_with_a_javascript_url(page, "xss-admin-party", "https://example.org/admin-party")

    page.goto(f"{base}/admin/sources/source/add/")
    page.fill("#id_title", payload("admin-source-title"))
    page.fill("#id_author", payload("admin-source-author"))
    page.fill("#id_published_on", "2019-04-01")
    page.fill("#id_body", f"Opening. {payload('admin-source-body')} Closing.")
    submit_with_a_javascript_url(page, "xss-admin-source", "https://example.org/admin-source")


def submit_with_a_javascript_url(page: Page, slug: str, fallback: str) -> None:
    """Submit with a javascript: URL; if the form refuses it, with an ordinary one.

    The slug is typed last: the admin fills it in from the payload-bearing name or title.
    """
    page.fill("#id_url", JS_URL)
    page.fill("#id_slug", slug)
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    if page.locator(".errornote").count():
        expect(page.locator(".errorlist")).to_contain_text(["starts with http:// or https://"])
        page.fill("#id_url", fallback)
        page.fill("#id_slug", slug)
        page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def write_through_the_models() -> dict[str, str]:
    """Claims, quotes, figures and a dispute, on the imported and admin-made records."""
    quote = payload("quote")
    source = make_source(
        title=payload("source-title"),
        slug="xss-source",
        author=payload("source-author"),
        outlet=Outlet.objects.get(slug="xss-outlet"),
        body=f"The company said: {quote} Then it left.",
    )
    imported = Party.objects.get(slug="xss-import-party")
    admin_party = Party.objects.get(slug="xss-admin-party")
    claims = []
    for party, text_source, cited in [
        (imported, source, quote),
        (admin_party, Source.objects.get(slug="xss-admin-source"), payload("admin-source-body")),
    ]:
        claim = Claim(
            summary=payload(f"summary-{party.slug}"),
            kind=Claim.Kind.ASSERTION,
            party=party,
            date_note=payload("date-note"),
        )
        claim.full_clean()
        claim.save()
        citation = Citation(claim=claim, source=text_source, quote=cited)
        citation.full_clean()
        citation.save()
        claims.append(claim)
    statistic = Statistic(
        claim=claims[0],
        metric=Metric.objects.get(slug="xss-metric"),
        value=Decimal("12"),
        unit=Metric.Unit.PERCENT,
        period_label="XSS-period <script>window.__xss=1</script>",
        scope_note=payload("scope-note"),
    )
    statistic.full_clean()
    statistic.save()
    dispute = Dispute.objects.create(
        title=payload("dispute-title"), slug="xss-dispute", summary=payload("dispute-summary")
    )
    sides = [
        DisputeSide.objects.create(
            dispute=dispute, party=party, stance=payload(f"stance-{n}"), order=n
        )
        for n, party in enumerate([imported, admin_party], start=1)
    ]
    point = DisputePoint.objects.create(
        dispute=dispute, question=payload("point-question"), summary=payload("point-summary")
    )
    for claim, side in zip(claims, sides, strict=True):
        PointClaim.objects.create(point=point, side=side, claim=claim)
    return {
        "permalink": claims[0].get_absolute_url(),
        "admin claim": claims[1].get_absolute_url(),
        "dispute": dispute.get_absolute_url(),
        "source": source.get_absolute_url(),
        "admin source": "/sources/xss-admin-source/",
        "import party": imported.get_absolute_url(),
        "admin party": admin_party.get_absolute_url(),
        "metric": "/metrics/xss-metric/",
    }


def nothing_ran(page: Page, dialogs: list[str], where: str) -> None:
    assert dialogs == [], f"{where}: a dialog opened"
    assert page.evaluate("() => window.__xss") is None, f"{where}: a payload ran"
    assert page.evaluate(INJECTED) == [], f"{where}: markup was injected"


def test_stored_payloads_are_shown_as_text_and_never_run(
    page: Page, live_server, superuser, tmp_path
):
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    refused = import_fixtures(tmp_path)
    write_through_the_admin(page, base)
    urls = write_through_the_models()
    for slug, model in [("js-party", "claims.party"), ("js-outlet", "sources.outlet")]:
        if not refused[model]:
            urls[slug] = (
                Party.objects.get(slug=slug).get_absolute_url()
                if model == "claims.party"
                else Outlet.objects.get(slug=slug).get_absolute_url()
            )
    assert Party.objects.get(slug="xss-admin-party").url != JS_URL  # the form refused it

    pages = {
        "home": "/",
        "claims": "/claims/",
        "disputes": "/disputes/",
        "parties": "/parties/",
        "sources": "/sources/",
        "metrics": "/metrics/",
        **urls,
    }
    # Full text a reader must see, as typed, on the page that shows it whole.
    shown = {
        "permalink": ["summary-xss-import-party", "quote", "scope-note", "date-note"],
        "dispute": ["dispute-title", "dispute-summary", "point-question", "stance-1"],
        "source": ["source-title", "source-author", "outlet-name", "quote"],
        "admin source": ["admin-source-title", "admin-source-author", "admin-source-body"],
        "import party": ["import-party-name", "import-party-role", "import-party-description"],
        "admin party": ["admin-party-name", "admin-party-role", "admin-party-description"],
        "metric": ["metric-name", "metric-definition"],
    }
    for name, path in pages.items():
        page.goto(f"{base}{path}")
        expect(page.locator("main")).to_contain_text("JS " if "js" in name else "XSS-")
        nothing_ran(page, dialogs, name)
        text = page.inner_text("main")
        for field in shown.get(name, []):
            assert payload(field) in text, f"{name}: {field} is not shown as text"
        if name == "permalink":
            assert "XSS-period <script>window.__xss=1</script>" in text

        # Follow the links that carry payload text, and check again where they lead.
        links = page.locator("main a", has_text="XSS-")
        hrefs = [links.nth(i).get_attribute("href") for i in range(min(links.count(), 4))]
        for i, href in enumerate(hrefs):
            assert href and not href.strip().lower().startswith("javascript:")
            page.locator("main a", has_text="XSS-").nth(i).click()
            page.wait_for_load_state()
            nothing_ran(page, dialogs, f"{name} → {href}")
            page.go_back()

    # A stored javascript: URL (where the database accepted it) is text, not a link.
    if not refused["claims.party"]:
        page.goto(f"{base}{urls['js-party']}")
        expect(page.locator("main")).to_contain_text(JS_URL)
        expect(page.locator("main a", has_text="javascript:")).to_have_count(0)
        nothing_ran(page, dialogs, "js-party")
