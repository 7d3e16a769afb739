"""Editorial roles: PR editors draft and submit, approvers publish through a workflow, administrators do all."""

from django.db import migrations

from home.roles import ensure_permissions, permissions

PR_EDITORS = "広報担当"
APPROVERS = "承認者"
ADMINISTRATORS = "サイト管理者"
PUBLISHING_WORKFLOW = "公開承認"
APPROVAL_TASK = "承認者による承認"

MEDIA_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
    "plan": ["add_department", "change_department", "view_department"],
}
ROLE_PAGE_PERMISSIONS = {
    PR_EDITORS: ["add_page", "change_page", "lock_page"],
    APPROVERS: ["add_page", "change_page", "lock_page", "publish_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "bulk_delete_page", "change_page", "lock_page", "publish_page", "unlock_page"],
}
ADMIN_ONLY_PERMISSIONS = {
    "auth": ["add_user", "change_user", "delete_user", "add_group", "change_group"],
    "wagtailcore": ["add_workflow", "change_workflow", "add_task", "change_task"],
    "wagtailimages": ["delete_image"],
    "wagtaildocs": ["delete_document"],
    "plan": ["delete_department"],
}


def create_roles(apps, schema_editor) -> None:
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    root = Page.objects.get(depth=1)
    groups = {}
    for name, page_codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(*permissions(apps, MEDIA_PERMISSIONS))
        for page_permission in permissions(apps, {"wagtailcore": page_codenames}):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=page_permission)
    groups[ADMINISTRATORS].permissions.add(*permissions(apps, ADMIN_ONLY_PERMISSIONS))

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
