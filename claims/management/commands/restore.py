"""`manage.py restore FILE [--force]`: load a backup into an empty, migrated database."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from claims.backups import RestoreRefused, restore_from


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into an empty database, after "
        "`manage.py migrate`. All or nothing; refused if the database holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_file", type=Path, help="The .json file `backup` wrote.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that holds data: everything in it is deleted and "
            "replaced by the backup.",
        )

    def handle(self, *args, backup_file: Path, force: bool = False, **options) -> None:
        try:
            count = restore_from(backup_file, force=force)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Restored {count} records from {backup_file}")
