import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import manage

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def easy_texts(site_env, live_site) -> str:
    manage(site_env, "load_easy_japanese", "-v0")
    return live_site


def test_a_resident_switches_a_card_to_easy_japanese_and_reads_it_with_furigana(easy_texts, phone_page):
    phone_page.goto(easy_texts + "/ja/plan/kurashi/1-2/1-2-1/")
    phone_page.get_by_role("navigation", name="言語 / Language").locator('a[href^="/ja-easy/"]').click()
    assert "/ja-easy/plan/kurashi/1-2/1-2-1/" in phone_page.url
    summary = phone_page.locator(".easy-summary")
    assert summary.locator("ruby").count() > 0
    assert summary.locator("p").first.evaluate("p => p.textContent.replace(/\\(.*?\\)/g, '')").startswith("県は")


@pytest.mark.parametrize("path", ["/ja-easy/plan/kurashi/1-2/1-2-1/", "/ja-easy/consultation/comment/"])
def test_easy_japanese_pages_have_no_wcag_aa_violations_on_a_phone(easy_texts, phone_page, path):
    phone_page.goto(easy_texts + path)
    assert phone_page.locator("ruby").count() > 0
    results = Axe().run(phone_page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
