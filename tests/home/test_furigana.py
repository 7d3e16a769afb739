"""ふりがな on Japanese pages: readings from the glossary and the analyser, only in the prose, remembered by URL,
cached as their own variant and purged with the page."""

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from home.furigana import annotate, annotate_html, carry_choice, ruby
from home.models import ReadingGlossaryEntry
from tests.home.test_page_cache import CARD_PATH, commit, fetch  # noqa: F401 (fixtures)

RUBY = re.compile(r"<ruby>([^<]+)<rp>\(</rp><rt>([^<]+)</rt><rp>\)</rp></ruby>")


def readings(html: str) -> dict[str, str]:
    return dict(RUBY.findall(html))


def test_kana_around_the_kanji_stays_outside_the_ruby():
    assert readings(ruby("進める", "ススメル")) == {"進": "すす"}
    assert ruby("進める", "ススメル").endswith("</ruby>める")
    assert ruby("デジタル", "デジタル") == "デジタル"


def test_the_glossary_wins_over_the_analyser_and_nothing_is_lost():
    text = "三重県 津市の行政手続を進める。\n"
    html = annotate(text, {"津市": "つし", "三重県": "みえけん"})
    assert readings(html)["津市"] == "つし" and readings(html)["三重県"] == "みえけん"
    assert re.sub(r"<rp>\(</rp><rt>[^<]*</rt><rp>\)</rp>|</?ruby>", "", html) == text


def test_only_the_prose_of_the_body_is_annotated():
    document = (
        '<!DOCTYPE html><html><head><title>防災計画</title><meta content="防災"></head><body>'
        '<p title="防災">防災の計画 &amp; 確認</p><script>const a = "防災";</script><code>防災</code>'
        "<select><option>防災</option></select><textarea>防災</textarea></body></html>"
    )
    annotated = annotate_html(document, {})
    assert "<title>防災計画</title>" in annotated and 'title="防災"' in annotated
    assert 'const a = "防災";' in annotated and "<code>防災</code>" in annotated
    assert "<option>防災</option>" in annotated and "<textarea>防災</textarea>" in annotated
    assert readings(annotated) == {"防災": "ぼうさい", "計画": "けいかく", "確認": "かくにん"}
    assert "&amp;" in annotated


def test_links_and_search_forms_keep_furigana_on_and_the_toggle_does_not():
    document = (
        '<a href="/ja/plan/?page=2&amp;q=x">a</a><a href="/en/plan/">b</a><a href="https://example.jp/">c</a>'
        '<a href="/ja/plan/" data-furigana-toggle>off</a><form method="get" action="/ja/search/"></form>'
    )
    carried = carry_choice(document)
    assert 'href="/ja/plan/?page=2&amp;q=x&amp;ruby=1"' in carried
    assert 'href="/en/plan/"' in carried and 'href="https://example.jp/"' in carried
    assert 'href="/ja/plan/" data-furigana-toggle' in carried
    assert '<input type="hidden" name="ruby" value="1">' in carried


@pytest.mark.django_db
def test_a_card_is_served_with_furigana_when_asked_and_only_then(client, card):
    page = card("1-2-1")
    plain = client.get(page.url).content.decode()
    assert "<ruby>" not in plain
    assert f'href="{page.url}?ruby=1" rel="nofollow" data-furigana-toggle>ふりがなをつける</a>' in plain

    with_ruby = client.get(page.url + "?ruby=1").content.decode()
    body = with_ruby.split("<body", 1)[1]
    assert "<ruby>" in body and "<ruby>" not in with_ruby.split("<body", 1)[0]
    assert f'href="{page.url}" rel="nofollow" data-furigana-toggle>ふりがなをとる</a>' in with_ruby
    assert re.search(r'href="/ja/plan/[^"]*\?ruby=1"', body)  # links go on with ふりがな
    assert readings(with_ruby).get("三重県") in (None, "みえけん")


@pytest.mark.django_db
def test_other_languages_and_the_admin_are_never_annotated(client, card, django_user_model):
    english = card("1-2-1").get_translation(Locale.objects.get(language_code="en"))
    assert "<ruby>" not in client.get(english.url + "?ruby=1").content.decode()
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    assert "<ruby>" not in client.get("/admin/?ruby=1").content.decode()


@pytest.mark.django_db
def test_an_editors_reading_is_used_on_the_pages(client, card):
    page = card("1-2-1")
    ReadingGlossaryEntry.objects.create(term="防災", reading="ぼうさいてすと")
    html = client.get(page.url + "?ruby=1").content.decode()
    assert "<ruby>防災<rp>(</rp><rt>ぼうさいてすと</rt><rp>)</rp></ruby>" in html


@pytest.mark.django_db
def test_the_glossary_ships_mies_29_municipalities():
    towns_and_cities = ReadingGlossaryEntry.objects.filter(term__regex=r"(市|町)$").exclude(term="市町")
    assert towns_and_cities.count() == 29
    assert ReadingGlossaryEntry.objects.get(term="四日市市").reading == "よっかいちし"


@pytest.mark.django_db
def test_the_furigana_variant_is_cached_apart_and_purged_with_the_page_and_the_glossary(fetch, commit, card):  # noqa: F811
    assert "<ruby>" not in fetch(CARD_PATH).text
    first = fetch(CARD_PATH + "?ruby=1")
    assert "<ruby>" in first.text
    again = fetch(CARD_PATH + "?ruby=1")
    assert again.cache == "hit" and again.text == first.text
    assert "<ruby>" not in fetch(CARD_PATH).text  # the plain page is its own entry

    with commit():
        ReadingGlossaryEntry.objects.create(term="路面標示", reading="ろめんひょうじ")
    assert fetch(CARD_PATH + "?ruby=1").cache != "hit"

    fetch(CARD_PATH + "?ruby=1")
    with commit():
        card("1-2-1").save_revision().publish()
    assert fetch(CARD_PATH + "?ruby=1").cache != "hit"


def test_a_reading_must_be_hiragana():
    with pytest.raises(ValidationError):
        ReadingGlossaryEntry(term="津市", reading="ツシ").clean()


def test_text_in_another_language_gets_no_japanese_readings():
    document = '<body><a href="/zh-hans/" lang="zh-hans">简体中文<span>中文</span></a><p lang="ja">計画</p></body>'
    annotated = annotate_html(document, {})
    assert "简体中文<span>中文</span></a>" in annotated
    assert readings(annotated) == {"計画": "けいかく"}
