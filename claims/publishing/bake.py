"""Bake the public site into a folder: every page a reader can reach from the home page, the
sitemap and robots.txt, plus the permalinks nothing links to any more (old slugs, withdrawn
claims) and the embeds other sites frame, each written only when its bytes changed.

The crawl is the proof that links work: a page is baked because a baked page (or the
sitemap) names it, and a named page the live site does not serve is reported as broken.

A partial bake (only=[paths]) writes those pages and what they display (static files, the
share images they name) into the folder and leaves every other file as it was: a newsroom
re-publishing one dispute after a correction, or the benchmark, which serves a few pages.
It does not follow links to other pages, so it cannot vouch for them and does not report
them as broken; it counts them. It prunes nothing.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from django.urls import reverse

from claims.models import Claim, DisputePoint
from claims.publishing.links import static_prefix
from claims.publishing.outdir import (
    GZIP_SUFFIX,
    Outdir,
    file_for,
    sha256_of,
    write_if_changed,
    write_sibling,
)
from claims.publishing.render import BakeError, Outcome, Renderer, Result

# Addresses handed to the workers at a time, per worker: enough to keep them busy while the
# main process records results, few enough that memory does not grow with the site.
IN_FLIGHT_PER_JOB = 16
BROKEN_SHOWN = 20


@dataclass
class Report:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    redirects: int = 0
    skipped: int = 0
    static_written: int = 0
    static_unchanged: int = 0
    dynamic_links: int = 0
    not_baked: int = 0  # a partial bake's links to pages it was not asked for
    broken: int = 0
    broken_examples: list[tuple[str, str | None]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return self.written + self.unchanged

    def add_broken(self, path: str, referrer: str | None) -> None:
        self.broken += 1
        if len(self.broken_examples) < BROKEN_SHOWN:
            self.broken_examples.append((path, referrer))


def seed_paths() -> Iterator[str]:
    """Where the crawl starts, and the addresses it cannot reach by links."""
    yield reverse("home")
    yield reverse("robots")
    yield reverse("sitemap")
    # Short permalinks and embeds of every claim (the embeds are framed by other sites,
    # found through oEmbed, which a static host cannot answer).
    for pk in Claim.objects.order_by("pk").values_list("pk", flat=True).iterator(2000):
        yield reverse("claims:detail_by_id", kwargs={"pk": pk})
        yield reverse("share:embed_claim", kwargs={"pk": pk})
    # Every slug a claim ever had (the live site redirects any slug; a static host can only
    # redirect the ones it was given) and the permalinks of withdrawn claims (410 pages).
    history = Claim.history.order_by().values_list("id", "slug").distinct()
    for pk, slug in history.iterator(2000):
        yield reverse("claims:detail_by_id", kwargs={"pk": pk})
        yield reverse("claims:detail", kwargs={"pk": pk, "slug": slug or "claim"})
    points = DisputePoint.objects.order_by("pk").values_list("pk", "dispute__slug")
    for pk, dispute_slug in points.iterator(2000):
        yield reverse("share:embed_point", kwargs={"pk": pk})
        yield reverse("disputes:point_card", kwargs={"slug": dispute_slug, "pk": pk})


def copy_static(outdir: Outdir, report: Report, *, precompress: bool = False) -> None:
    """collectstatic's output (hashed and compressed names with STATIC_MANIFEST) under the
    static URL's path; precompress: a .gz beside each text file collectstatic did not
    compress itself."""
    prefix = static_prefix()
    root = Path(settings.STATIC_ROOT)
    if prefix is None or not root.is_dir():
        return
    for folder, _, files in os.walk(root):
        names = set(files)
        for name in files:
            source = Path(folder) / name
            rel = source.relative_to(root).as_posix()
            file = prefix.lstrip("/") + rel
            content = source.read_bytes()
            if write_if_changed(outdir.root, file, content):
                report.static_written += 1
            else:
                report.static_unchanged += 1
            outdir.record_static(prefix + rel, file, sha256_of(content))
            if name + GZIP_SUFFIX in names:
                continue  # collectstatic compressed it: its .gz is copied as it is
            if sibling := write_sibling(outdir.root, file, content, precompress=precompress):
                outdir.record_static(prefix + rel + GZIP_SUFFIX, sibling, None)


_worker: Renderer | None = None


# Database connections a worker found open when it was forked: kept, never used or closed.
# Closing one would end the parent's session (psycopg2 says goodbye on the shared socket),
# and letting it be garbage-collected would do the same; workers leave by os._exit.
_inherited: list[object] = []


def _start_worker(root: Path, precompress: bool) -> None:
    global _worker
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _inherited.append(connection.connection)
            connection.connection = None  # this worker opens its own on first use
    _worker = Renderer(root, precompress=precompress)


def _bake_in_worker(path: str, sha256: str | None, etag: str | None) -> Outcome:
    assert _worker is not None
    return _worker.bake(path, sha256, etag)


def only_paths(paths: Sequence[str]) -> list[str]:
    """A partial bake's addresses as paths on this site (a full address on SITE_URL is
    taken as its path); BakeError for one no static file can serve."""
    found = []
    for given in paths:
        path = given.removeprefix(settings.SITE_URL) if "://" in given else given
        if not path.startswith("/") or "?" in path or "#" in path:
            raise BakeError(
                f"{given!r} is not a path of this site that a static file can serve "
                "(give e.g. /disputes/<slug>/, with no query string)."
            )
        if file_for(path) is None:
            raise BakeError(f"No file can serve {given!r}.")
        found.append(path)
    return found


def is_displayed(path: str) -> bool:
    """A link a partial bake follows because the page shows it (a share image), rather
    than a page a reader may go on to."""
    kind = mimetypes.guess_type(path)[0] or ""
    return kind.startswith("image/")


def bake(
    root: Path,
    *,
    jobs: int = 1,
    revalidate: bool = True,
    collect_static: bool = True,
    only: Sequence[str] | None = None,
    precompress: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Bring the folder up to date with the live site. revalidate: ask with If-None-Match
    for files still as baked, instead of fetching every page whole. only: bake these paths
    and what they display, nothing else (see the module's docstring). precompress: a .gz
    beside every text file, for servers that send it as is (nginx's gzip_static)."""
    started = time.monotonic()
    report = Report()
    seeds = only_paths(only) if only is not None else None
    outdir = Outdir.open(root)
    try:
        if collect_static:
            call_command("collectstatic", interactive=False, verbosity=0)
        copy_static(outdir, report, precompress=precompress)
        log(f"Static files: {report.static_written} written, {report.static_unchanged} same.")
        batch: list[tuple[str, str]] = []
        for path in seeds if seeds is not None else seed_paths():
            batch.append((path, ""))
            if len(batch) >= 2000:
                outdir.enqueue(batch)
                batch = []
        outdir.enqueue(batch)
        # Every page is asked for once: storing it in the page cache would cost a write
        # (with the file cache, a listing of its folder) that no reader of this process
        # uses. Share images keep their own cache, by what they draw.
        with override_settings(PAGE_CACHE=False):
            _crawl(
                outdir,
                report,
                jobs=jobs,
                revalidate=revalidate,
                partial=seeds is not None,
                precompress=precompress,
                log=log,
            )
        # A partial bake saw only some pages: it cannot tell which other files are stale.
        if seeds is None:
            report.removed = outdir.prune()
    finally:
        outdir.close()
    report.seconds = time.monotonic() - started
    return report


