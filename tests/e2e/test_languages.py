import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_reader_switches_card_1_5_to_portuguese_and_back(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/plan/kurashi/1-5/1-5/")
    switcher = page.get_by_role("navigation", name="言語 / Language")
    switcher.get_by_role("link", name="Português Brasileiro").click()
    expect(page).to_have_url(live_site + "/pt-br/plan/kurashi/1-5/1-5/")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    expect(page.get_by_role("heading", level=1)).to_contain_text("1-5")
    expect(page.locator(".untranslated-notice")).to_be_visible()  # the card itself ships in Japanese for now

    page.locator(".language-switcher").get_by_role("link", name="日本語", exact=True).click()  # not やさしい日本語
    expect(page).to_have_url(live_site + "/ja/plan/kurashi/1-5/1-5/")
    assert page.locator("html").get_attribute("lang") == "ja"


def test_resident_comments_from_the_vietnamese_page(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/vi/plan/kurashi/1-5/1-5/")
    page.locator("#measures .comment-entry").first.click()
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator("#id_body").fill("Xin hãy tăng số chuyến xe buýt ở vùng núi.")
    page.locator("#id_consent").check()
    time.sleep(3.2)
    page.locator(".comment-form button[type=submit]").click()
    expect(page.locator(".receipt__number")).to_be_visible()
    number = page.locator(".receipt__number").inner_text()
    assert len(number) == 9 and number[4] == "-"
    assert page.locator("html").get_attribute("lang") == "vi"
