"""Time the claims list's search in process at the current data size: the ranked first page
of 25, its capped count and its highlights, 21 runs per query (p50, p95).

    DATABASE_URL=postgres://… .venv/bin/python -m bench.search   # after loading data
    .venv/bin/python -m bench.search --grow 100000  # generate_demo_data first
"""

import argparse
import os
import time

QUERIES = [
    "takedown",
    "takedown figure 4242",
    '"figure 4242"',
    "counterfeit OR progress",
    "zebra",
    "takedown -progress",
    "politicised",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grow", type=int, default=0, help="generate this many demo claims first")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator

    from claims.models import Claim
    from claims.search.matching import highlights, search

    if args.grow:
        call_command("migrate", verbosity=0)
        if not Claim.objects.exists():
            call_command("seed", verbosity=0)
        call_command("generate_demo_data", claims=args.grow, seed=1)
    print(f"{Claim.objects.count()} claims")
    for q in QUERIES:
        times = []
        for _ in range(21):
            start = time.perf_counter()
            found = search(Claim.objects.newest_first(), q).with_related()
            page = Paginator(found, 25).get_page(1)
            highlights(q, list(page.object_list))
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"{q!r:28} p50 {times[10]:6.1f} ms  p95 {times[19]:6.1f} ms  "
            f"listed {page.paginator.count}"
        )


if __name__ == "__main__":
    main()
