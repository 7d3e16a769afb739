"""The moderators group (意見担当): the only staff who see comments and the personal data in them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "意見担当"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("consultations", "add_comment"),
    ("consultations", "change_comment"),
    ("consultations", "view_comment"),
    ("consultations", "add_responsetopic"),
    ("consultations", "change_responsetopic"),
    ("consultations", "delete_responsetopic"),
    ("consultations", "view_responsetopic"),
]


def create_moderators(apps, schema_editor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_moderators(apps, schema_editor) -> None:
    apps.get_model("auth.Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
