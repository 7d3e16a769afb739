"""Query budgets of the pages residents open most (issue 11): upper bounds, uncached, as production serves them.

Production keeps each host's Site record in the process (mieplan_site/sites.py) and serves without the page
cache in these measurements; the fixture below does the same (the tests' settings turn the Site cache off)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from consultations.models import ConsultationPage
from consultations.models.comments import CommentState
from mieplan_site import sites
from plan.models import KPI, AreaPage, ChapterPage, DirectionPage, InitiativePage, PlanPage
from tests import factories

pytestmark = pytest.mark.django_db

CARD_BUDGET = 12
AREA_BUDGET = 12
DIRECTION_BUDGET = 12
HOME_BUDGET = 8


@pytest.fixture(autouse=True)
def production_caches(settings):
    settings.SITE_CACHE_SECONDS = 30
    settings.PAGE_CACHE_SECONDS = 0
    sites._sites.clear()
    yield
    sites._sites.clear()  # the rolled-back transaction sends no signal


def queries_for(client, url: str) -> tuple[int, str]:
    """Queries of one uncached render, after a first request filled what a process keeps (the Site)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def in_language(page, language: str):
    return page.get_translation(Locale.objects.get(language_code=language))


def add_rows_and_comments(card: InitiativePage, rows: int, comments: int) -> None:
    for index in range(rows):
        KPI.objects.create(page=card, indicator=f"追加指標{index}", baseline="1件", target="2件", sort_order=10 + index)
    consultation = ConsultationPage.objects.get(locale__language_code="ja")
    for _ in range(comments):
        factories.comment(consultation, card, state=CommentState.PUBLISHED)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_card_stays_within_budget_whatever_its_kpi_rows_and_comments(client, card, language):
    small, large = in_language(card("1-1"), language), in_language(card("1-2-1"), language)
    add_rows_and_comments(large, rows=10, comments=30)
    small_count, _ = queries_for(client, small.url)
    large_count, html = queries_for(client, large.url)
    assert "追加指標9" in html  # the rows and comments were really rendered
    assert html.count('<li class="comment">') == 10  # the first page of the thirty comments
    assert small_count <= CARD_BUDGET and large_count <= CARD_BUDGET, (small_count, large_count)
    assert large_count <= small_count + 1  # comments: a count, and one more query for the page of them


@pytest.mark.parametrize(
    ("model", "slug", "budget"),
    [(AreaPage, "kurashi", AREA_BUDGET), (PlanPage, "plan", 12), (ChapterPage, "purpose", 8)],
)
def test_plan_pages_stay_within_budget_and_english_costs_no_more(client, model, slug, budget):
    ja = model.objects.get(locale__language_code="ja", slug=slug)
    ja_count, _ = queries_for(client, ja.url)
    en_count, _ = queries_for(client, in_language(ja, "en").url)
    assert ja_count <= budget and en_count <= ja_count, (ja_count, en_count)


def test_direction_page_stays_within_budget_and_english_costs_no_more(client, card):
    direction = DirectionPage.objects.get(pk=card("1-2-1").get_parent().pk)
    ja_count, html = queries_for(client, direction.url)
    assert card("1-2-2").title in html
    en_count, _ = queries_for(client, in_language(direction, "en").url)
    assert ja_count <= DIRECTION_BUDGET and en_count <= ja_count, (ja_count, en_count)


def test_card_in_english_costs_no_more_than_in_japanese(client, card):
    page = card("1-2-1")
    ja_count, _ = queries_for(client, page.url)
    en_count, _ = queries_for(client, in_language(page, "en").url)
    assert en_count <= ja_count, (ja_count, en_count)


def test_home_and_consultation_pages_stay_within_budget(client, home_page, consultation):
    for language in ("ja", "en"):
        home_count, _ = queries_for(client, f"/{language}/")
        assert home_count <= HOME_BUDGET, (language, home_count)
    ja_count, _ = queries_for(client, consultation.url)
    en_count, _ = queries_for(client, in_language(consultation, "en").url)
    assert ja_count <= 8 and en_count <= ja_count, (ja_count, en_count)
