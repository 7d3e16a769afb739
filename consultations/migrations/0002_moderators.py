"""The moderators group (意見担当): the only staff who see comments and the personal data in them."""

from django.db import migrations

from home.roles import group_operation

MODERATORS = "意見担当"
PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "consultations": [
        *("add_comment", "change_comment", "view_comment"),
        *("add_responsetopic", "change_responsetopic", "delete_responsetopic", "view_responsetopic"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [group_operation(MODERATORS, PERMISSIONS)]
