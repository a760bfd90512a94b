"""Statistic.claim_claimed_on: the claim's date copied onto its figures, so a metric's values
table (period, then the claim's date) is read in the order of statistic_values_table_idx
instead of joining and sorting every value of the metric. Filled by one UPDATE."""

import sources.indexes
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_claim_dates(apps, schema_editor):
    alias = schema_editor.connection.alias
    claim = apps.get_model("claims", "Claim")
    statistic = apps.get_model("claims", "Statistic")
    claimed_on = claim.objects.using(alias).filter(pk=OuterRef("claim_id")).values("claimed_on")
    statistic.objects.using(alias).update(claim_claimed_on=Subquery(claimed_on[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_party_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="statistic",
            name="claim_claimed_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_claim_dates, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="statistic",
            index=sources.indexes.NullsOrderIndex(
                models.F("metric"),
                models.OrderBy(models.F("period_start"), nulls_last=True),
                models.OrderBy(models.F("claim_claimed_on"), nulls_last=True),
                models.F("id"),
                name="statistic_values_table_idx",
            ),
        ),
    ]
