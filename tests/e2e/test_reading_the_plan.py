import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_resident_follows_the_table_of_contents_to_card_2_8_1_and_reads_its_kpis(live_site, phone_page):
    page = phone_page
    page.goto(live_site + "/")
    assert page.url.endswith("/ja/")
    page.get_by_role("link", name="計画の目次を見る").click()
    toc = page.get_by_role("navigation", name="目次")
    toc.get_by_role("link", name="2-8-1 多様で柔軟な働き方の推進").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("2-8-1")
    table = page.get_by_role("table", name="2-8-1 の取組内容/目標項目")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "ICT導入支援の補助事業所数（累計）" in first and "271事業所" in first
    assert "介護ロボット導入支援の補助事業所数（累計）" in second and "125事業所" in second


@pytest.mark.parametrize(
    "path",
    ["/ja/", "/ja/plan/", "/ja/plan/kurashi/", "/ja/plan/shigoto/2-8/2-8-1/", "/ja/plan/purpose/", "/ja/consultation/"],
)
def test_pages_have_no_wcag_aa_violations_on_a_phone(live_site, phone_page, path):
    phone_page.goto(live_site + path)
    results = Axe().run(phone_page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_card_page_fits_a_phone_screen_without_sideways_scrolling(live_site, phone_page):
    phone_page.goto(live_site + "/ja/plan/kurashi/1-2/1-2-2/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_skip_link_moves_keyboard_focus_to_the_main_content(live_site, desktop_page):
    desktop_page.goto(live_site + "/ja/plan/kurashi/1-1/1-1/")
    desktop_page.keyboard.press("Tab")
    focused = desktop_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "本文へ移動"
    desktop_page.keyboard.press("Enter")
    assert desktop_page.evaluate("document.activeElement.id") == "main"
