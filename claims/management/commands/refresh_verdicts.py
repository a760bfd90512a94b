"""Recompute every stored verdict (claims.comparisons.refresh_all_verdicts) and every party's
claims by year (PartySummary): after a bulk load that bypassed save(), or once after
upgrading to the release that stores them."""

from django.core.management.base import BaseCommand

from claims.comparisons import refresh_all_verdicts
from claims.models.summaries import refresh_party_summaries


class Command(BaseCommand):
    help = "Recompute the stored verdicts on differing figures of every metric."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"Refreshed the verdicts of {refresh_all_verdicts()} metrics.")
        self.stdout.write(f"Counted the claims of {refresh_party_summaries()} parties by year.")
