"""Where a cold page's time goes, in process: the benchmark's pages built with the page cache
off and the production settings, each timed over several requests after one warm-up.

    DATABASE_URL=postgres://…/cp_bench .venv/bin/python -m bench.cold [--requests 9] [name …]

Per page: median wall ms, median CPU ms of this process (what rendering costs, whatever the
machine's load: the database's own work is not in it), queries, SQL ms as Django timed
them, and the compressed size. A diagnosis to compare two versions of the code on one data
set; `make bench` (gunicorn, one reader on an idle server) gives the published numbers.
"""

import argparse
import os
import statistics
import sys
import time

from bench.tools import bench_env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=9, help="timed requests per page")
    parser.add_argument("names", nargs="*", help="only pages whose name contains one of these")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the benchmark database (generate_demo_data first)")
    os.environ.update(bench_env(os.environ["DATABASE_URL"], PAGE_CACHE="off"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.probe import target_urls

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    print(f"{'page':<20}{'wall ms':>9}{'CPU ms':>9}{'queries':>9}{'SQL ms':>9}{'bytes':>8}")
    for name, url in target_urls().items():
        if args.names and not any(wanted in name for wanted in args.names):
            continue
        client.get(url)  # per-process caches (URL resolvers, templates) filled once
        wall, cpu, sql = [], [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        if response.status_code != 200:
            print(f"{name}: {url} answered {response.status_code}", file=sys.stderr)
            return 1
        print(
            f"{name:<20}{statistics.median(wall):>9.1f}{statistics.median(cpu):>9.1f}"
            f"{len(queries.captured_queries):>9}{statistics.median(sql):>9.1f}"
            f"{len(response.content):>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
