"""Soak: production server on a PostgreSQL of its own, read load, admin writes, a restart.

    make soak        # or: .venv/bin/python -m tests.soak.run --duration 45

gunicorn serves the app with production settings (DEBUG off; only what plain-HTTP loopback
needs is relaxed, as in `make bench`). Reader threads fetch public pages; a writer logs in
through the admin login page and POSTs the admin's add forms for sources and claims, with
their CSRF tokens, exactly as a browser would. Half-way through, PostgreSQL is stopped
(fast: connections cut) and started again a few seconds later. Then every write the admin
acknowledged is looked up in the database. Exit status 1 unless: no acknowledged write is
lost, no 5xx outside the restart window, and the site recovers within RECOVERY_TARGET_S.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.soak.client import Browser, Result, form_fields
from tests.soak.cluster import Cluster, free_port

BASE_DIR = Path(__file__).resolve().parents[2]
RECOVERY_TARGET_S = 5.0
PASSWORD = "soak-analyst-password-2026"
READ_PATHS = [
    "/",
    "/claims/",
    "/claims/1/",
    "/disputes/",
    "/disputes/taobao-notorious-markets-listing/",
    "/parties/",
    "/metrics/",
    "/sources/",
]
CHANGE_URL = re.compile(r"/admin/(?:sources/source|claims/claim)/(\d+)/change/")


def soak_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "soak-only-secret-key-" + "s" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at",
    }


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def shell_json(env: dict[str, str], code: str) -> object:
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def prepare_database(env: dict[str, str]) -> int:
    """Schema, seed corpus and an analyst; returns the party the writer's claims belong to."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed", "--force", "-v0")
    code = (
        "import json; from django.contrib.auth import get_user_model; "
        "from claims.models import Party; "
        "get_user_model().objects.create_superuser("
        f"'soak-analyst', 's@example.org', {PASSWORD!r}); "
        "print(json.dumps(Party.objects.order_by('pk').values_list('pk', flat=True).first()))"
    )
    party = shell_json(env, code)
    assert isinstance(party, int), "the seed corpus has no party"
    return party


@dataclass
class Log:
    reads: list[Result] = field(default_factory=list)
    writes: list[tuple[str, str, Result]] = field(default_factory=list)  # kind, name, result
    lock: threading.Lock = field(default_factory=threading.Lock)


def reader(port: int, stop: threading.Event, log: Log, offset: int) -> None:
    browser = Browser("127.0.0.1", port)
    i = offset
    while not stop.is_set():
        result = browser.get(READ_PATHS[i % len(READ_PATHS)])
        with log.lock:
            log.reads.append(result)
        i += 1


def log_in(browser: Browser) -> None:
    page = browser.get("/admin/login/")
    fields = form_fields(page.body, "login-form")
    fields.update(username="soak-analyst", password=PASSWORD, next="/admin/")
    result = browser.post("/admin/login/", fields)
    if result.status != 302:
        raise SystemExit(f"Admin login failed: HTTP {result.status}")


def write_once(browser: Browser, n: int, party: int, run: str) -> tuple[str, str, Result]:
    kind = "source" if n % 2 == 0 else "claim"
    path = "/admin/sources/source/add/" if kind == "source" else "/admin/claims/claim/add/"
    page = browser.get(path)
    if page.status != 200:
        return kind, "", page
    fields = form_fields(page.body, f"{kind}_form")
    name = f"Soak {kind} {run} number {n}"
    if kind == "source":
        fields.update(
            title=name,
            slug=f"soak-{run}-{n}",
            published_on="2026-01-15",
            published_precision="day",
            body=f"{name}. Written by the soak test through the admin's add form.",
        )
    else:
        fields.update(
            summary=name, party=str(party), claimed_on="2026-01-15", claimed_precision="day"
        )
    fields["_continue"] = "Save and continue editing"
    return kind, name, browser.post(path, fields)


def writer(port: int, stop: threading.Event, log: Log, party: int, run: str) -> None:
    browser = Browser("127.0.0.1", port)
    log_in(browser)
    n = 0
    while not stop.is_set():
        entry = write_once(browser, n, party, run)
        with log.lock:
            log.writes.append(entry)
        n += 1
        time.sleep(0.1)


def acknowledged(result: Result) -> int | None:
    match = CHANGE_URL.search(result.location) if result.status == 302 else None
    return int(match.group(1)) if match else None


