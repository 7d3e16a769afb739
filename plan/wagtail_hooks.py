from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from plan.models import Department


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("担当部局")
    list_display = ["name", "locale"]
    search_fields = ["name"]


register_snippet(DepartmentViewSet)
