"""Image and document rights on the root collection for the editorial groups.

Wagtail checks image and document permissions per collection (GroupCollectionPermission); the model
permissions that 0002/0003 gave the groups alone let nobody upload a figure. Each group gets, on the root
collection (so on every collection below it), the image and document permissions it already holds.
"""

from django.db import migrations

GROUPS = ["広報担当", "承認者", "サイト管理者", "翻訳者"]
APPS = ["wagtailimages", "wagtaildocs"]


def grant(apps, schema_editor) -> None:
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group in Group.objects.filter(name__in=GROUPS):
        for permission in group.permissions.filter(content_type__app_label__in=APPS):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def revoke(apps, schema_editor) -> None:
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name__in=GROUPS, permission__content_type__app_label__in=APPS, collection__depth=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0003_translators")]

    operations = [migrations.RunPython(grant, revoke)]
