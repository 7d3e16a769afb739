"""Translators (翻訳者): translate and publish pages of the other locales, never the Japanese source.

Their page permissions are on each locale's home page, which exists only once the plan is loaded:
plan.translations.ensure_locales() grants them there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATORS = "翻訳者"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtail_localize", "submit_translation"),
    ("wagtailimages", "choose_image"),
    ("plan", "view_department"),
    ("plan", "change_department"),
]


def create_translators(apps, schema_editor) -> None:
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=TRANSLATORS)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_translators(apps, schema_editor) -> None:
    apps.get_model("auth.Group").objects.filter(name=TRANSLATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_editorial_roles"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_translators, remove_translators)]
