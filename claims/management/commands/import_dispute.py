import sys
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import transaction

from claims.bundles.importer import import_bundle
from claims.bundles.schema import BundleError, load_bundle


class Command(BaseCommand):
    help = (
        "Import a dispute bundle written by export_dispute, reusing the sources, parties, "
        "metrics, outlets and claims this database already has. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The bundle file, or - for standard input.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then roll back: nothing is saved.",
        )

    def handle(self, *args, path: str, dry_run: bool = False, **options) -> None:
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            bundle = load_bundle(raw)
            with transaction.atomic():
                result = import_bundle(bundle=bundle)
                if dry_run:
                    transaction.set_rollback(True)
        except BundleError as exc:
            raise CommandError(exc.message) from exc
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} dispute “{result.dispute.title}” ({result.dispute.slug}):")
        for line in result.tally.lines():
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
