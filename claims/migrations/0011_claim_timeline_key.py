"""Claim.timeline_key: a claim's place on a timeline, stored, so a party's timeline is read
in index order (claim_party_timeline_idx, claim_speaker_timeline_idx) instead of sorting all
of the party's claims on every page. Filled by one UPDATE (the rule's SQL form), however
many claims there are."""

import sources.indexes
from django.db import migrations, models

from claims.models.timeline_order import timeline_key_expression


def fill_timeline_keys(apps, schema_editor):
    claim = apps.get_model("claims", "Claim")
    claim.objects.using(schema_editor.connection.alias).update(
        timeline_key=timeline_key_expression()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_metric_page_value_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="timeline_key",
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_timeline_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="claim",
            index=sources.indexes.NullsOrderIndex(
                models.F("party"),
                models.OrderBy(models.F("timeline_key"), nulls_last=True),
                models.F("id"),
                name="claim_party_timeline_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=sources.indexes.NullsOrderIndex(
                models.F("speaker"),
                models.OrderBy(models.F("timeline_key"), nulls_last=True),
                models.F("id"),
                name="claim_speaker_timeline_idx",
            ),
        ),
    ]
