from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from progress.permissions import departments_of


class KPIActualForm(WagtailAdminModelForm):
    """The entry form offers a department's staff only its own rows and itself as the reporting department."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = departments_of(self.for_user) if self.for_user is not None else set()
        if self.allowed is not None:
            if "department" in self.fields:
                self.fields["department"].queryset = self.fields["department"].queryset.filter(pk__in=self.allowed)
            if "kpi" in self.fields:
                self.fields["kpi"].queryset = (
                    self.fields["kpi"].queryset.filter(page__department_links__department__in=self.allowed).distinct()
                )
        if "kpi" in self.fields:
            self.fields["kpi"].queryset = (
                self.fields["kpi"].queryset.select_related("page").order_by("page__path", "sort_order")
            )
            self.fields["kpi"].label_from_instance = lambda row: f"{row.page.number} {row.indicator[:60]}"

    def clean_department(self):
        department = self.cleaned_data.get("department")
        if self.allowed is not None and department is not None and department.pk not in self.allowed:
            raise ValidationError(_("担当する部局の実績だけを入力できます。"))
        return department
