import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from claims.extraction.evaluation import PARTS, GoldError, as_text, evaluate

DATA = Path(settings.BASE_DIR) / "tests" / "data" / "extraction_eval"


class Command(BaseCommand):
    help = (
        "Score the extractor and the every-sentence baseline on the hand-annotated evaluation "
        "set, per part and kind. Reads files only; touches no database."
    )
    # No database, so no checks that might want one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
        parser.add_argument("--json", action="store_true", help="One JSON document instead.")
        parser.add_argument("--data", type=Path, default=DATA, help="The evaluation set's folder.")

    def handle(self, *args, part: str, json: bool, data: Path, **options) -> None:
        parts = PARTS if part == "all" else (part,)
        try:
            results = evaluate(data, parts)
        except GoldError as exc:
            raise CommandError(f"The evaluation set has problems:\n{exc}") from exc
        if json:
            self.stdout.write(_json([r.as_dict() for r in results]))
        else:
            self.stdout.write(as_text(results))


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
