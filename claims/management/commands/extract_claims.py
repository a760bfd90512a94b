import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from claims.extraction import extract
from sources.forms import UnreadableUpload, article_text


class Command(BaseCommand):
    help = (
        "Print the quotes and figures proposed for an article (.txt, or .html reduced to its "
        "text), one JSON object per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A .txt or .html file.")
        parser.add_argument(
            "--no-db",
            action="store_true",
            help="Do not read known parties and metrics from the database.",
        )

    def handle(self, *args, path: Path, no_db: bool = False, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            body = article_text(data, filename=path.name)
        except UnreadableUpload as exc:
            raise CommandError(f"{path}: {exc}") from exc
        parties, metrics = [], []
        if not no_db:
            from claims.services import known_metrics, known_parties

            try:
                parties, metrics = known_parties(), known_metrics()
            except DatabaseError:
                self.stderr.write("No database to read parties and metrics from; going on without.")
        for proposal in extract(body, parties=parties, metrics=metrics):
            self.stdout.write(json.dumps(proposal.as_json(), ensure_ascii=False))
