import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_resident_searches_bousai_from_the_header_on_a_phone_and_opens_card_1_1(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/")
    box = page.get_by_role("combobox", name="計画内を検索")
    box.fill("防災")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("計画内を検索")
    page.get_by_role("link", name="1-1 デジタルを活用した防災対策").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1-1 デジタルを活用した防災対策")


def test_typing_a_kanji_prefix_offers_card_titles(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/ja/")
    box = page.get_by_role("combobox", name="計画内を検索")
    box.press_sequentially("防")
    option = page.get_by_role("option", name="1-1 デジタルを活用した防災対策")
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1-1")
