"""Newsroom-scale benchmark: Counterpoint against bare Django and nginx, on PostgreSQL.

For each data size: a fresh database (cp_bench, or cp_bench_quick for 1,000 claims; another
prefix with --database-prefix), migrated and seeded (a copy of cp_bench_template, built
again by migrate and seed whenever the code or the corpus changed), generate_demo_data,
`manage.py bake --only` of the measured pages with --gzip when the command exists; then
gunicorn (-w 2, production settings) cold (PAGE_CACHE=off) and warm (PAGE_CACHE=on, one
priming request per page), and nginx serving one static file (the home page's HTML, with
its .gz) and the baked pages under the same settings, in alternating rounds; wrk -t2 -c16
from this process. Query counts come from a separate process (bench/probe.py). Prints a
table and which Done-when targets pass, and writes bench/results/latest.json; the exit
status does not depend on the targets (the numbers are what they are).

    make bench          # 100,000 claims, 10 s per target, and 1,000 claims for comparison
    make bench-quick    # 1,000 claims, 3 s per target
    .venv/bin/python -m bench.run --claims 20000 --seconds 5 --compare-claims 0
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import tools
from claims.publishing.outdir import gzipped

RESULTS = tools.BASE_DIR / "bench" / "results" / "latest.json"
BARE = "bare Django"
PAGES = [
    "home",
    "dispute (worst)",
    "dispute (typical)",
    "permalink",
    "claims list",
    "party (worst)",
    "metric (worst)",
]
SEARCH = "search"
SINGLE, BAKED = "nginx single file", "baked site (nginx)"


def probe(env: dict[str, str], what: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.probe", what],
        cwd=tools.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def probes(envs: list[dict[str, str]]) -> list[dict]:
    """bench.probe queries in one process per environment, side by side."""
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.probe", "queries"],
            cwd=tools.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for env in envs
    ]
    found = []
    for process in running:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"bench.probe queries failed ({process.returncode})")
        found.append(json.loads(out.strip().splitlines()[-1]))
    return found


def prepare(size: int, args: argparse.Namespace) -> dict[str, str]:
    prefix = args.database_prefix
    name = f"{prefix}_quick" if size <= 1000 else prefix
    print(f"\n== {size:,} claims: database {name}", flush=True)
    started = time.perf_counter()
    url, reused = tools.migrated_and_seeded(
        args.database_url, tools.bench_env(""), name, template=f"{prefix}_template"
    )
    env = tools.bench_env(url)
    how = f"copied from {prefix}_template (same code and corpus)" if reused else "built"
    print(f"migrated and seeded, {how}: {time.perf_counter() - started:.1f} s", flush=True)
    out = tools.manage(env, "generate_demo_data", "--claims", str(size), "--seed", str(args.seed))
    print(out.strip(), flush=True)
    print(f"database ready: {time.perf_counter() - started:.1f} s", flush=True)
    return env


def bake(env: dict[str, str], out: Path, timeout: float, urls: dict[str, str]) -> Path | None:
    """Bake only the measured pages (`bake --only`, with what they display) and their .gz
    (`--gzip`): nginx's rate for a file does not depend on how many other files the folder
    holds, and a full bake of 100,000 claims (some 400,000 addresses) is not a benchmark step."""
    if not tools.has_command(env, "bake"):
        print("manage.py bake: not in this version; the baked site is not measured.")
        return None
    paths = [path for name, path in urls.items() if name != BARE and "?" not in path]
    started = time.perf_counter()
    try:
        tools.manage(env, "bake", str(out), "--gzip", "--only", *paths, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"manage.py bake: stopped after {timeout:.0f} s; the baked site is not measured.")
        return None
    except subprocess.CalledProcessError as exc:
        print(f"manage.py bake failed ({exc.stderr.strip()[-300:]}); not measured.")
        return None
    print(f"manage.py bake --only ({len(paths)} pages): {time.perf_counter() - started:.1f} s")
    return out


def row(name: str, cache: str, size: int, load: tools.Load, **more: object) -> dict:
    return {
        "name": f"{name} ({cache})" if cache else name,
        "req_per_s": round(load.req_per_s, 1),
        "p50_ms": round(load.p50_ms, 2),
        "p99_ms": round(load.p99_ms, 2),
        "queries": more.pop("queries", 0),
        "ratio": None,
        "target": name,
        "cache": cache,
        "size": size,
        "p95_ms": round(load.p95_ms, 2),
        "requests": load.requests,
        "errors": load.errors,
        **more,
    }


def measure(size: int, seconds: int, args: argparse.Namespace) -> list[dict]:
    env = prepare(size, args)
    urls: dict[str, str] = probe(env, "urls")
    started = time.perf_counter()
    cold, warm = probes([{**env, "PAGE_CACHE": "off"}, {**env, "PAGE_CACHE": "on"}])
    queries = {"cold": cold, "warm": warm}
    print(f"query counts: {time.perf_counter() - started:.1f} s", flush=True)
    headers = {"Accept-Encoding": "gzip"} if args.gzip else {}
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="cp-bench-") as scratch:
        tmp = Path(scratch)
        baked = bake(env, tmp / "site", args.bake_timeout, urls)
        home_html = b""
        for cache in ("cold", "warm"):
            server_env = {**env, "PAGE_CACHE": "off" if cache == "cold" else "on"}
            with tools.gunicorn(server_env) as base:
                measured = []
                for name, path in urls.items():
                    status, body = tools.fetch(base + path, headers)  # primes the page cache
                    if status != 200:
                        print(f"{name} ({cache}): {path} answered {status}; not measured")
                        continue
                    # One reader's wait on an idle server: the cold figure Done-when 2 asks for.
                    ms = (
                        tools.sequential_ms(base + path, args.sequential, headers)
                        if cache == "cold"
                        else None
                    )
                    load = tools.wrk(base, [path], seconds=seconds, tmp=tmp, headers=headers)
                    measured.append(
                        row(name, cache, size, load, queries=queries[cache][name], path=path,
                            ms_per_request=round(ms, 2) if ms else None, bytes=len(body))
                    )  # fmt: skip
                    print(f"  {measured[-1]['name']}: {load.req_per_s:.0f} req/s", flush=True)
                home_html = tools.fetch(base + "/")[1]
            bare = next((r["req_per_s"] for r in measured if r["target"] == BARE), 0)
            for r in measured:
                r["ratio"] = round(r["req_per_s"] / bare, 3) if bare else None
            rows += measured
        # The single file is served as the baked pages are: with the .gz bake writes.
        (tmp / "_single.html").write_bytes(home_html)
        (tmp / "_single.html.gz").write_bytes(gzipped(home_html))
        site = baked or tmp / "empty"
        site.mkdir(exist_ok=True)
        with tools.nginx(tmp, site) as base:
            paths = baked_paths(baked, urls) if baked else []
            single, pages = static_loads(base, paths, seconds, tmp, headers)
            rows.append(row(SINGLE, "", size, single["load"], path="/_single.html",
                            nginx_cpu_us_per_request=single["nginx_cpu_us"]))  # fmt: skip
            rows[-1]["ratio"] = 1.0
            if pages is not None:
                rows.append(row(BAKED, "", size, pages["load"], paths=paths,
                                nginx_cpu_us_per_request=pages["nginx_cpu_us"]))  # fmt: skip
                rows[-1]["ratio"] = pages["ratio"]
    return rows


# The single file and the baked pages are measured in turns (file, pages, file, pages…):
# the machine's load drifts during a run, and each round's ratio compares neighbours.
STATIC_ROUNDS = 3


def static_loads(
    base: str, paths: list[str], seconds: int, tmp: Path, headers: dict[str, str]
) -> tuple[dict, dict | None]:
    """nginx's single file and, when there are baked pages, the pages rotated through:
    each as (load, nginx CPU µs per request) over STATIC_ROUNDS rounds, the pages' with the
    median of the rounds' ratios."""
    each = max(1, seconds // STATIC_ROUNDS)
    loads: dict[str, list[tools.Load]] = {"single": [], "pages": []}
    cpu = {"single": 0.0, "pages": 0.0}
    targets = {"single": ["/_single.html"], "pages": paths}
    for _ in range(STATIC_ROUNDS):
        for name, rotated in targets.items():
            if not rotated:
                continue
            before = tools.nginx_cpu_seconds(tmp)
            loads[name].append(tools.wrk(base, rotated, seconds=each, tmp=tmp, headers=headers))
            cpu[name] += tools.nginx_cpu_seconds(tmp) - before

    def summary(name: str) -> dict:
        load = tools.Load.combined(loads[name])
        us = cpu[name] * 1e6 / load.requests if load.requests else None
        return {"load": load, "nginx_cpu_us": round(us, 1) if us is not None else None}

    single = summary("single")
    if not paths:
        return single, None
    rounds = zip(loads["pages"], loads["single"], strict=True)
    ratios = sorted(page.req_per_s / file.req_per_s for page, file in rounds)
    return single, {**summary("pages"), "ratio": round(ratios[len(ratios) // 2], 3)}


def baked_paths(site: Path, urls: dict[str, str]) -> list[str]:
    """The benchmark's pages that the bake wrote (query-string pages are dynamic only),
    rotated through by wrk's Lua script."""
    found = [
        path
        for name, path in urls.items()
        if "?" not in path and name != BARE and (site / path.lstrip("/") / "index.html").is_file()
    ]
    return found or ["/"]


def print_table(rows: list[dict]) -> None:
    print(
        f"\n{'size':>7}  {'name':<28}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'queries':>8}{'ratio':>7}{'1 req ms':>10}{'errors':>7}"
    )
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        single = f"{r['ms_per_request']:.1f}" if r.get("ms_per_request") is not None else ""
        print(
            f"{r['size']:>7,}  {r['name']:<28}{r['req_per_s']:>9.1f}{r['p50_ms']:>9.1f}"
            f"{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['queries']:>8}{ratio:>7}{single:>10}"
            f"{r['errors']:>7}"
        )
    print("ratio: req/s over bare Django's in the same run (the baked site: over nginx's single")
    print("file); 1 req ms: median of sequential requests, one reader on an idle server.")
    for r in rows:
        if (us := r.get("nginx_cpu_us_per_request")) is not None:
            print(f"{r['size']:>7,}  {r['name']}: nginx CPU {us} µs per request (its workers'")
            print("         user + system time over the requests wrk made: load-independent)")


def verdicts(rows: list[dict], size: int, compare: int) -> list[tuple[bool | None, str]]:
    """Issue 9's Done-when targets, each (passed, what was measured); None: not measured."""
    at = {(r["size"], r["name"]): r for r in rows}

    def get(name: str, at_size: int = size) -> dict | None:
        return at.get((at_size, name))

    found: list[tuple[bool | None, str]] = []
    for page in PAGES:
        r = get(f"{page} (warm)")
        if r is None:
            found.append((None, f"1. warm {page}: not measured"))
            continue
        ok = (r["ratio"] or 0) >= 0.6 and r["p99_ms"] < 50
        found.append((ok, f"1. warm {page}: {r['ratio']:.2f}× bare, p99 {r['p99_ms']:.1f} ms"))
    if r := get(f"{SEARCH} (warm)"):
        found.append((r["p95_ms"] < 100, f"1. search p95 {r['p95_ms']:.1f} ms (warm)"))
    for page in PAGES:
        r = get(f"{page} (cold)")
        if r is None:
            continue
        text = f"2. cold {page}: {r['ms_per_request']:.1f} ms at {size:,}"
        ok = r["ms_per_request"] < 60
        small = get(f"{page} (cold)", compare) if compare else None
        if small:
            times = r["ms_per_request"] / small["ms_per_request"]
            text += f", {small['ms_per_request']:.1f} ms at {compare:,} ({times:.2f}×)"
            ok = ok and times <= 1.5
        else:
            text += " (no second size to compare)"
        found.append((ok, text))
    if r := get(BAKED):
        text = f"3. baked site: {r['ratio']:.2f}× nginx's single file"
        single = get(SINGLE)
        if single and r.get("nginx_cpu_us_per_request") and single.get("nginx_cpu_us_per_request"):
            # The rate ratio moves with the machine's load; nginx's work per request does not.
            work = single["nginx_cpu_us_per_request"] / r["nginx_cpu_us_per_request"]
            text += f" (by nginx CPU per request: {work:.2f}×)"
        found.append((r["ratio"] >= 0.9, text))
    else:
        found.append((None, "3. baked site: not measured (no manage.py bake)"))
    if compare:
        differ = []
        for page in [*PAGES, SEARCH]:
            big, small = get(f"{page} (cold)"), get(f"{page} (cold)", compare)
            if big and small and big["queries"] != small["queries"]:
                differ.append(f"{page}: {small['queries']} → {big['queries']}")
        text = "4. queries per page equal at both sizes"
        found.append((not differ, text + (": " + "; ".join(differ) if differ else "")))
    else:
        found.append((None, "4. queries at two sizes: one size measured"))
    found.append((None, "5. fresh after a save, re-bake rewrites: proved by the tests, not here"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000, help="generated claims")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per target")
    parser.add_argument(
        "--compare-claims", type=int, default=1000, help="second, small size (0: none)"
    )
    parser.add_argument("--compare-seconds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sequential", type=int, default=10, help="requests timed one by one")
    parser.add_argument("--bake-timeout", type=float, default=1200)
    parser.add_argument("--no-gzip", dest="gzip", action="store_false",
                        help="do not send Accept-Encoding: gzip")  # fmt: skip
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL; its server gets the scratch databases",
    )
    parser.add_argument(
        "--database-prefix",
        default="cp_bench",
        help="names of the scratch databases: <prefix>, <prefix>_quick, <prefix>_template",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark runs on PostgreSQL: give --database-url postgres://…")
    tools.ensure_debian_packages("wrk", "nginx")
    compare = args.compare_claims if args.compare_claims != args.claims else 0
    started = time.perf_counter()
    rows = measure(compare, args.compare_seconds, args) if compare else []
    rows += measure(args.claims, args.seconds, args)
    print_table(rows)
    print(f"\nDone-when targets (issue 9) at {args.claims:,} claims:")
    for ok, text in verdicts(rows, args.claims, compare):
        print(f"  {'PASS' if ok else 'FAIL' if ok is False else ' -- '}  {text}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(rows, indent=1) + "\n")
    print(f"\nWrote {args.output} ({len(rows)} rows) in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
