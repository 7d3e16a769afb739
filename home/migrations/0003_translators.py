"""Translators (翻訳者): translate and publish pages of the other locales, never the Japanese source.

Their page permissions are on each locale's home page, which exists only once the plan is loaded:
plan.translations.ensure_locales() grants them there.
"""

from django.db import migrations

from home.roles import group_operation

TRANSLATORS = "翻訳者"
PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "wagtail_localize": ["submit_translation"],
    "wagtailimages": ["choose_image"],
    "plan": ["view_department", "change_department"],
}


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_editorial_roles"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [group_operation(TRANSLATORS, PERMISSIONS)]
