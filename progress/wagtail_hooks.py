from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from progress import admin_import
from progress.forms import KPIActualForm
from progress.models import DepartmentTeam, KPIActual
from progress.permissions import DepartmentPermissionPolicy, departments_of

register_permission_policy(KPIActual, DepartmentPermissionPolicy(KPIActual))


class KPIActualViewSet(SnippetViewSet):
    model = KPIActual
    icon = "table"
    menu_label = _("KPIの実績")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "__str__",
        Column("fiscal_year", label=_("年度")),
        Column("display", label=_("実績")),
        Column("department", label=_("報告部局")),
        Column("demo_label", label=_("デモデータ")),
    ]
    list_filter = ["fiscal_year", "department", "live", "is_demo"]
    edit_handler = ObjectList(KPIActual.panels, base_form_class=KPIActualForm)

    def get_queryset(self, request):
        queryset = KPIActual.objects.select_related("kpi__page", "department")
        allowed = departments_of(request.user)
        return queryset if allowed is None else queryset.filter(department_id__in=allowed)


class DepartmentTeamViewSet(SnippetViewSet):
    model = DepartmentTeam
    icon = "group"
    menu_label = _("部局の実績報告グループ")
    add_to_settings_menu = True


register_snippet(KPIActualViewSet)
register_snippet(DepartmentTeamViewSet)


def refuse_other_departments(request, instance) -> None:
    """The edit, delete and workflow views all pass here: another department's row is refused outright."""
    if isinstance(instance, KPIActual):
        allowed = departments_of(request.user)
        if allowed is not None and instance.department_id not in allowed:
            raise PermissionDenied


hooks.register("before_edit_snippet", refuse_other_departments)


@hooks.register("before_delete_snippet")
def refuse_deleting_other_departments(request, instances) -> None:
    for instance in instances:
        refuse_other_departments(request, instance)


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("progress.add_kpiactual")


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("progress/actuals/import/", admin_import.import_actuals, name="progress_actual_import")]


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("KPIの実績の取込"),
        reverse("progress_actual_import"),
        icon_name="upload",
        order=251,
    )
