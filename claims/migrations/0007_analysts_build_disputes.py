"""Analysts build disputes: they may add and change disputes, their sides and their points
(placements they could already make). Deleting a dispute, a side or a point stays with
Editors, as does publishing assessments."""

from django.db import migrations

ANALYST = "Analyst"
BUILDING = {"dispute": ["add", "change"], "disputeside": ["add", "change"], "disputepoint": ["add", "change"]}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in BUILDING.items() for action in actions]
    found = list(
        Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    )
    if len(found) != len(codenames):
        raise RuntimeError(f"Missing permissions among {codenames}")
    return found


def grant(apps, schema_editor) -> None:
    analyst = apps.get_model("auth", "Group").objects.get(name=ANALYST)
    analyst.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor) -> None:
    analyst = apps.get_model("auth", "Group").objects.filter(name=ANALYST).first()
    if analyst is not None:
        analyst.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_history_of_parties_metrics_disputes_and_relations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
