"""Browser tests drive Debian's Chromium with Playwright against a real server process.

The server runs `manage.py runserver` on its own copy of the test run's whole-plan database (migrated, load_plan,
demo consultation: what `make run` sets up; tests/snapshots.py), so these tests see what a resident sees.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests need the test database (their server copies it), and pytest-django creates it only for a
    run with at least one database-marked test: `pytest -m e2e` alone has none unless these are marked."""
    for item in items:
        if "site_env" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="package", autouse=True)
def sync_database_calls_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop on the test thread, so Django takes the test's (empty,
    rolled-back) transaction for async code and refuses it. Nothing here shares a connection with async code:
    the browser talks to a server in another process. Allowed for the browser tests only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    """Run a management command in the server's environment; its standard output."""
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def copy_site_env(folder: Path, full_plan, django_db_blocker) -> dict:
    """The environment of a server process of its own on a copy of the whole-plan database in `folder`."""
    with django_db_blocker.unblock():
        database_url = full_plan.full_copy_for_server(folder)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.dev",
        "DATABASE_URL": database_url,
        "DJANGO_SUPERUSER_PASSWORD": "e2e-admin-password",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "ensure_demo_admin", "-v0")
    manage(env, "create_demo_progress", "-v0")  # what `make run` sets up: the progress page and demo actuals
    return env


@pytest.fixture(scope="session")
def site_env(tmp_path_factory, full_plan, django_db_blocker) -> dict:
    return copy_site_env(tmp_path_factory.mktemp("e2e-site"), full_plan, django_db_blocker)


def log_in_as_admin(page, live_site: str) -> None:
    """Sign the demo administrator in (Wagtail's Japanese admin translation is partial: fields found by id)."""
    page.goto(live_site + "/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("e2e-admin-password")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")


@contextmanager
def serving(env: dict) -> Iterator[str]:
    """`manage.py runserver` on a free port with `env`, until the block ends; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the test server did not start") from None
            time.sleep(0.3)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def live_site(site_env) -> Iterator[str]:
    with serving(site_env) as base:
        yield base


@pytest.fixture(scope="package")  # its event loop ends with the browser tests
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test-tools` (Debian package chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()
