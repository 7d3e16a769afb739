import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as_admin

pytestmark = pytest.mark.e2e

COMMENT = "デジタル化した手続の割合を、毎年度公表してください。"


def test_resident_comments_on_a_kpi_row_and_it_appears_after_moderation(live_site, phone_page, desktop_page):
    resident = phone_page
    resident.goto(live_site + "/ja/plan/gyosei/3-1/3-1/")
    kpi_table = resident.get_by_role("table", name="3-1 の取組内容/目標項目")
    kpi_table.get_by_role("link", name="この部分に意見を書く").first.click()

    assert "KPI「デジタル化した県独自の行政手続の割合」" in resident.locator(".comment-target").inner_text()
    resident.get_by_label("ご意見", exact=True).fill(COMMENT)
    resident.get_by_label("氏名またはニックネーム（任意）").fill("津の住民")
    resident.get_by_label("氏名（ニックネーム）とともに公表してよい").check()
    resident.get_by_label("「個人情報の取扱い」に同意します").check()
    time.sleep(3.2)  # the form refuses submissions faster than a person can type
    resident.get_by_role("button", name="この内容で送信する").click()

    assert resident.get_by_role("heading", level=1).inner_text() == "ご意見を受け付けました"
    receipt_number = resident.locator(".receipt__number").inner_text()
    assert len(receipt_number) == 9

    moderator = desktop_page
    log_in_as_admin(moderator, live_site)
    moderator.goto(live_site + "/admin/snippets/consultations/comment/")
    row = moderator.locator("tr", has_text=receipt_number)
    row.locator("input[type=checkbox]").check()
    moderator.get_by_role("link", name="選んだ意見を公開する").click()
    moderator.get_by_role("button", name="はい、実行します").click()
    expect(moderator.get_by_text("1件の意見を「公開」にしました。")).to_be_visible()

    resident.goto(live_site + "/ja/plan/gyosei/3-1/3-1/")
    comments = resident.get_by_role("region", name="寄せられたご意見（1件）")
    assert COMMENT in comments.inner_text()
    assert "津の住民" in comments.inner_text()
