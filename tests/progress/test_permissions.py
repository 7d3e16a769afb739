import pytest

from progress.models import KPIActual
from progress.permissions import DepartmentPermissionPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rows(kpi_row, publish_actual):
    """An actual of 防災対策部 (card 1-1) and one of 県土整備部 (card 1-2-1)."""
    own = publish_actual(kpi_row("1-1"), 2023, 3262)
    other = publish_actual(kpi_row("1-2-1"), 2023, milestone="試験運用", milestone_status="on_track")
    return own, other


def edit_url(actual: KPIActual) -> str:
    return f"/admin/snippets/progress/kpiactual/edit/{actual.pk}/"


def test_a_department_cannot_open_or_change_another_departments_row(client, two_rows, department_staff):
    own, other = two_rows
    client.force_login(department_staff("bosai", "防災対策部"))
    assert client.get(edit_url(own)).status_code == 200
    assert client.get(edit_url(other)).status_code in (302, 403)
    before = other.revisions.count()
    response = client.post(edit_url(other), {"kpi": other.kpi_id, "fiscal_year": 2023, "milestone": "改ざん"})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.milestone == "試験運用" and other.revisions.count() == before


def test_the_listing_shows_a_department_only_its_own_rows(client, two_rows, department_staff):
    own, other = two_rows
    client.force_login(department_staff("bosai", "防災対策部"))
    html = client.get("/admin/snippets/progress/kpiactual/").content.decode()
    assert edit_url(own) in html and edit_url(other) not in html


def test_the_policy_allows_approvers_every_row_and_a_team_its_own(two_rows, department_staff, approver):
    own, other = two_rows
    staff = department_staff("bosai", "防災対策部")
    policy = DepartmentPermissionPolicy(KPIActual)
    assert policy.user_has_permission_for_instance(staff, "change", own)
    assert not policy.user_has_permission_for_instance(staff, "change", other)
    assert policy.user_has_permission_for_instance(approver, "change", other)
    assert set(policy.instances_user_has_permission_for(staff, "change")) == {own}


def test_a_department_cannot_publish_only_submit(two_rows, department_staff):
    staff = department_staff("bosai", "防災対策部")
    assert not staff.has_perm("progress.publish_kpiactual")


def test_a_departments_import_refuses_another_departments_card(department_staff):
    from progress import importing
    from progress.permissions import departments_of

    staff = department_staff("bosai", "防災対策部")
    plan = importing.plan_import(
        "a.csv",
        b"card,kpi,fiscal_year,value,as_of,source,status\n1-2-1,1,2023,x,2024-03-31,y,on_track\n",
        departments_of(staff),
    )
    assert plan.errors == ["2行目「カード」：カード1-2-1は担当する部局の指標ではありません。"]


def test_actuals_go_through_the_approval_workflow(kpi_row):
    actual = KPIActual(kpi=kpi_row("1-1"), fiscal_year=2024, value=1, as_of="2025-03-31", source="x")
    actual.department = kpi_row("1-1").page.departments()[0]
    assert actual.get_workflow() is not None
    assert actual.get_workflow().name == "公開承認"


def test_the_entry_form_offers_a_department_only_its_own_rows_and_itself(client, department_staff):
    client.force_login(department_staff("bosai", "防災対策部"))
    response = client.get("/admin/snippets/progress/kpiactual/add/")
    assert response.status_code == 200
    form = response.context["form"]
    assert {department.name for department in form.fields["department"].queryset} == {"防災対策部"}
    cards = {row.page.number for row in form.fields["kpi"].queryset}
    assert "1-1" in cards and "1-2-1" not in cards


def test_a_department_saves_a_draft_that_waits_for_approval(client, kpi_row, department_staff):
    client.force_login(department_staff("bosai", "防災対策部"))
    row = kpi_row("1-1")
    response = client.post(
        "/admin/snippets/progress/kpiactual/add/",
        {
            "kpi": row.pk,
            "fiscal_year": 2023,
            "as_of": "2024-03-31",
            "value": "3262",
            "unit": "",
            "milestone": "",
            "milestone_status": "",
            "source": "アクセスログ",
            "note": "",
            "department": row.page.departments()[0].pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    actual = KPIActual.objects.get(kpi=row, fiscal_year=2023)
    assert not actual.live and actual.revisions.count() == 1
