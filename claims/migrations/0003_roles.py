"""The two staff roles: Analyst and Editor.

Analysts add and correct sources, claims, citations and statistics (and what they need
around them: outlets, speakers, metrics, relations, placements on disputes) but delete
nothing that evidence hangs on: no deleting sources, parties or claims. Editors may do all
of it, delete, and publish assessments. Give a person a role by making them staff and adding
them to the group.

Permissions are created first, so that the migration works on a fresh database (Django
otherwise creates them only after all migrations have run).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYST = "Analyst"
EDITOR = "Editor"

MODELS = {
    "sources": ["outlet", "source"],
    "claims": [
        "party",
        "claim",
        "citation",
        "metric",
        "statistic",
        "claimrelation",
        "dispute",
        "disputeside",
        "disputepoint",
        "pointclaim",
        "assessment",
    ],
}

ANALYST_PERMISSIONS = {
    "sources": {
        "outlet": ["add", "change", "view"],
        "source": ["add", "change", "view"],
    },
    "claims": {
        "party": ["add", "change", "view"],
        "claim": ["add", "change", "view"],
        "citation": ["add", "change", "view"],
        "statistic": ["add", "change", "view"],
        "metric": ["add", "change", "view"],
        # Links between claims and placements on disputes: analysts make and unmake them.
        "claimrelation": ["add", "change", "delete", "view"],
        "pointclaim": ["add", "change", "delete", "view"],
        "dispute": ["view"],
        "disputeside": ["view"],
        "disputepoint": ["view"],
        "assessment": ["view"],
    },
}


def _ensure_permissions(apps) -> None:
    for label in ("auth", "contenttypes", "sources", "claims"):
        app_config = apps.get_app_config(label)
        # Migration state apps have no models module, and create_permissions skips such
        # apps; the real registry (tests call create_roles again) is left as it is.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def create_roles(apps, schema_editor) -> None:
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app_label: str, model: str, actions: list[str]):
        codenames = [f"{action}_{model}" for action in actions]
        found = list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames,
            )
        )
        if len(found) != len(codenames):
            raise RuntimeError(f"Missing permissions for {app_label}.{model}: {codenames}")
        return found

    analyst, _ = Group.objects.get_or_create(name=ANALYST)
    analyst.permissions.set(
        [
            permission
            for app_label, models in ANALYST_PERMISSIONS.items()
            for model, actions in models.items()
            for permission in perms(app_label, model, actions)
        ]
    )

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(
        [
            *(
                permission
                for app_label, models in MODELS.items()
                for model in models
                for permission in perms(app_label, model, ["add", "change", "delete", "view"])
            ),
            *perms("claims", "assessment", ["publish"]),
        ]
    )


def remove_roles(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=[ANALYST, EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_claim_search_indexes"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
