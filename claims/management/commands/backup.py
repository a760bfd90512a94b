"""`manage.py backup [--output FILE]`: the whole database, history included, as one file."""

import os
from pathlib import Path

from django.core.management import BaseCommand

from claims.backups import backup_to, default_backup_path


class Command(BaseCommand):
    help = (
        "Write every record, its history, users and groups to a JSON backup file that "
        "`manage.py restore` loads into an empty database (SQLite or PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write it. Default: $BACKUP_FILE, else backups/counterpoint-<time>.json",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        path = output or Path(os.environ.get("BACKUP_FILE") or default_backup_path())
        count = backup_to(path)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Backed up {count} records to {path}")
