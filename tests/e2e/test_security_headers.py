"""The Content-Security-Policy blocks nothing the site needs, in a real browser (mieplan_site/security.py)."""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

# Runs in every frame before the page's own scripts: the browser fires this event for each blocked resource.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} at ${where}`);
});
"""


def watch(page: Page) -> list[str]:
    """Console errors about the CSP or Permissions-Policy headers, collected as the page is used."""
    page.add_init_script(RECORD_VIOLATIONS)
    problems: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    return problems


def violations(page: Page) -> list[str]:
    found: list[str] = []
    for frame in page.frames:
        found += frame.evaluate("window.__cspViolations || []")
    return found


def page_id(site_env: dict, number: str) -> int:
    code = (
        "from plan.models import InitiativePage;"
        f"print(InitiativePage.objects.get(number={number!r}, locale__language_code='ja').pk)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=site_env, check=True, capture_output=True
    )
    return int(result.stdout.decode().split()[-1])


def test_public_pages_run_under_the_strict_policy_without_violations(live_site, phone_page):
    problems = watch(phone_page)
    for path in ("/ja/", "/ja/plan/gyosei/3-1/3-1/", "/en/plan/gyosei/3-1/3-1/"):
        response = phone_page.goto(live_site + path)
        assert "script-src 'self';" in response.headers["content-security-policy"]
        assert violations(phone_page) == [], path
    # The search box's suggestions are fetched from our own origin (connect-src 'self').
    phone_page.goto(live_site + "/ja/")
    phone_page.locator("#site-search-q").fill("ぼうさい")
    expect(phone_page.get_by_role("option").first).to_be_visible()
    assert violations(phone_page) == []
    assert problems == []


def test_admin_login_and_card_editor_work_under_the_admin_policy(live_site, site_env, desktop_page):
    problems = watch(desktop_page)
    desktop_page.goto(live_site + "/admin/login/")
    assert violations(desktop_page) == []
    desktop_page.locator("#id_username").fill("admin")
    desktop_page.locator("#id_password").fill("e2e-admin-password")
    desktop_page.locator("form button[type=submit]").click()
    desktop_page.wait_for_url("**/admin/")

    # The card editor: inline KPI rows, the live preview in a same-origin frame, the accessibility checks.
    desktop_page.goto(live_site + f"/admin/pages/{page_id(site_env, '3-1')}/edit/")
    desktop_page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = desktop_page.frame_locator("iframe.w-preview__iframe").last
    expect(preview.get_by_role("heading", level=1)).to_be_visible()
    desktop_page.locator("[data-side-panel-toggle='checks']").first.click()
    desktop_page.wait_for_timeout(1000)  # the checker runs asynchronously inside the preview frame
    assert violations(desktop_page) == []
    assert problems == []
