from django.conf import settings
from django.core.management import BaseCommand, call_command

from claims.history import record_baseline_history
from sources.models import Source

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Load the seed corpus into an empty database (never over data already there)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if sources exist; seed rows are overwritten by their fixture values.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if Source.objects.exists() and not force:
            self.stdout.write("Sources already present; seed data not loaded (use --force).")
            return
        call_command("loaddata", SEED_FIXTURE, verbosity=options["verbosity"])
        # loaddata writes no history; without a first record, later corrections of seeded
        # claims could not be shown on their pages.
        made = record_baseline_history()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Recorded the starting history of {sum(made.values())} seeded objects."
            )
