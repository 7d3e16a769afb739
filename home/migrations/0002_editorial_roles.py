"""Editorial roles: PR editors draft and submit, approvers publish through a workflow, administrators do all."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PR_EDITORS = "広報担当"
APPROVERS = "承認者"
ADMINISTRATORS = "サイト管理者"
PUBLISHING_WORKFLOW = "公開承認"
APPROVAL_TASK = "承認者による承認"

MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("plan", "add_department"),
    ("plan", "change_department"),
    ("plan", "view_department"),
]
ROLE_PAGE_PERMISSIONS = {
    PR_EDITORS: ["add_page", "change_page", "lock_page"],
    APPROVERS: ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "bulk_delete_page", "change_page", "lock_page", "publish_page", "unlock_page"],
}
ADMIN_ONLY_PERMISSIONS = [
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "delete_user"),
    ("auth", "add_group"),
    ("auth", "change_group"),
    ("wagtailcore", "add_workflow"),
    ("wagtailcore", "change_workflow"),
    ("wagtailcore", "add_task"),
    ("wagtailcore", "change_task"),
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
    ("plan", "delete_department"),
]


def ensure_permissions(apps) -> None:
    # Permissions are normally created after all migrations; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor) -> None:
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    def permission(app_label: str, codename: str):
        try:
            return Permission.objects.get(content_type__app_label=app_label, codename=codename)
        except Permission.DoesNotExist:
            raise LookupError(f"{app_label}.{codename}") from None

    root = Page.objects.get(depth=1)
    access_admin = permission("wagtailadmin", "access_admin")
    groups = {}
    for name, page_codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(access_admin, *(permission(app, code) for app, code in MEDIA_PERMISSIONS))
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission("wagtailcore", codename)
            )
    groups[ADMINISTRATORS].permissions.add(*(permission(app, code) for app, code in ADMIN_ONLY_PERMISSIONS))

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.create(name=APPROVAL_TASK, content_type=task_type, active=True)
    task.groups.set([groups[APPROVERS], groups[ADMINISTRATORS]])
    workflow = Workflow.objects.create(name=PUBLISHING_WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # One workflow for the whole tree: Wagtail's default "Moderators approval" is replaced and switched off.
    WorkflowPage.objects.filter(page=root).delete()
    WorkflowPage.objects.create(workflow=workflow, page=root)
    Workflow.objects.exclude(pk=workflow.pk).update(active=False)


def remove_roles(apps, schema_editor) -> None:
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    Workflow.objects.filter(name=PUBLISHING_WORKFLOW).delete()
    Task.objects.filter(name=APPROVAL_TASK).delete()
    Group.objects.filter(name__in=ROLE_PAGE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("plan", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
