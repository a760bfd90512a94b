from pathlib import Path

from django.core.management import BaseCommand, CommandError

from claims.publishing.bake import bake
from claims.publishing.outdir import UnsafeOutdir
from claims.publishing.render import BakeError


class Command(BaseCommand):
    help = (
        "Write every public page, feed, sitemap, share image and static file into OUTDIR as "
        "flat files any static server can serve; a re-bake rewrites only what changed and "
        "removes what no longer exists. With --only, just the pages named and what they "
        "display (static files, their share images), leaving the rest of OUTDIR as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path, help="An empty folder, or one bake made.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Worker processes rendering pages (default 1).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Fetch every page whole instead of revalidating unchanged files by ETag.",
        )
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="PATH",
            help="Bake only these pages (e.g. /disputes/<slug>/ after a correction) with the "
            "static files and share images they show; other files stay, nothing is pruned, "
            "and links to pages not baked are counted, not checked.",
        )
        parser.add_argument(
            "--gzip",
            action="store_true",
            help="Write a .gz beside every text file, for static servers that send it as it "
            "is (nginx's gzip_static, a CDN's precompressed files).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Copy STATIC_ROOT as it is, without running collectstatic first.",
        )

    def handle(
        self, *args, outdir: Path, jobs: int, full: bool, only: list[str] | None, **options
    ) -> None:
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more.")
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            report = bake(
                outdir,
                jobs=jobs,
                revalidate=not full,
                collect_static=not options["no_collectstatic"],
                only=only,
                precompress=options["gzip"],
                log=log,
            )
        except (UnsafeOutdir, BakeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Baked {report.pages} pages into {outdir} in {report.seconds:.1f} s: "
            f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed "
            f"({report.redirects} are redirects). Static files: {report.static_written} "
            f"written, {report.static_unchanged} unchanged. {report.dynamic_links} links need "
            "the live site (query strings, the API, oEmbed)."
            + (
                f" Partial bake: {report.not_baked} links to pages not baked, not checked."
                if only is not None
                else ""
            )
        )
        if report.broken:
            lines = "\n".join(
                f"  {path} (linked from {referrer or 'the start'})"
                for path, referrer in report.broken_examples
            )
            raise CommandError(
                f"{report.broken} broken links (the live site answers 404):\n{lines}"
            )
