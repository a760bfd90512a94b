"""PartySummary: each party's claims counted by year, kept on write (claims/receivers.py). Not
filled here: a party page builds its own on first view, the party list counts as before until
then, and generate_demo_data, restore and `refresh_verdicts` fill every party."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_search_index_without_pending_list"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartySummary",
            fields=[
                (
                    "party",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="summary",
                        serialize=False,
                        to="claims.party",
                    ),
                ),
                ("claim_count", models.PositiveIntegerField(default=0)),
                ("years", models.JSONField(default=list)),
            ],
            options={
                "ordering": ["party_id"],
            },
        ),
    ]
