"""bake --only writes the pages named and what they display, leaving the rest of the folder
alone; bake --gzip writes a .gz beside every text file, which a static server (nginx's
gzip_static) sends as the page itself."""

import gzip
import shutil
import tempfile
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import tests.test_bake as full_bake
from claims.publishing.bake import bake
from tests.page_kinds import build_world, page_urls

# The full bake's fixtures and readers: the same settings, the same folder.
collected_static, site, out = full_bake.collected_static, full_bake.site, full_bake.out
live, served_file = full_bake.live, full_bake.served_file


def baked_pages(out: Path) -> set[str]:
    """The addresses of the HTML pages in the folder."""
    return {
        "/" + file.relative_to(out).as_posix().removesuffix("index.html")
        for file in out.rglob("index.html")
        if not file.relative_to(out).as_posix().startswith("static/")
    }


def test_a_partial_bake_writes_the_pages_named_and_the_images_they_show(db, site, out):
    world = build_world()
    dispute, claim = page_urls(world)["dispute"], world.claim.get_absolute_url()

    report = bake(out, collect_static=False, only=[dispute, claim])

    assert baked_pages(out) == {dispute, claim}
    client = live()
    for path in (dispute, claim):
        assert served_file(out, path).read_bytes() == client.get(path).content
    # The share images the pages name (Open Graph), and the stylesheet they use.
    assert (out / f"claims/{world.claim.pk}/card.png").read_bytes() == client.get(
        f"/claims/{world.claim.pk}/card.png"
    ).content
    assert any(out.glob(f"{dispute.lstrip('/')}points/*/card.png"))
    assert (out / "static/css/site.css").is_file()
    # Links to the home page, the party, the sources…: not baked, not broken.
    assert report.broken == 0 and report.not_baked > 10 and report.removed == 0


def test_a_partial_bake_rewrites_its_pages_and_leaves_the_rest_of_a_full_bake(db, site, out):
    world = build_world()
    bake(out, collect_static=False)
    before = {file: file.read_bytes() for file in out.rglob("*") if file.is_file()}
    claim = world.claim.get_absolute_url()
    world.claim.date_note = "Corrected: the date of the interview"
    world.claim.save()

    report = bake(out, collect_static=False, only=[claim])

    after = {file: file.read_bytes() for file in out.rglob("*") if file.is_file()}
    assert set(after) == set(before) and report.removed == 0
    changed = {
        "/" + file.relative_to(out).as_posix()
        for file in after
        if after[file] != before[file] and ".counterpoint-bake" not in file.name
    }
    page = served_file(out, claim).read_bytes()
    assert page == live().get(claim).content and b"Corrected: the date of the interview" in page
    assert f"{claim}index.html" in changed
    # Other pages that show the claim stay as they were until they are baked themselves.
    assert (
        served_file(out, page_urls(world)["dispute"]).read_bytes()
        == before[served_file(out, page_urls(world)["dispute"])]
    )


def test_the_command_counts_links_to_pages_not_baked_instead_of_failing(db, site, out):
    world = build_world()
    stdout = StringIO()
    call_command(
        "bake", str(out), "--no-collectstatic", "--only", page_urls(world)["dispute"], stdout=stdout
    )
    assert "links to pages not baked, not checked" in stdout.getvalue()


@pytest.mark.parametrize(
    "path",
    ["/claims/?q=fell", "claims/", "/claims/#top", "/../etc/passwd", "https://else.example/"],
)
def test_only_refuses_an_address_no_file_of_this_site_can_serve(db, site, out, path):
    with pytest.raises(CommandError):
        call_command("bake", str(out), "--no-collectstatic", "--only", path)


def test_a_partial_bake_of_a_page_the_site_does_not_have_reports_it_broken(db, site, out):
    build_world()
    with pytest.raises(CommandError, match="1 broken links"):
        call_command("bake", str(out), "--no-collectstatic", "--only", "/no-such-page/")


def test_only_accepts_a_full_address_on_the_site(db, site, out):
    world = build_world()
    claim = world.claim.get_absolute_url()
    bake(out, collect_static=False, only=[f"https://counterpoint.example{claim}"])
    assert baked_pages(out) == {claim}


def text_files(out: Path) -> list[Path]:
    return [
        file
        for file in out.rglob("*")
        if file.is_file() and file.suffix in {".html", ".xml", ".txt", ".css", ".js"}
    ]


def test_gzip_writes_beside_each_text_file_the_same_bytes_compressed(db, site, out):
    build_world()
    bake(out, collect_static=False, precompress=True)
    files = text_files(out)
    assert len(files) > 20
    for file in files:
        packed = file.with_name(file.name + ".gz")
        if packed.exists():
            assert gzip.decompress(packed.read_bytes()) == file.read_bytes(), file
    pages = [file for file in files if file.name == "index.html"]
    assert all(file.with_name("index.html.gz").is_file() for file in pages)
    assert not list(out.rglob("*.png.gz"))
    # Unchanged pages leave their .gz as they were; a bake without --gzip removes them all.
    assert bake(out, collect_static=False, precompress=True).written == 0
    bake(out, collect_static=False)
    assert not list(out.rglob("*.gz"))


def test_a_page_rebaked_without_gzip_loses_its_stale_gz(db, site, out):
    world = build_world()
    claim = world.claim.get_absolute_url()
    bake(out, collect_static=False, precompress=True, only=[claim])
    assert served_file(out, claim).with_name("index.html.gz").is_file()
    assert (out / "static/css/site.css.gz").is_file()
    world.claim.date_note = "Corrected: the date of the interview"
    world.claim.save()
    bake(out, collect_static=False, only=[claim])
    # A static server with gzip_static would otherwise send the old page to most readers.
    assert not served_file(out, claim).with_name("index.html.gz").exists()
    assert not (out / "static/css/site.css.gz").exists()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx (Debian) is not installed")
def test_nginx_of_the_benchmark_serves_the_baked_pages_as_the_live_site(db, site, out):
    from bench import tools

    world = build_world()
    pages = ["/", page_urls(world)["dispute"], world.claim.get_absolute_url()]
    feed = f"/feeds/disputes/{world.dispute.slug}/"
    bake(out, collect_static=False, precompress=True, only=[*pages, feed])
    client = live()
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "_single.html").write_text("single")
        with tools.nginx(Path(scratch), out) as base:
            for path in pages:
                gzipped = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(gzipped) as served:
                    assert served.headers["Content-Encoding"] == "gzip"
                    assert served.headers["Content-Type"] == "text/html; charset=utf-8"
                    assert gzip.decompress(served.read()) == client.get(path).content
                with urllib.request.urlopen(base + path) as served:
                    assert served.headers["Content-Encoding"] is None
                    assert served.read() == client.get(path).content
            with urllib.request.urlopen(base + feed) as served:
                assert served.headers["Content-Type"].startswith("application/atom+xml")
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(base + "/.counterpoint-bake.sqlite3")
