"""axe-core (bundled with axe-playwright-python, run offline) on every public page kind."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from claims.models import Claim, Dispute, Metric, Party
from sources.models import Source
from tests.browser.conftest import DISPUTE_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def page_urls() -> dict[str, str]:
    claim = (
        Claim.objects.filter(relations_to__isnull=False, statistics__isnull=False).first()
        or Claim.objects.first()
    )
    metric = (
        Metric.objects.filter(statistics__period_start__isnull=False)
        .order_by("slug")
        .distinct()
        .first()
    )
    return {
        "home": reverse("home"),
        "about": reverse("about"),
        "dispute list": reverse("disputes:list"),
        "dispute": Dispute.objects.get(slug=DISPUTE_SLUG).get_absolute_url(),
        "claim list": reverse("claims:list") + "?party=alibaba-group&q=takedown",
        "claim": claim.get_absolute_url(),
        "party list": reverse("parties:list"),
        "party": Party.objects.get(slug="alibaba-group").get_absolute_url(),
        "source list": reverse("sources:list"),
        "source": Source.objects.order_by("slug").first().get_absolute_url(),
        "metric list": reverse("metrics:list"),
        "metric": metric.get_absolute_url(),
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_or_critical_accessibility_violation_on_any_page_kind(
    page: Page, seeded_live, width
):
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    failures = []
    for name, path in page_urls().items():
        page.goto(f"{seeded_live.url}{path}")
        results = axe.run(page)
        violations = results.response["violations"]
        for violation in violations:
            nodes = [node["target"] for node in violation["nodes"]][:5]
            impact, rule = violation["impact"], violation["id"]
            line = f"{name} ({path}) [{impact}] {rule}: {violation['help']} {nodes}"
            print(line)
            if violation["impact"] in BLOCKING:
                failures.append(line)
    assert not failures, "\n".join(failures)
