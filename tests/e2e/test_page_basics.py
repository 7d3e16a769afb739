"""What a browser itself complains about: console errors, failed requests and a missing favicon, on every page type
a resident can reach, in every locale. The results pages need a consultation whose period is over and whose results
are published: these tests run on a site copy of their own, so the other browser tests keep their open consultation.
"""

import json
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import copy_site_env, manage, serving

pytestmark = pytest.mark.e2e

# Run in the site copy's own environment: the URLs of each page type per locale, as the server will route them.
PAGE_URLS = """
import json
from django.conf import settings
from consultations.models import ConsultationPage
from home.models import HomePage
from plan.models import AreaPage, ChapterPage, DirectionPage, InitiativePage, PlanPage

def first(model, code):
    return model.objects.live().filter(locale__language_code=code).order_by("path").first()

urls = {}
for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
    card = InitiativePage.objects.live().get(number="1-2-1", locale__language_code=code)
    consultation = first(ConsultationPage, code).url
    urls[code] = {
        "home": first(HomePage, code).url,
        "plan": first(PlanPage, code).url,
        "chapter": first(ChapterPage, code).url,
        "area": first(AreaPage, code).url,
        "direction": first(DirectionPage, code).url,
        "card": card.url,
        "consultation": consultation,
        "comment form": consultation + f"comment/?page={card.pk}&part=goal",
        "status": consultation + "status/",
        "search": f"/{code}/search/?q={card.title.split()[0]}",
        "results": consultation + "results/",
        "changes": consultation + f"results/changes/{card.pk}/",
    }
print(json.dumps(urls))
"""

PUBLISH_RESULTS = """
from consultations.models import Comment, ConsultationPage
from tests.periods import publish_results

Comment.objects.update(state="published")
for page in ConsultationPage.objects.filter(alias_of__isnull=True):
    publish_results(page)
"""

WHILE_OPEN = (
    *("home", "plan", "chapter", "area", "direction", "card"),
    *("consultation", "comment form", "status", "search"),
)
AFTER_RESULTS = ("card", "consultation", "results", "changes")


class Complaints:
    """Everything the browser reports as wrong while a page loads."""

    def __init__(self, page: Page) -> None:
        self.found: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.found.append(message.text))
        page.on("pageerror", lambda error: self.found.append(str(error)))
        page.on("requestfailed", lambda request: self.found.append(f"failed: {request.url}"))
        page.on(
            "response",
            lambda response: response.status >= 400 and self.found.append(f"{response.status}: {response.url}"),
        )

    def take(self) -> list[str]:
        found, self.found = self.found, []
        return found


@pytest.fixture(scope="module")
def own_site(tmp_path_factory, full_plan, django_db_blocker) -> Iterator[tuple[dict, dict]]:
    env = copy_site_env(tmp_path_factory.mktemp("basics-site"), full_plan, django_db_blocker)
    env["COMMENT_RATE_LIMIT"] = "100"  # one comment per locale from the same address
    urls = json.loads(manage(env, "shell", "-c", PAGE_URLS).strip().splitlines()[-1])
    yield env, urls


def visit(page: Page, complaints: Complaints, url: str) -> list[str]:
    page.goto(url, wait_until="networkidle")
    return complaints.take()


def test_every_page_type_in_every_locale_loads_without_complaints(own_site, browser):
    env, urls = own_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: dict[str, list[str]] = {}
    with serving(env) as base:
        pages = {}
        for code, paths in urls.items():
            page = context.new_page()
            complaints = Complaints(page)
            for name in WHILE_OPEN:
                if found := visit(page, complaints, base + paths[name]):
                    problems[f"{code} {name}"] = found
            visit(page, complaints, base + paths["comment form"])
            page.locator("textarea[name=body]").fill("読みやすい計画にしてください。")
            page.locator("input[name=publication]").first.check()
            page.locator("input[name=consent]").check()
            pages[code] = (page, complaints)
        time.sleep(3.2)  # the form refuses submissions faster than a person can type, once for all locales
        for code, (page, complaints) in pages.items():
            page.locator("form.comment-form button[type=submit]").click()
            page.wait_for_load_state("networkidle")
            assert page.locator(".receipt__number").count() == 1, (code, page.url)
            if found := complaints.take():
                problems[f"{code} receipt"] = found
            page.close()
        # Chromium asks for /favicon.ico only when no icon is linked; ask as an old browser would.
        favicon = context.request.get(base + "/favicon.ico")
        assert favicon.status == 200 and favicon.headers["content-type"] == "image/vnd.microsoft.icon"

    manage(env, "shell", "-c", PUBLISH_RESULTS)
    with serving(env) as base:  # a new process: nothing cached from before the results
        page = context.new_page()
        complaints = Complaints(page)
        for code, paths in urls.items():
            for name in AFTER_RESULTS:
                if found := visit(page, complaints, base + paths[name]):
                    problems[f"{code} {name} with results"] = found
            assert page.locator("main").count() == 1
    context.close()
    assert problems == {}


def test_comment_form_opens_from_the_card_without_complaints(live_site, desktop_page):
    complaints = Complaints(desktop_page)
    desktop_page.goto(live_site + "/ja/plan/kurashi/1-2/1-2-1/", wait_until="networkidle")
    desktop_page.get_by_role("link", name="この部分に意見を書く").first.click()
    desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.title().startswith("意見を書く：1-2-1")
    assert complaints.take() == []