def stored(env: dict[str, str], writes: list[tuple[str, str, Result]]) -> set[tuple[str, str]]:
    """Which of the attempted writes are in the database, as (kind, name)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([name for _, name, _ in writes if name], handle)
    code = (
        "import json; from sources.models import Source; from claims.models import Claim; "
        f"names = json.load(open({handle.name!r})); "
        "sources = Source.objects.filter(title__in=names).values_list('title', flat=True); "
        "claims = Claim.objects.filter(summary__in=names).values_list('summary', flat=True); "
        "print(json.dumps([['source', t] for t in sources] + [['claim', s] for s in claims]))"
    )
    rows = shell_json(env, code)
    os.unlink(handle.name)
    assert isinstance(rows, list)
    return {(kind, name) for kind, name in rows}


def wait_for_server(port: int, process: subprocess.Popen, deadline_s: float = 60) -> None:
    browser = Browser("127.0.0.1", port, timeout=5)
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        if browser.get("/").status == 200:
            return
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def report(log: Log, env: dict[str, str], down: float, back: float) -> bool:
    results = log.reads + [result for _, _, result in log.writes]
    failed = [r for r in results if r.status >= 500 or r.status == 0]
    # The window: from the stop request (requests then in flight are cut off too) until
    # PostgreSQL accepts connections again. Outside: done before it, or started after it.
    outside = [r for r in failed if r.ended < down or r.started >= back]
    inside = [r for r in failed if r not in outside]
    last_failure = max((r.ended for r in failed), default=back)
    ok_after = [
        r.ended for r in results if r.status < 500 and r.status and r.started >= last_failure
    ]
    recovered = min(ok_after, default=float("inf"))
    recovery = max(0.0, recovered - back)
    acked = [(kind, name) for kind, name, result in log.writes if acknowledged(result)]
    # A write the writer could not even load the add page for has no name.
    unacked = [
        (kind, name) for kind, name, result in log.writes if name and not acknowledged(result)
    ]
    unloaded = sum(1 for _, name, _ in log.writes if not name)
    # Answered without a 5xx yet not saved (form re-shown, sent to log in): a bug, not a fault.
    refused = [
        name
        for _, name, result in log.writes
        if name and 0 < result.status < 500 and not acknowledged(result)
    ]
    present = stored(env, log.writes)
    lost = [w for w in acked if w not in present]
    statuses: dict[int, int] = {}
    for r in inside:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"reads: {len(log.reads)}, writes attempted: {len(log.writes)}")
    print(f"PostgreSQL down for {back - down:.1f} s (stop requested until accepting again)")
    found = len(acked) - len(lost)
    print(f"writes acknowledged by the admin: {len(acked)}, found in the database: {found}")
    print(f"lost writes: {len(lost)}")
    print(
        f"writes not acknowledged during the restart: {len(unacked)} add-form POSTs "
        f"(stored anyway: {sum(1 for w in unacked if w in present)}), "
        f"{unloaded} add pages that did not load"
    )
    print(f"add forms the admin refused as invalid: {len(refused)}")
    print(f"server errors inside the restart window: {len(inside)} by status {statuses}")
    print(f"server errors outside the restart window: {len(outside)}")
    for r in outside:
        print(f"  HTTP {r.status} {r.started - down:+.2f} s from the stop: {r.body[:120]!r}")
    # pg_ctl reports "up" a little after PostgreSQL accepts connections, so the first good
    # answer may come before it: recovery is then 0.
    print(
        f"recovery after PostgreSQL was back: {recovery:.2f} s (target {RECOVERY_TARGET_S:.0f} s;"
        f" first good answer {recovered - back:+.2f} s from pg_ctl's start returning)"
    )
    passed = (
        bool(acked) and not lost and not outside and not refused and recovery <= RECOVERY_TARGET_S
    )
    print("SOAK PASSED" if passed else "SOAK FAILED")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=45.0, help="seconds of load")
    parser.add_argument("--readers", type=int, default=4, help="concurrent reader clients")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL is down")
    args = parser.parse_args()

    cluster = Cluster()
    server: subprocess.Popen | None = None
    try:
        cluster.init()
        cluster.start()
        cluster.createdb("counterpoint_soak")
        env = soak_env(cluster.url("counterpoint_soak"))
        party = prepare_database(env)
        port = free_port()
        server_log = (cluster.root / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--timeout", "30"],
            cwd=BASE_DIR, env=env, stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for_server(port, server)
        version = cluster.bin.parent.name
        print(f"gunicorn on 127.0.0.1:{port}, PostgreSQL {version} on port {cluster.port}")

        log, stop = Log(), threading.Event()
        threads = [
            threading.Thread(target=reader, args=(port, stop, log, i)) for i in range(args.readers)
        ]
        threads.append(
            threading.Thread(target=writer, args=(port, stop, log, party, str(os.getpid())))
        )
        for thread in threads:
            thread.start()
        time.sleep(args.duration * 0.4)
        down = time.monotonic()
        cluster.stop()
        time.sleep(args.outage)
        cluster.start()
        back = time.monotonic()
        time.sleep(max(0.0, args.duration * 0.6 - args.outage))
        stop.set()
        for thread in threads:
            thread.join()
        return 0 if report(log, env, down, back) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main())
