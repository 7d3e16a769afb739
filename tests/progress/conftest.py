from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from plan.models import KPI, Department
from progress.models import DepartmentTeam, KPIActual, ProgressPage


@pytest.fixture
def progress_page(db) -> ProgressPage:
    call_command("create_demo_progress", japanese_only=True, verbosity=0)
    return ProgressPage.objects.get(locale__language_code="ja")


@pytest.fixture
def kpi_row(card):
    def get(number: str, index: int = 0) -> KPI:
        return list(card(number).kpis.order_by("sort_order"))[index]

    return get


@pytest.fixture
def publish_actual():
    def publish(row: KPI, year: int, value=None, **fields) -> KPIActual:
        actual = KPIActual(
            kpi=row,
            fiscal_year=year,
            value=Decimal(str(value)) if value is not None else None,
            as_of=fields.pop("as_of", date(year + 1, 3, 31)),
            source=fields.pop("source", "テスト"),
            department=fields.pop("department", row.page.departments()[0]),
            live=False,
            **fields,
        )
        actual.save()
        actual.save_revision().publish()
        return actual

    return publish


@pytest.fixture
def department_staff(db, django_user_model):
    """A user in the reporting team of the named department, with the model permissions a team has."""

    def make(username: str, department_name: str):
        department = Department.objects.get(name=department_name, locale__language_code="ja")
        group = Group.objects.create(name=f"実績報告 {department_name}")
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["progress", "wagtailadmin"],
                codename__in=["access_admin", "add_kpiactual", "change_kpiactual", "view_kpiactual"],
            )
        )
        DepartmentTeam.objects.create(department=department, group=group)
        user = django_user_model.objects.create_user(username=username, password="pw-" + username)
        user.groups.add(group)
        return user

    return make
