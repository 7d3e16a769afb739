"""Staff import typed-up comments in the browser; the results table prints on A4 landscape."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_as_admin

pytestmark = pytest.mark.e2e

PAPER = (
    "番号,カード,部分,項目,意見,提出方法,受付日\n"
    "E2E-1,3-1,kpi,1,年度ごとの達成状況を紙でも配ってください。,post,2022-10-05\n"
    "E2E-2,1-1,,,防災メールの登録方法を案内してください。連絡は090-1234-5678へ。,fax,2022-10-06\n"
)


def test_moderator_imports_a_typed_up_file_after_a_preview(live_site, desktop_page, tmp_path):
    page = desktop_page
    log_in_as_admin(page, live_site)
    page.goto(live_site + "/admin/snippets/consultations/comment/")
    page.get_by_role("link", name="ファイルから取り込む").click()
    path = tmp_path / "paper.csv"
    path.write_text("\ufeff" + PAPER, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="プレビュー").click()

    expect(page.get_by_text("2件を取り込みます")).to_be_visible()
    preview = page.locator("table.listing").inner_text()
    assert "3-1" in preview and "［電話番号］" in preview and "090-1234-5678" not in preview
    page.get_by_role("button", name="取り込む").click()

    expect(page.get_by_text("2件の意見を取り込みました（受付済み）。")).to_be_visible()
    listing = page.locator("main").inner_text()
    assert "年度ごとの達成状況を紙でも配ってください" in listing
    assert "090-1234-5678" not in listing  # the list shows the text masked


@pytest.mark.parametrize(("body_class", "landscape"), [("results-page", True), ("", False)])
def test_the_results_table_prints_on_a4_landscape(live_site, desktop_page, body_class, landscape):
    page = desktop_page
    page.goto(live_site + "/ja/")  # the site's own stylesheet, as the results page links it
    page.set_content(
        '<html><head><link rel="stylesheet" href="/static/css/site.css"></head>'
        f'<body class="{body_class}"><table class="response-table"><thead><tr><th>番号</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody></table></body></html>"
    )
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = (float(n) for n in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    if landscape:
        assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    else:
        assert width < height
