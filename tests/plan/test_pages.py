import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from plan.models import KPI, AreaPage, ChapterPage, DirectionPage, PlanPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [PlanPage, ChapterPage, AreaPage, DirectionPage])
def test_every_page_of_each_plan_type_renders(client, model):
    for page in model.objects.live().filter(locale__language_code="ja"):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode()


def test_home_and_consultation_pages_render(client, home_page, consultation):
    home = client.get("/ja/")
    assert home.status_code == 200
    assert "あったかいDX" in home.content.decode()
    assert consultation.url in home.content.decode()  # the prominent link to the open consultation
    assert client.get(consultation.url).status_code == 200


def test_root_redirects_to_the_japanese_site(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


def test_card_heading_starts_with_its_number_and_all_sections_show(client, card):
    html = client.get(card("1-2-1").url).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", h1).split())
    assert text.startswith("1-2-1 デジタルを活用した安全・安心の確保")
    for section in (
        "めざす姿",
        "現状と課題",
        "取組概要",
        "具体的な取組",
        "県土整備部",
        "AIを活用した路面標示劣化検知システムの開発",
    ):
        assert section in html


def test_kpi_table_is_a_real_table_with_caption_and_header_cells(client, card):
    html = client.get(card("2-8-1").url).content.decode()
    table = re.search(r"<table class=\"kpi-table\">.*?</table>", html, re.S).group(0)
    assert "<caption" in table
    assert table.count('<th scope="col">') == 5  # indicator, baseline, target, latest actual, status
    assert table.count('<th scope="row">') == 2
    assert "271事業所" in table and "125事業所" in table


def test_relisted_kpi_shows_the_original_values_and_links_to_it(client, card):
    html = client.get(card("1-8-3").url).content.decode()
    assert "学校ICT環境の維持・向上" in html
    assert "新たなデジタル技術に応じた環境整備" in html
    assert f'href="{card("1-8-2").url}#kpis"' in html


def test_card_page_query_count_does_not_grow_with_kpi_rows(client, card):
    page = card("1-1")

    def queries_for_card_page() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(page.url).status_code == 200
        return len(context.captured_queries)

    queries_for_card_page()  # warm caches that are filled once per process (site root paths, locales)
    with_one_row = queries_for_card_page()
    for index in range(10):
        KPI.objects.create(page=page, indicator=f"追加指標{index}", baseline="1件", target="2件", sort_order=10 + index)
    with_eleven_rows = queries_for_card_page()
    assert with_eleven_rows <= with_one_row  # (a cache another test emptied may cost the first one query)


def test_card_page_query_budget(client, card, django_assert_max_num_queries):
    url = card("1-2-1").url
    client.get(url)
    with django_assert_max_num_queries(15):  # 12 in production, which keeps the Site (test_page_queries.py); +1 actuals
        client.get(url)


def test_plan_page_lists_every_chapter_area_direction_and_card(client, card):
    html = client.get(PlanPage.objects.get(locale__language_code="ja").url).content.decode()
    for number in ("1-1", "2-8-1", "3-7"):
        assert f'href="{card(number).url}"' in html
    assert html.count('class="toc__item"') == 11 + 3


def test_chapter_tables_render_as_tables(client):
    chapter = ChapterPage.objects.get(locale__language_code="ja", slug="purpose")
    html = client.get(chapter.url).content.decode()
    assert "<caption>" in html and "「みえデジタル戦略推進計画」策定" in html


def test_a_direction_that_is_one_card_is_listed_once_on_its_area_page(client, card):
    one = card("1-1")
    direction = one.get_parent()
    html = client.get(direction.get_parent().url).content.decode()
    assert html.count(f'href="{one.url}"') == 1
    assert f'href="{direction.url}"' not in html
    several = card("1-2-1").get_parent()
    assert f'href="{several.url}"' in html  # a direction with several cards keeps its own page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_breadcrumbs_name_a_one_card_direction_once(client, card, language):
    page = card("1-1").get_translation(Locale.objects.get(language_code=language))
    html = client.get(page.url).content.decode()
    trail = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert trail.count(page.title) == 1
