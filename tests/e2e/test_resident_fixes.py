"""What staff and residents hit in issue 13, in the browser: the results guard and the resident fixes of bug 3."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as_admin
from tests.e2e.test_analysing_comments import shell

pytestmark = pytest.mark.e2e


def japanese_consultation(env: dict) -> str:
    return shell(
        env,
        "from consultations.models import ConsultationPage as C; print(C.objects.get(locale__language_code='ja').pk)",
    )


def test_publishing_results_while_the_period_is_open_is_refused_and_the_period_stays_open(
    live_site, site_env, desktop_page
):
    page = desktop_page
    log_in_as_admin(page, live_site)
    page.goto(live_site + f"/admin/pages/{japanese_consultation(site_env)}/edit/")
    page.locator("#id_results_published").check()
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[name=action-publish]").click()

    expect(page.get_by_text("募集期間中は結果を公表できません。")).to_be_visible()
    state = shell(
        site_env,
        "from consultations.models import ConsultationPage as C; "
        "c = C.objects.get(locale__language_code='ja'); print(c.results_published, c.is_open())",
    )
    assert state == "False True"
    resident = page.context.new_page()
    resident.goto(live_site + "/ja/plan/gyosei/3-1/3-1/")
    expect(resident.get_by_role("link", name="この部分に意見を書く").first).to_be_visible()


def test_a_one_card_direction_is_listed_once_and_the_english_breadcrumb_names_it_once(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/plan/")
    page.locator("main a", has_text=re.compile("デジタルを活用した防災対策")).first.click()
    area = page.url
    page.goto(area)
    links = page.locator("main a", has_text="1-1 デジタルを活用した防災対策")
    expect(links).to_have_count(1)
    links.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("1-1")

    page.locator("a[hreflang=en], a[lang=en]").first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    trail = page.locator(".breadcrumbs").inner_text()
    assert trail.count(title.split(" ", 1)[-1]) <= 1


def test_english_labels_use_english_quotes_and_times_say_their_zone(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/en/plan/gyosei/3-1/3-1/")
    page.locator(".kpi-table .comment-entry").first.click()
    target = page.locator(".comment-target").inner_text()
    assert "「" not in target and "“" in target
    page.goto(live_site + "/en/consultation/")
    assert "(JST)" in page.locator("main").inner_text()


def test_the_kpi_comment_button_is_a_rounded_box_not_an_oval_on_a_phone(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/plan/gyosei/3-1/3-1/")
    button = page.locator(".kpi-table .comment-entry").first
    box = button.bounding_box()
    radius = float(button.evaluate("b => getComputedStyle(b).borderTopLeftRadius").removesuffix("px"))
    assert radius <= 22  # a pill on one line, a rounded box when the narrow column wraps it
    assert box["height"] >= 44 and radius < box["height"] / 2 + 1


def test_the_receipt_opens_the_status_form_with_its_number_filled_in(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/plan/gyosei/3-1/3-1/")
    page.get_by_role("link", name="このページに意見を書く").first.click()
    page.get_by_label("ご意見", exact=True).fill("受付状況の確認画面の確認用の意見です。")
    page.get_by_label("氏名を伏せて公表してよい").check()
    page.get_by_label("「個人情報の取扱い」に同意します").check()
    time.sleep(3.2)  # the form refuses submissions faster than a person can type
    page.get_by_role("button", name="この内容で送信する").click()
    number = page.locator(".receipt__number").inner_text()
    page.get_by_role("link", name="受付状況を確認する").click()
    assert page.locator("input[name=receipt_number]").input_value() == number