def _crawl(
    outdir: Outdir,
    report: Report,
    *,
    jobs: int,
    revalidate: bool,
    partial: bool,
    precompress: bool,
    log: Callable[[str], None],
) -> None:
    referrers: dict[str, str | None] = {}

    def handle(outcome: Outcome) -> None:
        referrer = referrers.pop(outcome.path, None)
        if outcome.result is Result.MISSING:
            report.add_broken(outcome.path, referrer)
        elif outcome.result is Result.SKIPPED:
            report.skipped += 1
        else:
            if outcome.result is Result.WRITTEN:
                report.written += 1
                log(f"wrote {outcome.path}")
            report.unchanged += outcome.result is Result.UNCHANGED
            report.redirects += outcome.redirect
        outdir.record(outcome.path, outcome.file, outcome.sha256, outcome.etag)
        if outcome.sibling:
            outdir.record_static("/" + outcome.sibling, outcome.sibling, None)
        links = outcome.links
        report.dynamic_links += links.dynamic
        for path in links.static:
            if not (outdir.root / path.lstrip("/")).is_file():
                report.add_broken(path, outcome.path)
        internal = sorted(links.internal)
        if partial:
            followed = [path for path in internal if is_displayed(path)]
            report.not_baked += len(internal) - len(followed)
            internal = followed
        outdir.enqueue((path, outcome.path) for path in internal)

    def work() -> Iterator[tuple[str, str | None, str | None]]:
        for path, sha256, etag, referrer in outdir.take(IN_FLIGHT_PER_JOB * max(jobs, 1)):
            referrers[path] = referrer or None
            yield path, sha256, etag if revalidate else None

    if jobs <= 1:
        renderer = Renderer(outdir.root, precompress=precompress)
        while items := list(work()):
            for item in items:
                handle(renderer.bake(*item))
        return
    # Workers are forked with the settings and URLs already loaded; each opens its own
    # database connection (none may be inherited open).
    connections.close_all()
    context = get_context("fork")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(outdir.root, precompress)
    ) as pool:
        pending: set[Future[Outcome]] = set()
        while True:
            if len(pending) < IN_FLIGHT_PER_JOB * jobs // 2:
                pending |= {pool.submit(_bake_in_worker, *item) for item in work()}
            if not pending:
                break
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                handle(future.result())
