"""Moderators work through the queue in the browser: the dashboard, bulk work across pages, typing up paper."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as_admin
from tests.e2e.test_analysing_comments import shell

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
MARKER = "一括割当の確認用"


def add_comments(env: dict, count: int, text: str) -> None:
    shell(
        env,
        "from consultations.models import Comment, ConsultationPage as C; "
        "c = C.objects.get(locale__language_code='ja'); "
        f"[Comment(consultation=c, body='{text}' + str(i) + '番', publication='anonymous')"
        f".change_state('received', note='post') for i in range({count})]; print('ok')",
    )


def remove_comments(env: dict, text: str) -> None:
    """The browser tests share one site: what a test added goes, so others count only their own."""
    shell(
        env,
        "from consultations.models import Comment, ResponseTopic; "
        f"Comment.objects.filter(body__startswith='{text}').delete(); "
        f"ResponseTopic.objects.filter(title='{text}').delete(); print('ok')",
    )


def assert_no_axe_violations(page) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_dashboard_shows_the_queue_and_it_opens_on_waiting_comments(live_site, site_env, desktop_page):
    text = "確認待ちの一覧の確認用"
    add_comments(site_env, 2, text)
    try:
        page = desktop_page
        log_in_as_admin(page, live_site)
        panel = page.locator(".comment-queue")
        expect(panel).to_contain_text("確認待ち")
        assert_no_axe_violations(page)
        panel.get_by_role("link", name="確認待ちの意見を開く").click()
        page.wait_for_url(re.compile(r"state=received"))
        listing = page.locator("main")
        expect(listing).to_contain_text(text + "0番")
        expect(listing).to_contain_text("受付済み（確認待ち）")
        assert_no_axe_violations(page)
    finally:
        remove_comments(site_env, text)


def test_moderator_assigns_120_comments_across_three_pages_to_a_topic_in_one_action(live_site, site_env, desktop_page):
    add_comments(site_env, 120, MARKER)
    shell(
        site_env,
        "from consultations.models import ConsultationPage as C, ResponseTopic as T; "
        "c = C.objects.get(locale__language_code='ja'); "
        f"T.objects.create(consultation=c, title='{MARKER}', summary='', response=''); print('ok')",
    )
    try:
        page = desktop_page
        log_in_as_admin(page, live_site)
        page.goto(live_site + f"/admin/snippets/consultations/comment/?q={MARKER}")
        expect(page.locator("main")).to_contain_text("120")  # the list's pages together hold the 120
        expect(page.locator("input.bulk-action-checkbox")).to_have_count(50)  # one page shows 50 of them
        page.get_by_role("link", name="絞り込んだ意見を一括処理").click()
        expect(page.locator("main")).to_contain_text("120件の意見")
        page.get_by_label("操作").select_option("assign")
        page.get_by_label("論点").select_option(label=MARKER)
        page.get_by_role("button", name="確認画面へ").click()
        expect(page.locator("main")).to_contain_text("120件の意見に「論点に割り当てる（移す）」を行います")
        expect(page.locator("table.listing tbody tr")).to_have_count(120)
        assert_no_axe_violations(page)
        page.get_by_role("button", name="はい、実行します").click()
        expect(page.locator(".messages")).to_contain_text("120件の意見を処理しました。")
        assigned = shell(
            site_env,
            "from consultations.models import Comment; "
            f"print(Comment.objects.filter(body__startswith='{MARKER}', topic__title='{MARKER}').count())",
        )
        assert assigned == "120"
        expect(page.locator("main")).to_contain_text(MARKER)  # the topic column shows it
        assert_no_axe_violations(page)

        page.goto(live_site + f"/admin/snippets/consultations/responsetopic/?q={MARKER}")
        page.get_by_role("link", name="120件").click()
        expect(page.locator("main")).to_contain_text(MARKER + "119番")  # newest first
    finally:
        remove_comments(site_env, MARKER)


def test_staff_type_up_a_letter_on_a_kpi_row_and_add_the_next(live_site, site_env, desktop_page):
    text = "紙の意見の入力の確認用"
    try:
        page = desktop_page
        log_in_as_admin(page, live_site)
        page.goto(live_site + "/admin/snippets/consultations/comment/")
        page.locator("header").get_by_role("link", name=re.compile("追加")).first.click()
        page.wait_for_url(re.compile(r"/admin/consultations/comments/add/"))
        assert_no_axe_violations(page)
        assert page.locator("#id_consultation").input_value() != ""  # preselected
        page.locator("#id_received_on").fill("2026-11-20")
        page.locator("#id_channel").select_option("fax")
        card = page.locator("#id_target_page option", has_text=re.compile(r"^3-1 ")).first
        page.locator("#id_target_page").select_option(card.get_attribute("value"))
        # The card's parts replaced the list of every part (an area's 基本方針 is not among them).
        expect(page.locator("#id_target_part option[value=policy]")).to_have_count(0)
        page.locator("#id_target_part").select_option("kpi")
        expect(page.locator("#id_target_item option")).not_to_have_count(1)
        page.locator("#id_target_item").select_option(index=1)
        indicator = page.locator("#id_target_item option").nth(1).inner_text()
        page.locator("#id_body").fill(text + "：達成状況を紙でも配ってください。")
        page.get_by_role("button", name="保存して次を追加").click()

        expect(page.locator(".messages")).to_contain_text("意見を追加しました（受付番号")
        assert page.locator("#id_channel").input_value() == "fax"  # kept for the next letter of the pile
        assert page.locator("#id_received_on").input_value() == "2026-11-20"
        stored = shell(
            site_env,
            "from consultations.models import Comment; "
            f"c = Comment.objects.get(body__startswith='{text}'); "
            "print(c.target_part, c.channel, c.target_label.startswith('3-1'))",
        )
        assert stored == "kpi fax True"
        label = shell(
            site_env,
            "from consultations.models import Comment; "
            f"print(Comment.objects.get(body__startswith='{text}').target_label)",
        )
        assert indicator in label
    finally:
        remove_comments(site_env, text)
