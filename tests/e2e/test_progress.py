import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import log_in_as_admin

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
CARD_WITH_ACTUALS = "plan/kurashi/1-1/1-1/"  # the demo data reports FY2023 and FY2024 for its KPI


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "path", ["progress/", "progress/?status=on_track", "progress/method/", "progress/report/2024/", CARD_WITH_ACTUALS]
)
def test_progress_pages_have_no_wcag_aa_violations(live_site, phone_page, language, path):
    response = phone_page.goto(f"{live_site}/{language}/{path}")
    assert response.status == 200
    results = Axe().run(phone_page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_chart_is_an_image_named_by_its_title(live_site, phone_page):
    phone_page.goto(f"{live_site}/ja/{CARD_WITH_ACTUALS}")
    chart = phone_page.get_by_role("img", name="防災みえ.jpのホームページへのアクセス数 の推移")
    assert chart.count() == 1
    assert chart.is_visible()


def test_the_admin_entry_form_has_no_wcag_aa_violations(live_site, desktop_page):
    log_in_as_admin(desktop_page, live_site)
    desktop_page.goto(live_site + "/admin/snippets/progress/kpiactual/add/")
    assert desktop_page.locator("#id_fiscal_year").count() == 1
    results = Axe().run(desktop_page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_admin_import_form_has_no_wcag_aa_violations(live_site, desktop_page):
    log_in_as_admin(desktop_page, live_site)
    desktop_page.goto(live_site + "/admin/progress/actuals/import/")
    results = Axe().run(desktop_page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
