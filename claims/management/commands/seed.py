from django.conf import settings
from django.core.management import BaseCommand, call_command

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
