import subprocess
import sys
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, log_in_as_admin

pytestmark = pytest.mark.e2e

LETTER = "紙の申請書による手続も必ず残してください。高齢者が取り残されないよう窓口での相談も続けてください。"
ROWS = [
    ("P-1", "3-1", "whole", LETTER),
    ("P-2", "3-1", "whole", "いつもお世話になっております。" + LETTER),
    ("P-3", "3-1", "whole", LETTER.replace("。", "！")),
    ("P-4", "2-4-2", "measure", "ドローンで山間部に薬を届ける実証実験を進めてください。"),
    ("P-5", "2-4-2", "measure", "ドローンの騒音と落下事故が心配です。住民への説明会を開いてください。"),
    ("P-6", "1-1", "measure", "防災アプリを多言語にして、外国人にも避難情報が届くようにしてください。"),
]
RESPONSE = "紙による申請は引き続き受け付けます。"


def shell(env: dict, code: str) -> str:
    command = [sys.executable, "manage.py", "shell", "-c", code]
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return output.strip().splitlines()[-1] if output.strip() else ""  # Django's shell may say what it imported


def publish_results(env: dict, published: bool) -> None:
    """Close the consultation and publish its results, or reopen it (results come only after the period)."""
    closes = "timedelta(days=-1)" if published else "timedelta(days=30)"
    shell(
        env,
        "from datetime import timedelta; from django.utils import timezone; "
        "from consultations.models import ConsultationPage as C; c = C.objects.get(locale__language_code='ja'); "
        f"c.opens_at = timezone.now() - timedelta(days=40); c.closes_at = timezone.now() + {closes}; "
        f"c.results_published = {published}; c.save_revision().publish()",
    )


def test_staff_import_analyse_merge_accept_answer_and_publish_the_table(live_site, site_env, desktop_page, tmp_path):
    staff = desktop_page
    log_in_as_admin(staff, live_site)

    typed_up = tmp_path / "letters.csv"
    lines = ["id,card,part,item,body,channel"]
    lines += [f"{i},{card},{part},{'1' if part == 'measure' else ''},{body},post" for i, card, part, body in ROWS]
    typed_up.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staff.goto(live_site + "/admin/consultations/comments/import/")
    staff.locator("#id_consultation").select_option(index=1)
    staff.locator("#id_file").set_input_files(str(typed_up))
    staff.get_by_role("button", name="プレビュー").click()
    staff.get_by_role("button", name="取り込む").click()
    staff.wait_for_load_state()

    consultation = shell(
        site_env,
        "from consultations.models import ConsultationPage as C; print(C.objects.get(locale__language_code='ja').pk)",
    )
    staff.goto(live_site + f"/admin/consultations/{consultation}/topics/")
    staff.get_by_role("button", name="分析を実行").click()
    expect(staff.locator("[data-analysis-step]")).to_contain_text("完了")  # the progress bar reached the end
    staff.reload()
    topics = staff.locator("input[name=topics]")
    before = topics.count()
    assert before >= 3
    topics.nth(before - 1).check()
    topics.nth(before - 2).check()
    staff.get_by_role("button", name="選んだ論点を統合").click()
    expect(staff.locator("input[name=topics]")).to_have_count(before - 1)

    staff.get_by_role("button", name="論点として採用").first.click()
    staff.get_by_role("link", name="採用済み：県の考え方・反映状況を入力").first.click()
    staff.locator("#id_response").fill(RESPONSE)
    # 反映状況 is a snippet chooser: its hidden input takes the chosen label's id.
    reflected = shell(site_env, "from consultations.models import ReflectionStatus as R; print(R.objects.first().pk)")
    staff.locator("#id_reflection").evaluate("(input, pk) => { input.value = pk; }", reflected)
    staff.locator("button.action-save").click()
    expect(staff.locator(".messages .success")).to_be_visible()

    publish_results(site_env, True)
    try:
        results = staff.context.new_page()
        results.goto(live_site + "/ja/consultation/results/")
        expect(results.get_by_text(RESPONSE)).to_be_visible()
        assert "〔" not in results.locator(".response-table").inner_text()  # no receipt numbers in public
        with results.expect_download() as download:
            results.get_by_role("link", name="Excel").click()
        sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
        cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert RESPONSE in cells
    finally:  # the browser tests share one site: the consultation goes back to taking comments
        publish_results(site_env, False)
