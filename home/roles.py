"""Names of the editorial groups that the data migrations create (tests and services refer to them here), and
the helpers those migrations share."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PR_EDITORS = "広報担当"
APPROVERS = "承認者"
ADMINISTRATORS = "サイト管理者"
MODERATORS = "意見担当"
TRANSLATORS = "翻訳者"


def ensure_permissions(apps) -> None:
    """Create every model's permissions now: Django creates them only after all migrations have run."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions(apps, codenames: dict[str, list[str]]) -> list:
    """The permissions named by app label → codenames; LookupError names one that does not exist."""
    Permission = apps.get_model("auth.Permission")
    found = []
    for app_label, names in codenames.items():
        for codename in names:
            try:
                found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
            except Permission.DoesNotExist:
                raise LookupError(f"{app_label}.{codename}") from None
    return found


def create_group(apps, name: str, codenames: dict[str, list[str]]) -> None:
    """The group `name` with these permissions (app label → codenames), for a data migration."""
    ensure_permissions(apps)
    group, _ = apps.get_model("auth.Group").objects.get_or_create(name=name)
    group.permissions.add(*permissions(apps, codenames))


def delete_group(apps, name: str) -> None:
    apps.get_model("auth.Group").objects.filter(name=name).delete()


def group_operation(name: str, codenames: dict[str, list[str]]) -> migrations.RunPython:
    """A data migration's operation that creates the group `name` (and deletes it when reversed)."""
    return migrations.RunPython(
        lambda apps, schema_editor: create_group(apps, name, codenames),
        lambda apps, schema_editor: delete_group(apps, name),
    )
