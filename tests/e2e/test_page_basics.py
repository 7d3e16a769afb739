"""What a browser itself complains about: console errors, failed requests, and a missing favicon."""

import pytest

pytestmark = pytest.mark.e2e

PAGES = [
    "/ja/",
    "/ja/plan/",
    "/ja/plan/purpose/",
    "/ja/plan/kurashi/",
    "/ja/plan/kurashi/1-2/",
    "/ja/plan/kurashi/1-2/1-2-1/",
    "/ja/consultation/",
    "/ja/consultation/status/",
    "/ja/search/?q=防災",
    "/en/",
    "/en/plan/kurashi/1-2/1-2-1/",
    "/en/search/?q=disaster",
    "/vi/consultation/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors_or_failed_requests(live_site, desktop_page, path):
    problems = []
    desktop_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    desktop_page.on("pageerror", lambda error: problems.append(str(error)))
    desktop_page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    desktop_page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}")
    )
    desktop_page.goto(live_site + path, wait_until="networkidle")
    # Chromium asks for /favicon.ico only when no icon is linked; ask as an old browser would.
    favicon = desktop_page.request.get(live_site + "/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert problems == []


def test_comment_form_and_receipt_load_without_console_errors(live_site, desktop_page):
    problems = []
    desktop_page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    desktop_page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}")
    )
    desktop_page.goto(live_site + "/ja/plan/kurashi/1-2/1-2-1/", wait_until="networkidle")
    desktop_page.get_by_role("link", name="この部分に意見を書く").first.click()
    desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.title().startswith("意見を書く：1-2-1")
    assert problems == []
