import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from claims.bundles.export import build_bundle
from claims.models import Dispute


class Command(BaseCommand):
    help = (
        "Write a dispute, with every placed claim and everything they cite, as one "
        "self-contained JSON bundle (for import_dispute on another installation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The dispute's slug, as in its URL.")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="Write to this file (UTF-8) instead of standard output.",
        )

    def handle(self, *args, slug: str, output: Path | None = None, **options) -> None:
        dispute = Dispute.objects.filter(slug=slug).first()
        if dispute is None:
            known = ", ".join(Dispute.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No dispute has the slug “{slug}”. Known: {known or 'none'}.")
        bundle = build_bundle(dispute=dispute)
        text = json.dumps(bundle, ensure_ascii=False, indent=2)
        for omitted in bundle["omitted"]:
            self.stderr.write(
                f"Left out: claim {omitted['claim']}'s citation of {omitted['source']} "
                f"({omitted['reason']})"
            )
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        self.stderr.write(f"Wrote {len(bundle['claims'])} claims of “{dispute}” to {output}.")
