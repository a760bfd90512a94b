"""Run inside Django against the benchmark database (a separate process from the server):

    python -m bench.probe urls      the URL of every benchmark target, as JSON
    python -m bench.probe queries   queries per request of each target, as JSON

Query counts use Django's test client with CaptureQueriesContext, on the second request to
each URL (the first fills per-process caches, and with PAGE_CACHE on the page cache).
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.models import Claim, Dispute, DisputePoint, Metric, Party  # noqa: E402

SEARCH = "counterfeit medicines"


def target_urls() -> dict[str, str]:
    """The pages the benchmark loads: the worst cases generate_demo_data wrote (the party
    with most claims, the metric with most values, the dispute of the busiest point) and a
    typical dispute (median placements) with one of its claims as the permalink."""
    worst_point = DisputePoint.objects.annotate(n=Count("placements")).order_by("-n", "pk")[0]
    disputes = list(Dispute.objects.annotate(n=Count("points__placements")).order_by("n", "pk"))
    typical = disputes[len(disputes) // 2]
    claim = (
        Claim.objects.filter(placements__point__dispute=typical).order_by("pk").first()
        or Claim.objects.order_by("pk").first()
    )
    assert claim is not None
    party = Party.objects.annotate(n=Count("claims")).order_by("-n", "pk")[0]
    metric = Metric.objects.annotate(n=Count("statistics")).order_by("-n", "pk")[0]
    return {
        "bare Django": "/_bench/bare/",
        "home": "/",
        "dispute (worst)": worst_point.dispute.get_absolute_url(),
        "dispute (typical)": typical.get_absolute_url(),
        "permalink": claim.get_absolute_url(),
        "claims list": "/claims/",
        "search": "/claims/?q=" + SEARCH.replace(" ", "+"),
        "party (worst)": party.get_absolute_url(),
        "metric (worst)": metric.get_absolute_url(),
    }


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    client = Client()
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        counts[name] = len(captured.captured_queries)
    return counts


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "urls"
    urls = target_urls()
    print(json.dumps(urls if what == "urls" else query_counts(urls)))
