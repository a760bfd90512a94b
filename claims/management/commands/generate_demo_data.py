"""manage.py generate_demo_data --claims N --seed S: a deterministic demo world in bulk."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from claims.demo.generator import generate
from claims.history import record_baseline_history


class Command(BaseCommand):
    help = (
        "Add N generated claims (with parties, speakers, outlets, sources, anchored "
        "citations, metrics, disputes and the worst cases) in one transaction. The same N "
        "and seed on the same database give the same data; history is recorded only with "
        "--history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--claims", type=int, default=1000, help="claims to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--history",
            action="store_true",
            help="also give every generated row its first history record (slow at scale), "
            "so that a later edit shows as a public correction",
        )

    def handle(self, *args, claims: int, seed: int, history: bool, **options) -> None:
        if claims < 100:
            raise CommandError("Give --claims 100 or more (the worst cases need some claims).")
        report = generate(claims=claims, seed=seed)
        self.stdout.write(
            f"Added {report.claims:,} claims, {report.citations:,} citations, "
            f"{report.sources:,} sources, {report.parties:,} parties, {report.outlets:,} "
            f"outlets, {report.metrics:,} metrics with {report.statistics:,} figures, "
            f"{report.disputes:,} disputes with {report.placements:,} placements and "
            f"{report.relations:,} relations (seed {seed})."
        )
        self.stdout.write(
            f"Worst cases: party {report.worst_party.get_absolute_url()}, metric "
            f"{report.worst_metric.get_absolute_url() if report.worst_metric else '-'}, "
            f"dispute {report.worst_dispute.get_absolute_url()}."
        )
        refreshed = ", ".join(f"{k} {v:,}" for k, v in report.refreshed.items()) or "none"
        self.stdout.write(f"Bulk refreshes run: {refreshed}.")
        laps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.laps.items())
        self.stdout.write(f"Generated in {report.seconds:.1f} s ({laps}).")
        if history:
            started = time.perf_counter()
            made = sum(record_baseline_history(reason="Generated demo data").values())
            self.stdout.write(
                f"History: {made:,} first records in {time.perf_counter() - started:.1f} s."
            )
        if connection.vendor == "postgresql":
            # Bulk writes leave the planner's statistics empty until autovacuum gets round to
            # them: without this, a page read right after (the benchmark's) hash-joins every
            # source for 25 claims' citations (83 ms instead of 1 ms at 100,000 claims).
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"Planner statistics: {time.perf_counter() - started:.1f} s.")
