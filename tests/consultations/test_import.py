"""Typed-up comments from post, FAX, e-mail and the counter are imported from CSV or XLSX: all rows or none,
errors naming row and column, importing the same file again adds nothing."""

import io
from datetime import datetime

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from consultations.importing import ImportFileError, plan_import, save_import
from consultations.models import Comment

pytestmark = pytest.mark.django_db

CSV = (
    "id,card,part,item,body,channel,name,received_at,publication\n"
    "P-001,2-4-2,kpi,1,KPIの目標値をもっと高くしてください。,post,三重 太郎,2022-10-05,name\n"
    "P-002,3-1,measure,2,窓口でも手続できるようにしてください。,fax,,2022/10/06 14:30,anonymous\n"
    "P-003,,,,計画全体としてわかりやすくしてください。,,,,\n"
)


def csv_file(text: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_rows_become_received_comments_with_target_channel_and_date(consultation, card):
    plan = plan_import(consultation, "paper.csv", csv_file(CSV), "email")
    assert plan.errors == []
    save_import(consultation, plan)
    comments = {c.external_id: c for c in Comment.objects.filter(consultation=consultation)}
    assert set(comments) == {"P-001", "P-002", "P-003"}
    first, second, third = comments["P-001"], comments["P-002"], comments["P-003"]
    kpi = card("2-4-2").kpis.order_by("sort_order").first()
    assert (first.target_page_id, first.target_part, first.target_item) == (
        card("2-4-2").pk,
        "kpi",
        str(kpi.translation_key),
    )
    assert first.target_label.startswith("2-4-2 ")
    assert (first.channel, first.name, first.publication, first.state) == ("post", "三重 太郎", "name", "received")
    assert timezone.localtime(first.submitted_at).date().isoformat() == "2022-10-05"
    assert second.target_item == list(card("3-1").measures)[1].id
    assert timezone.localtime(second.submitted_at).strftime("%Y-%m-%d %H:%M") == "2022-10-06 14:30"
    assert second.channel == "fax"
    assert (third.target_page, third.channel, third.publication) == (None, "email", "anonymous")  # --channel default
    assert first.history.get().to_state == "received"
    assert first.language == "ja"


def test_a_letter_in_another_language_keeps_its_language(consultation):
    text = "id,body\nL-1,Por favor, publiquem o plano também em português para as famílias brasileiras.\n"
    save_import(consultation, plan_import(consultation, "letters.csv", csv_file(text)))
    assert Comment.objects.get(external_id="L-1").language.startswith("pt")


def test_importing_the_same_file_again_adds_nothing(consultation):
    save_import(consultation, plan_import(consultation, "paper.csv", csv_file(CSV)))
    again = plan_import(consultation, "paper.csv", csv_file(CSV))
    assert (len(again.rows), len(again.already_imported)) == (0, 3)
    save_import(consultation, again)
    assert Comment.objects.filter(consultation=consultation).count() == 3


def test_japanese_headers_with_bom_and_xlsx_are_read(consultation):
    japanese = (
        "番号,カード,部分,項目,意見,提出方法,氏名,受付日,公表\n"
        "J-1,1-2-4,めざす姿,,防災アプリを改善して。,窓口,,2022年10月7日,匿名\n"
    )
    plan = plan_import(consultation, "counter.csv", csv_file(japanese, bom=True))
    assert plan.errors == [] and plan.rows[0].channel == "counter" and plan.rows[0].target.part == "goal"
    rows = [
        ["id", "body", "received_at", "card", "item", "part"],
        ["X-1", "データを公開して。", datetime(2022, 10, 8, 9, 0), "3-1", 1, "kpi"],
    ]
    plan = plan_import(consultation, "typed.xlsx", xlsx_file(rows))
    assert plan.errors == []
    assert timezone.localtime(plan.rows[0].received_at).strftime("%Y-%m-%d %H:%M") == "2022-10-08 09:00"


def test_row_errors_name_row_and_column_and_nothing_is_written(consultation):
    bad = CSV + "".join(
        [
            "P-004,9-9,,,存在しないカードへの意見。,,,,\n",
            "P-005,3-1,,,,,,,\n",
            "P-006,3-1,kpi,99,行がない。,,,,\n",
            "P-001,3-1,,,重複,,,,\n",
        ]
    )
    plan = plan_import(consultation, "paper.csv", csv_file(bad))
    assert "5行目: カード番号 9-9 はありません" in plan.errors
    assert "6行目: 意見（body）が空です" in plan.errors
    assert any(error.startswith("7行目: カード 3-1 のKPIに99番目の項目はありません") for error in plan.errors)
    assert "8行目: 番号 P-001 は2行目と重複しています" in plan.errors
    with pytest.raises(ValueError):
        save_import(consultation, plan)
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_the_command_fails_on_any_invalid_row_and_writes_nothing(consultation, tmp_path, capsys):
    path = tmp_path / "paper.csv"
    path.write_bytes(csv_file(CSV + "P-004,9-9,,,意見,,,,\n"))
    with pytest.raises(CommandError, match="何も取り込んでいません"):
        call_command("import_comments", consultation.slug, str(path))
    assert "5行目: カード番号 9-9 はありません" in capsys.readouterr().err
    assert not Comment.objects.filter(consultation=consultation).exists()


def test_the_command_dry_run_reports_and_writes_nothing_then_imports(consultation, tmp_path, capsys):
    path = tmp_path / "paper.csv"
    path.write_bytes(csv_file(CSV))
    call_command("import_comments", str(consultation.pk), str(path), "--channel", "fax", "--dry-run")
    assert "3件" in capsys.readouterr().out
    assert not Comment.objects.exists()
    call_command("import_comments", consultation.slug, str(path), "--channel", "fax")
    assert Comment.objects.get(external_id="P-003").channel == "fax"  # the row gives none: --channel


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sjis.csv", "id,body\n1,紙で届いた意見です。\n".encode("cp932"), "Shift_JIS"),
        ("cols.csv", csv_file("id,card\n1,3-1\n"), "必須の列がありません：意見（body）"),
        ("head.csv", csv_file("id,body,memo\n1,意見\n"), "見出し「memo」は使えません"),
        ("big.csv", csv_file("id,body\n1," + "あ" * (4 * 1024 * 1024) + "\n"), "ファイルが大きすぎます"),
        ("empty.csv", b"", "ファイルが空です"),
        ("only-header.csv", csv_file("id,body\n"), "意見の行がありません"),
        ("notes.txt", csv_file("id,body\n1,意見\n"), "CSV（.csv）またはExcel（.xlsx）"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "Excel（.xlsx）ファイルとして読めません"),
    ],
)
def test_bad_files_get_a_clear_error_and_write_nothing(consultation, name, data, message):
    with pytest.raises(ImportFileError, match=message):
        plan_import(consultation, name, data)
    assert not Comment.objects.exists()


