import pytest
from django.core.management import CommandError, call_command

from progress import importing
from progress.models import KPIActual

pytestmark = pytest.mark.django_db

HEADER = "card,kpi,fiscal_year,value,unit,as_of,source,note\n"
# 1-1 row 1: 3,215千件 → 3,375千件 (numeric). 2-1 row 1: ICT活用工事 65% → 100%.
GOOD = "1-1,1,2023,3262,千件,2024-03-31,アクセスログ,\n"


def plan_of(body: str, name: str = "actuals.csv"):
    return importing.plan_import(name, (HEADER + body).encode("utf-8"))


def test_a_good_file_is_published_with_a_revision(kpi_row):
    plan = plan_of(GOOD)
    assert plan.valid, plan.errors
    [actual] = importing.save_import(plan)
    actual.refresh_from_db()
    assert actual.live and actual.kpi == kpi_row("1-1") and actual.value == 3262
    assert actual.revisions.count() == 1


def test_importing_the_same_file_again_changes_nothing():
    importing.save_import(plan_of(GOOD))
    again = plan_of(GOOD)
    assert again.valid and again.changed == []
    assert KPIActual.objects.count() == 1


def test_unknown_card_is_refused_in_japanese():
    plan = plan_of("9-9,1,2023,1,,2024-03-31,x,\n")
    assert plan.errors == ["2行目「カード」：カード「9-9」は計画にありません。"]


def test_unknown_kpi_row_is_refused():
    plan = plan_of("1-1,5,2023,1,,2024-03-31,x,\n")
    assert len(plan.errors) == 1 and "2行目「KPI」" in plan.errors[0] and "KPI「5」はありません" in plan.errors[0]


@pytest.mark.parametrize("year", ["2021", "2027", "R5"])
def test_year_outside_the_plan_is_refused(year):
    plan = plan_of(f"1-1,1,{year},1,,2024-03-31,x,\n")
    assert len(plan.errors) == 1 and "「年度」" in plan.errors[0] and "2022〜2026" in plan.errors[0]


def test_non_numeric_value_for_a_numeric_kpi_is_refused():
    plan = plan_of("1-1,1,2023,たくさん,,2024-03-31,x,\n")
    assert len(plan.errors) == 1 and "「実績値」" in plan.errors[0] and "数値ではありません" in plan.errors[0]


def test_duplicate_rows_are_refused_naming_the_first():
    plan = plan_of(GOOD + "1-1,1,2023,3300,千件,2024-03-31,アクセスログ,\n")
    assert plan.errors == ["3行目：カード1-1の同じKPIの2023年度が2行目と重複しています。"]


def test_one_bad_row_keeps_every_row_out(tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + GOOD + "9-9,1,2023,1,,2024-03-31,x,\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_actuals", str(path))
    assert "カード「9-9」は計画にありません" in str(raised.value) and "何も取り込んでいません" in str(raised.value)
    assert KPIActual.objects.count() == 0


def test_a_wrong_unit_is_refused():
    plan = plan_of("1-1,1,2023,3262,件,2024-03-31,アクセスログ,\n")
    assert len(plan.errors) == 1 and "「千件」" in plan.errors[0]


def test_a_milestone_row_needs_its_status(kpi_row):
    plan = importing.plan_import(
        "a.csv",
        ("card,kpi,fiscal_year,value,as_of,source,status\n1-2-1,1,2023,試験運用を拡大,2024-03-31,x,\n").encode(),
    )
    assert len(plan.errors) == 1 and "「状況」" in plan.errors[0]
    ok = importing.plan_import(
        "a.csv",
        ("card,kpi,fiscal_year,value,as_of,source,status\n1-2-1,1,2023,試験運用を拡大,2024-03-31,x,順調\n").encode(),
    )
    assert ok.valid and ok.rows[0].milestone_status == "on_track"


def test_a_missing_column_or_a_file_of_another_kind_is_a_file_error():
    with pytest.raises(importing.ImportFileError, match="必須の列がありません"):
        importing.plan_import("a.csv", b"card,kpi\n1-1,1\n")
    with pytest.raises(importing.ImportFileError, match="CSV"):
        importing.plan_import("a.pdf", b"%PDF")


def test_admin_upload_previews_then_confirms(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/progress/actuals/import/"
    preview = admin_client.post(url, {"file": SimpleUploadedFile("a.csv", (HEADER + GOOD).encode())})
    assert preview.status_code == 200 and KPIActual.objects.count() == 0
    token = preview.context["token"]
    confirmed = admin_client.post(url, {"token": token})
    assert confirmed.status_code == 302 and KPIActual.objects.filter(live=True).count() == 1


def test_admin_upload_lists_row_errors_and_saves_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = admin_client.post(
        "/admin/progress/actuals/import/",
        {"file": SimpleUploadedFile("a.csv", (HEADER + "1-1,1,2030,x,,,,\n").encode())},
    )
    assert bad.status_code == 400
    assert "2行目「年度」" in bad.content.decode() and KPIActual.objects.count() == 0
