"""The benchmark's processes: a scratch PostgreSQL database, gunicorn with production
settings, nginx with a config of its own, and wrk driving load."""

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_debian_packages(*commands: str) -> None:
    """wrk and nginx come from Debian, installed as `make system-deps` installs its own."""
    missing = [command for command in commands if not shutil.which(command)]
    if not missing:
        return
    print(f"Installing Debian packages: {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) with only what a plain-HTTP loopback server needs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "b" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver,counterpoint.example",
        # Production settings refuse a loopback SITE_URL; the pages only print it in links, and
        # bake asks for pages on its host, so it is allowed too.
        "SITE_URL": "https://counterpoint.example",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "WARNING",
        "BENCH_VIEWS": "true",
        # Static files come from the finders here; no collectstatic run is needed.
        "PYTHONWARNINGS": "ignore",
        **extra,
    }


def _psql(server_url: str, *commands: str, capture: bool = False) -> str:
    admin_url = server_url.rsplit("/", 1)[0] + "/postgres"
    command = ["psql", admin_url, "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    for sql in commands:
        command += ["-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def database_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(server_url: str, name: str, template: str = "template1") -> str:
    """Drop and create database name (a copy of template) on server_url's server; its URL."""
    _psql(
        server_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return database_url(server_url, name)


def code_digest() -> str:
    """SHA-256 of everything that decides what migrate and seed write: the apps' code
    (migrations included) and the seed corpus."""
    digest = hashlib.sha256()
    for folder in ("tracker", "claims", "sources", "fixtures"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(BASE_DIR)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def migrated_and_seeded(
    server_url: str, env: dict[str, str], name: str, template: str = "cp_bench_template"
) -> tuple[str, bool]:
    """A database with migrations applied and the seed loaded, copied from a template
    database that was built (migrate, seed) from this very code and corpus, tagged with
    their digest; a changed digest builds the template again. Returns (its URL, reused)."""
    digest = code_digest()
    tagged = _psql(
        server_url,
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{template}'",
    )
    reused = tagged == digest
    if not reused:
        built = {**env, "DATABASE_URL": recreate_database(server_url, template)}
        manage(built, "migrate", "--no-input", "-v0")
        manage(built, "seed", "-v0")
        _psql(server_url, f"COMMENT ON DATABASE \"{template}\" IS '{digest}'")
    return recreate_database(server_url, name, template=template), reused


def manage(env: dict[str, str], *args: str, timeout: float | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


def has_command(env: dict[str, str], name: str) -> bool:
    listing = manage(env, "help", "--commands")
    return name in listing.split()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2):
    """The production server on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tracker.wsgi:application", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/_bench/bare/")
        yield base
    finally:
        stop(process)


# One server block for the single file and the baked site alike (a fair comparison): as a
# static host serves a baked folder. gzip_static sends the .gz that bake --gzip (and the
# benchmark, for the single file) wrote beside a file to a client that accepts gzip, with
# Content-Encoding: gzip and the type of the file it stands for; on-the-fly gzip stays for
# anything without one. /path/ is path/index.html (the index module), sent as text/html;
# the Atom feeds, baked as /feeds/<…>/index.html, are sent as Atom.
NGINX_CONF = """\
{user}daemon off;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/xml text/plain text/css application/javascript
        application/xml application/atom+xml image/svg+xml;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    open_file_cache max=10000 inactive=60s;
    open_file_cache_valid 60s;
    gzip on;
    gzip_static on;
    gzip_vary on;
    gzip_types text/css application/javascript application/xml application/atom+xml
        image/svg+xml text/plain text/xml;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
        location = /_single.html {{ root {tmp}; }}
        location /feeds/ {{
            types {{ application/atom+xml html; }}
        }}
        # The ledger is bake's own bookkeeping, not part of the site (a prefix, not a
        # regex: no pattern is tried for the other requests).
        location ^~ /.counterpoint-bake. {{ return 404; }}
    }}
}}
"""


@contextmanager
def nginx(tmp: Path, site: Path):
    """nginx in the foreground with its own config: the baked site at its own paths and
    one static file at /_single.html (in tmp). Yields its base URL."""
    port = free_port()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read tmp (mode 0700)
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port, site=site))
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp), "-e", "stderr"])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/_single.html", seconds=10)
        yield base
    finally:
        stop(process)


def nginx_cpu_seconds(tmp: Path) -> float:
    """CPU time (user + system) nginx's workers have used so far, from /proc: per request,
    it tells how much work nginx does for a target whatever else the machine is running,
    which its rate alone does not (wrk and nginx share the cores with everything else)."""
    master = (tmp / "nginx.pid").read_text().strip()
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


LUA = """\
local paths = {{{paths}}}
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, paths[(n % #paths) + 1])
end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("BENCH %d %d %d %d\\n", latency:percentile(95), e.status,
        e.connect + e.read + e.write + e.timeout, summary.requests))
end
"""


@dataclass
class Load:
    req_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers, socket errors and timeouts

    @classmethod
    def combined(cls, loads: list["Load"]) -> "Load":
        """Rounds of one target as one row: mean rate, median percentiles, totals."""

        def median(values: list[float]) -> float:
            return sorted(values)[len(values) // 2]

        return cls(
            sum(load.req_per_s for load in loads) / len(loads),
            median([load.p50_ms for load in loads]),
            median([load.p95_ms for load in loads]),
            median([load.p99_ms for load in loads]),
            sum(load.requests for load in loads),
            sum(load.errors for load in loads),
        )


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(
    base: str,
    paths: list[str],
    *,
    seconds: int,
    tmp: Path,
    threads: int = 2,
    connections: int = 16,
    headers: dict[str, str] | None = None,
) -> Load:
    """wrk -t2 -c16 -d<seconds> --latency over paths (rotated by a Lua script): req/s and
    p50/p99 from wrk's --latency output, p95 and error counts from the script's done()."""
    script = tmp / "rotate.lua"
    script.write_text(LUA.format(paths=", ".join(f'"{p}"' for p in paths)))
    # A 30 s timeout (wrk's default is 2 s): a slow page is measured, not dropped.
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "30s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(script), base + paths[0]]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p95_us, status, sockets, requests = map(int, re.search(r"BENCH (.*)", out).group(1).split())  # type: ignore[union-attr]
    return Load(rps, p50, p95_us / 1000, p99, requests, status + sockets)


def sequential_ms(url: str, count: int, headers: dict[str, str]) -> float:
    """Median time of count requests one after another: what one reader waits, unloaded."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        fetch(url, headers)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2]