def test_formulas_in_cells_are_refused(consultation):
    rows = [["id", "body"], ["1", '=HYPERLINK("http://example.com","見て")'], ["2", "ふつうの意見"]]
    plan = plan_import(consultation, "typed.xlsx", xlsx_file(rows))
    assert plan.errors and plan.errors[0].startswith("2行目: 意見 の欄が数式")
    plan = plan_import(consultation, "typed.csv", csv_file("id,body\n1,=1+2\n"))
    assert plan.errors and plan.errors[0].startswith("2行目: 意見 の欄が数式")


def test_imported_comments_join_the_moderation_queue(client, moderator, consultation):
    save_import(consultation, plan_import(consultation, "paper.csv", csv_file(CSV)))
    client.force_login(moderator)
    listing = client.get(reverse("wagtailsnippets_consultations_comment:list_results"), {"state": "received"})
    html = listing.content.decode()
    assert all(comment.receipt_number in html for comment in Comment.objects.filter(channel="post"))


def test_the_admin_previews_then_imports_on_confirmation(client, moderator, consultation):
    client.force_login(moderator)
    url = reverse("consultations_comment_import")
    assert "ファイルから取り込む" in client.get(reverse("wagtailsnippets_consultations_comment:list")).content.decode()
    upload = io.BytesIO(csv_file(CSV.replace("計画全体として", "連絡は090-1234-5678へ。")))
    upload.name = "paper.csv"
    preview = client.post(url, {"consultation": consultation.pk, "channel": "post", "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200 and "3件を取り込みます" in html
    assert "2-4-2" in html and "［電話番号］" in html and "090-1234-5678" not in html  # the preview is masked
    assert not Comment.objects.exists()  # nothing before the confirmation
    token = preview.context["token"]
    done = client.post(url, {"consultation": consultation.pk, "channel": "post", "token": token})
    assert done.status_code == 302
    assert Comment.objects.filter(consultation=consultation, state="received").count() == 3
    assert Comment.objects.get(external_id="P-001").history.get().changed_by == moderator
    again = client.post(url, {"consultation": consultation.pk, "channel": "post", "token": token})
    assert again.status_code == 400  # the token was used up: no second import from it
    assert Comment.objects.count() == 3


def test_the_admin_shows_row_errors_and_offers_no_confirmation(client, moderator, consultation):
    client.force_login(moderator)
    upload = io.BytesIO(csv_file(CSV + "P-004,9-9,,,意見,,,,\n"))
    upload.name = "paper.csv"
    response = client.post(
        reverse("consultations_comment_import"), {"consultation": consultation.pk, "channel": "post", "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "5行目: カード番号 9-9 はありません" in html and "取り込む</button>" not in html
    upload = io.BytesIO("id,body\n1,紙の意見\n".encode("cp932"))
    upload.name = "sjis.csv"
    response = client.post(
        reverse("consultations_comment_import"), {"consultation": consultation.pk, "channel": "post", "file": upload}
    )
    assert response.status_code == 400 and "Shift_JIS" in response.content.decode()
    assert not Comment.objects.exists()


def test_editors_cannot_import(client, editor):
    client.force_login(editor)
    assert client.get(reverse("consultations_comment_import")).status_code in (302, 403)
