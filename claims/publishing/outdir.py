"""The baked site's folder: which file serves which URL, writes that touch only what changed,
and the ledger that marks the folder as bake's own and remembers what the last bake wrote.

The ledger is an SQLite file inside the folder, so memory stays bounded however many pages
there are: it is also the crawl's queue and its set of addresses already seen.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings

# Its presence is what says the folder was made by bake and may be rewritten and pruned.
LEDGER_NAME = ".counterpoint-bake.sqlite3"

# Files a static server sends compressed (nginx's gzip_static, a CDN's precompressed
# objects) when bake writes a .gz beside them: text. PNGs are compressed already.
COMPRESSIBLE_SUFFIXES = (".html", ".xml", ".txt", ".css", ".js", ".svg", ".json", ".map")
GZIP_SUFFIX = ".gz"


class UnsafeOutdir(Exception):
    """The folder is not one bake may write into (the message says why)."""


def file_for(path: str) -> str | None:
    """The file, relative to the folder, that a static server maps the URL path to: a path
    ending in / is its folder's index.html. None when no file can serve it safely."""
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    decoded = unquote(path)
    if decoded.endswith("/"):
        decoded += "index.html"
    parts = decoded.lstrip("/").split("/")
    if any(part in {"", ".", ".."} or part.startswith(LEDGER_NAME) for part in parts):
        return None
    return "/".join(parts)


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Outdir:
    """A folder bake owns. Opening it checks that it is safe to write into."""

    def __init__(self, root: Path, run: int, db: sqlite3.Connection) -> None:
        self.root = root
        self.run = run
        self.db = db

    @classmethod
    def open(cls, root: Path) -> Outdir:
        root = root.expanduser().resolve()
        repo = Path(settings.BASE_DIR).resolve()
        if root == repo or root in repo.parents:
            raise UnsafeOutdir(f"{root} holds the repository; bake into a folder of its own.")
        if root.exists() and not root.is_dir():
            raise UnsafeOutdir(f"{root} is a file, not a folder.")
        ledger = root / LEDGER_NAME
        if root.is_dir() and any(root.iterdir()) and not ledger.is_file():
            raise UnsafeOutdir(
                f"{root} is not empty and was not made by bake (no {LEDGER_NAME}); "
                "bake prunes what it did not write, so it only writes into an empty folder "
                "or one it made."
            )
        root.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(ledger, isolation_level=None)
        db.executescript(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY);
            -- One row per URL bake has met: its file, the bytes' hash and the live
            -- response's validator (to ask again with If-None-Match), and the run that last
            -- met it. state: 0 queued, 1 sent to a worker, 2 done.
            CREATE TABLE IF NOT EXISTS page (
                path TEXT PRIMARY KEY,
                file TEXT,
                sha256 TEXT,
                etag TEXT,
                referrer TEXT,
                run INTEGER NOT NULL,
                state INTEGER NOT NULL DEFAULT 0
            );
            -- Serves the prune: is this file on disk one this run produced?
            CREATE INDEX IF NOT EXISTS page_file ON page (file);
            -- Serves the crawl: the next queued addresses of this run.
            CREATE INDEX IF NOT EXISTS page_queue ON page (run, state);
            """
        )
        run = db.execute("INSERT INTO run DEFAULT VALUES").lastrowid
        assert run is not None
        return cls(root, run, db)

    # The queue -------------------------------------------------------------------------

    def enqueue(self, paths: Iterable[tuple[str, str]]) -> int:
        """Queue (path, referrer) pairs not yet met in this run; how many were new."""
        before = self.db.total_changes
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO page (path, referrer, run, state) VALUES (?, ?, ?, 0) "
            "ON CONFLICT (path) DO UPDATE SET run = excluded.run, state = 0, "
            "referrer = excluded.referrer WHERE page.run != excluded.run",
            ((path, referrer, self.run) for path, referrer in paths),
        )
        self.db.execute("COMMIT")
        return self.db.total_changes - before

    def take(self, limit: int) -> list[tuple[str, str | None, str | None, str | None]]:
        """Up to `limit` queued (path, sha256, etag, referrer), marked as sent."""
        rows = self.db.execute(
            "SELECT path, sha256, etag, referrer FROM page WHERE run = ? AND state = 0 LIMIT ?",
            (self.run, limit),
        ).fetchall()
        self.db.executemany("UPDATE page SET state = 1 WHERE path = ?", ((row[0],) for row in rows))
        return rows

    def record(self, path: str, file: str | None, sha256: str | None, etag: str | None) -> None:
        self.db.execute(
            "UPDATE page SET file = ?, sha256 = ?, etag = ?, run = ?, state = 2 WHERE path = ?",
            (file, sha256, etag, self.run, path),
        )

    def record_static(self, path: str, file: str, sha256: str | None) -> None:
        self.db.execute(
            "INSERT INTO page (path, file, sha256, run, state) VALUES (?, ?, ?, ?, 2) "
            "ON CONFLICT (path) DO UPDATE SET file = excluded.file, sha256 = excluded.sha256, "
            "run = excluded.run, state = 2",
            (path, file, sha256, self.run),
        )

    # Files -------------------------------------------------------------------------------

    def prune(self) -> int:
        """Delete every file this run did not produce, and the folders left empty."""
        removed = 0
        for file in self._files():
            row = self.db.execute(
                "SELECT 1 FROM page WHERE file = ? AND run = ? AND state = 2", (file, self.run)
            ).fetchone()
            if row is None:
                (self.root / file).unlink()
                removed += 1
        self.db.execute("DELETE FROM page WHERE run != ?", (self.run,))
        self.db.execute("DELETE FROM run WHERE id != ?", (self.run,))
        for folder, dirs, files in os.walk(self.root, topdown=False):
            if folder != str(self.root) and not dirs and not files:
                os.rmdir(folder)
        return removed

    def _files(self) -> Iterator[str]:
        for folder, _, files in os.walk(self.root):
            rel = Path(folder).relative_to(self.root)
            for name in files:
                if rel == Path(".") and name.startswith(LEDGER_NAME):
                    continue
                yield (rel / name).as_posix()

    def close(self) -> None:
        self.db.close()


def write_if_changed(root: Path, file: str, content: bytes) -> bool:
    """Write the file unless it already holds exactly these bytes; atomically (a reader of
    the served folder sees the old file or the new one, never half of one)."""
    target = root / file
    try:
        if target.stat().st_size == len(content) and target.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    except NotADirectoryError as exc:
        raise UnsafeOutdir(f"{file} would be inside a file of the baked site") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)
    return True


def file_matches(root: Path, file: str, sha256: str | None) -> bytes | None:
    """The file's bytes if it is on disk with this hash (a page still as baked), else None."""
    if sha256 is None:
        return None
    try:
        content = (root / file).read_bytes()
    except OSError:
        return None
    return content if sha256_of(content) == sha256 else None


def is_compressible(file: str) -> bool:
    return file.endswith(COMPRESSIBLE_SUFFIXES)


def gzipped(content: bytes) -> bytes:
    """The bytes a .gz sibling holds: the same input always gives the same file (no time
    stamp), so an unchanged page leaves its .gz untouched too."""
    return gzip.compress(content, compresslevel=9, mtime=0)


def write_sibling(root: Path, file: str, content: bytes, *, precompress: bool) -> str | None:
    """Bring file's .gz sibling in line with content: written when precompressing and it
    saves bytes, else removed (a static server would go on sending an old page's .gz in
    place of the new page). The sibling's name, when there is one."""
    sibling = file + GZIP_SUFFIX
    if precompress and is_compressible(file):
        packed = gzipped(content)
        if len(packed) < len(content):
            write_if_changed(root, sibling, packed)
            return sibling
    (root / sibling).unlink(missing_ok=True)
    return None
