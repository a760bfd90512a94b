import django.db.models.deletion
from django.db import migrations, models

from claims.models.summaries import VALUE_TABLE_ORDER


def store_value_orders(apps, schema_editor):
    """Every metric's values order, as refresh_verdicts would store it (one query), so the
    metric pages need no refresh after upgrading."""
    Statistic = apps.get_model("claims", "Statistic")
    Metric = apps.get_model("claims", "Metric")
    MetricValueOrder = apps.get_model("claims", "MetricValueOrder")
    ordered = {pk: [] for pk in Metric.objects.values_list("pk", flat=True)}
    rows = Statistic.objects.order_by(*VALUE_TABLE_ORDER).values_list("metric_id", "pk")
    for metric_id, pk in rows.iterator(chunk_size=10_000):
        ordered[metric_id].append(pk)
    MetricValueOrder.objects.bulk_create(
        [MetricValueOrder(metric_id=m, statistic_ids=ids) for m, ids in ordered.items()],
        batch_size=200,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="MetricValueOrder",
            fields=[
                (
                    "metric",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="value_order",
                        serialize=False,
                        to="claims.metric",
                    ),
                ),
                ("statistic_ids", models.JSONField(default=list)),
            ],
        ),
        migrations.RunPython(store_value_orders, migrations.RunPython.noop),
    ]
