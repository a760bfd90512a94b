from django.core.management import BaseCommand, CommandError

from claims.corpus import CorpusError, corpus_directory, load_corpus
from sources.models import Source


class Command(BaseCommand):
    help = "Load the seed corpus (fixtures/corpus/) into an empty database, never over data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if sources exist; seed rows are overwritten by their corpus values.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if Source.objects.exists() and not force:
            self.stdout.write("Sources already present; seed data not loaded (use --force).")
            return
        try:
            report = load_corpus(directory=corpus_directory())
        except CorpusError as exc:
            raise CommandError(f"Seed corpus refused, nothing loaded: {exc}") from exc
        if options["verbosity"] >= 1:
            self.stdout.write(f"Seed corpus from {report.directory}: {report.summary()}")
