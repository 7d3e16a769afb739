import pytest
from django.urls import reverse

from plan.models import AreaPage, Department

pytestmark = pytest.mark.django_db


def test_hits_show_number_and_title_as_link_then_area_and_highlighted_snippet(client, card):
    html = client.get("/ja/search/", {"q": "不登校"}).content.decode()
    link = f'<a href="{card("1-8-2").url}"><span class="number">1-8-2</span> ICTを活用した教育の推進'
    assert link in html
    assert '<p class="search-hit__area">暮らしのDX</p>' in html
    assert "<mark>不登校</mark>" in html


def test_highlight_follows_width_and_kana_folding(client):
    html = client.get("/ja/search/", {"q": "ﾄﾞﾛｰﾝ"}).content.decode()
    assert "<mark>ドローン</mark>" in html


def test_search_is_filtered_by_area_and_department(client, card):
    shigoto = AreaPage.objects.get(locale__language_code="ja", slug="shigoto")
    html = client.get("/ja/search/", {"q": "防災", "area": shigoto.pk}).content.decode()
    assert card("2-4-2").url in html and card("1-1").url not in html

    department = Department.objects.get(locale__language_code="ja", name="防災対策部")
    html = client.get("/ja/search/", {"q": "防災", "department": department.pk}).content.decode()
    assert card("1-1").url in html and card("2-4-2").url not in html


def test_results_are_paginated(client):
    response = client.get("/ja/search/", {"q": "デジタル"})
    assert response.context["page_obj"].paginator.num_pages > 1
    second = client.get("/ja/search/", {"q": "デジタル", "page": 2})
    assert second.status_code == 200 and second.context["page_obj"].number == 2


@pytest.mark.parametrize(("params", "status", "message"), [
    ({}, 200, "検索する言葉を入力してください"),
    ({"q": "   "}, 200, "検索する言葉を入力してください"),
    ({"q": "あ" * 101}, 400, "100文字以内"),
    ({"q": "zzzzqqqq"}, 200, "一致するページが見つかりませんでした"),
    ({"q": "！？…・"}, 200, "一致するページが見つかりませんでした"),
    ({"q": "<script>alert(1)</script>"}, 200, "&lt;script&gt;"),
    ({"q": "'; DROP TABLE wagtailcore_page; --"}, 200, "一致するページ"),
    ({"q": "防災", "page": "abc", "area": "x", "department": "-1"}, 200, "防災"),
])  # fmt: skip
def test_odd_queries_get_a_helpful_message_never_an_error(client, params, status, message):
    response = client.get("/ja/search/", params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_single_character_finds_titles_starting_with_it(client, card):
    html = client.get("/ja/search/", {"q": "防"}).content.decode()
    assert card("1-1").url in html


def test_suggestions_complete_card_titles_from_a_kanji_prefix(client, card):
    data = client.get(reverse("search_suggest"), {"q": "防"}).json()
    assert {"label": "1-1 デジタルを活用した防災対策", "url": card("1-1").url} in data["suggestions"]
    assert client.get(reverse("search_suggest"), {"q": ""}).json() == {"suggestions": []}


def test_admin_page_search_finds_japanese_words(client, editor, card):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "不登校"}).content.decode()
    assert "ICTを活用した教育の推進" in html


def test_moderators_find_comments_by_a_japanese_word(client, moderator, consultation):
    from consultations.models import Comment

    Comment.objects.create(consultation=consultation, body="マイナンバーカードの普及について", publication="anonymous")
    Comment.objects.create(consultation=consultation, body="交通の便をよくしてほしい", publication="anonymous")
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:list_results")
    html = client.get(url, {"q": "ナンバー"}).content.decode()
    assert "マイナンバーカードの普及" in html and "交通の便" not in html


def test_english_search_uses_english_stemming_and_english_pages(client):
    from plan.models import InitiativePage

    english_card = InitiativePage.objects.get(locale__language_code="en", number="1-1")
    assert "disasters" not in english_card.title.lower()
    response = client.get("/en/search/", {"q": "disasters"})
    html = response.content.decode()
    assert english_card.url in html  # the text says "disaster"; the stem matches the plural
    hits = [hit.page for hit in response.context["hits"]]
    assert hits and all(page.locale.language_code == "en" for page in hits)


def test_each_locale_searches_only_its_own_pages(client):
    response = client.get("/vi/search/", {"q": "防災"})
    hits = [hit.page for hit in response.context["hits"]]
    assert hits and all(page.locale.language_code == "vi" for page in hits)
