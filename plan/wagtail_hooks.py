from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.hooks import HOME_PAGE_CONTEXT, SITE_CONTACT
from home.visibility import public
from plan.models import AreaPage, Department, PlanPage


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("担当部局")
    list_display = ["name", "locale"]
    search_fields = ["name"]


register_snippet(DepartmentViewSet)


@hooks.register(HOME_PAGE_CONTEXT)
def plan_on_the_home_page(home, request) -> dict:
    plan_page = public(PlanPage.objects.live().child_of(home)).first()
    areas = public(AreaPage.objects.live().descendant_of(plan_page)) if plan_page else AreaPage.objects.none()
    return {"plan_page": plan_page, "areas": areas}


@hooks.register(SITE_CONTACT)
def plan_contact(home) -> PlanPage | None:
    return PlanPage.objects.live().child_of(home).first()
