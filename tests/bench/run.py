"""Benchmark: page latency and worker memory under concurrent load, with targets.

Builds a database with the seed corpus plus a synthetic bulk of claims (so the pages are
measured at a data size well beyond the seed), serves it with gunicorn as production would,
hammers each page kind from concurrent client threads on loopback, and checks the results
against the targets below. Exit status 1 when a target is missed.

    make bench                     # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/counterpoint make bench

Runs vary by ±20% on a shared machine: compare runs of one machine, not absolute numbers.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Targets on the 2-core development machine, 8 concurrent clients, 2 gunicorn workers.
TARGET_P95_MS = 250.0
TARGET_MIN_RPS = 20.0
TARGET_WORKER_RSS_MB = 200.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "b" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Production settings refuse a loopback SITE_URL; the pages only print it in links.
        "SITE_URL": "https://counterpoint.example",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "WARNING",
        # Static files come from the finders here; no collectstatic run is needed.
        "PYTHONWARNINGS": "ignore:No directory at",
    }


def prepare_database(env: dict[str, str], extra_claims: int) -> None:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "seed", "--force", "-v0"], cwd=BASE_DIR, env=env, check=True)
    code = f"from tests.bench.data import grow; grow({extra_claims})"
    subprocess.run([*manage, "shell", "-c", code], cwd=BASE_DIR, env=env, check=True)


def page_urls(env: dict[str, str]) -> dict[str, str]:
    code = "from tests.bench.data import sample_urls; import json; print(json.dumps(sample_urls()))"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def worker_rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    rss = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss.append(int(line.split()[1]) / 1024)
    return max(rss, default=0.0)


def load(port: int, path: str, seconds: float, clients: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000, help="synthetic claims to add")
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per page")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        if database_url.startswith("postgres"):
            database_url = database_url.rsplit("/", 1)[0] + "/counterpoint_bench"
            subprocess.run(
                [
                    "psql",
                    database_url.rsplit("/", 1)[0] + "/postgres",
                    "-q",
                    "-c",
                    "DROP DATABASE IF EXISTS counterpoint_bench",
                    "-c",
                    "CREATE DATABASE counterpoint_bench",
                ],
                check=True,
            )
        env = bench_env(database_url)
        print(f"Preparing {database_url.split('://')[0]} database with {args.claims} extra claims…")
        prepare_database(env, args.claims)
        urls = page_urls(env)

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi:application",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            failures = []
            print(f"{'page':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
            for name, path in urls.items():
                load(port, path, 0.5, 2)  # warm-up: imports, template caches, connections
                latencies, errors = load(port, path, args.seconds, args.clients)
                if not latencies:
                    failures.append(f"{name}: no successful response from {path}")
                    continue
                p50 = statistics.median(latencies)
                p95 = statistics.quantiles(latencies, n=20)[18]
                rps = len(latencies) / args.seconds
                print(f"{name:<16}{rps:>8.0f}{p50:>9.1f}{p95:>9.1f}{errors:>8}")
                if errors:
                    failures.append(f"{name}: {errors} failed requests")
                if p95 > TARGET_P95_MS:
                    failures.append(f"{name}: p95 {p95:.0f} ms > {TARGET_P95_MS:.0f} ms")
                if rps < TARGET_MIN_RPS:
                    failures.append(f"{name}: {rps:.0f} req/s < {TARGET_MIN_RPS:.0f}")
            rss = worker_rss_mb(server.pid)
            print(f"largest worker RSS: {rss:.0f} MB (target ≤ {TARGET_WORKER_RSS_MB:.0f} MB)")
            if rss > TARGET_WORKER_RSS_MB:
                failures.append(f"worker RSS {rss:.0f} MB > {TARGET_WORKER_RSS_MB:.0f} MB")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    if failures:
        print("Targets missed:\n  " + "\n  ".join(failures))
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
