"""Localisation: eight locale trees, the English plan, translators' permissions, out-of-date translations,
the PO round trip, and the interface catalogues."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from home.roles import TRANSLATORS
from plan.models import KPI, AreaPage, InitiativePage, PlanPage
from plan.translations import load_translations
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def page_in(language: str, model=Page, **filters):
    return model.objects.get(locale__language_code=language, **filters)


@pytest.fixture
def translator(django_user_model):
    return make_user(django_user_model, "translator", TRANSLATORS)


def test_every_locale_tree_has_every_page():
    japanese = set(
        Page.objects.filter(locale__language_code="ja", depth__gt=1).values_list("translation_key", flat=True)
    )
    assert len(japanese) > 80
    for language in LANGUAGES[1:]:
        keys = set(Page.objects.filter(locale__language_code=language).values_list("translation_key", flat=True))
        assert japanese <= keys, language


def test_whole_plan_is_translated_into_english_with_every_kpi_row():
    english = InitiativePage.objects.filter(locale__language_code="en")
    assert english.count() == 41
    assert not english.filter(alias_of__isnull=False).exists()
    card = english.get(number="2-8-1")
    assert not JAPANESE.search(card.title)
    rows = list(card.kpis.order_by("sort_order"))
    assert [row.baseline for row in rows] == ["271 businesses", "125 businesses"]
    assert (
        KPI.objects.filter(locale__language_code="en").count() == KPI.objects.filter(locale__language_code="ja").count()
    )
    english_texts = [row.indicator for row in KPI.objects.filter(locale__language_code="en") if row.indicator]
    # Japanese may stand only in brackets, as the official name after its English rendering.
    assert not [text for text in english_texts if JAPANESE.search(re.sub(r"[(（][^)）]*[)）]", "", text))]


def test_english_card_reads_in_english_with_its_number_first(client):
    card = page_in("en", InitiativePage, number="1-1")
    html = client.get(card.url).content.decode()
    h1 = " ".join(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).split())
    assert h1.startswith("1-1 ")
    assert not JAPANESE.search(h1)
    assert '<html lang="en">' in html
    assert "untranslated-notice" not in html


@pytest.mark.parametrize("language", ["pt-br", "vi", "zh-hans", "fil", "es", "ko"])
def test_core_pages_are_translated_and_the_rest_show_japanese_with_a_notice(client, language):
    for model in (PlanPage, AreaPage):
        for page in model.objects.filter(locale__language_code=language):
            japanese = page.get_translation(Locale.get_default())
            assert page.alias_of_id is None, (language, page.url_path)
            assert page.title != japanese.title, (language, page.title)
    card = page_in(language, InitiativePage, number="1-5")
    assert card.alias_of_id is not None
    html = client.get(card.url).content.decode()
    assert f'<html lang="{language}">' in html
    assert '<p class="untranslated-notice" role="note">' in html
    assert '<div lang="ja">' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_hreflang_and_lang_are_right_on_a_card_in_every_locale(client, language):
    card = page_in(language, InitiativePage, number="1-5")
    html = client.get(card.url).content.decode()
    assert f'<html lang="{language}">' in html
    for other in LANGUAGES:
        other_card = page_in(other, InitiativePage, number="1-5")
        assert f'<link rel="alternate" hreflang="{other}" href="http://testserver{other_card.url}">' in html
        if other != language:
            assert f'href="{other_card.url}" hreflang="{other}" lang="{other}"' in html
    assert '<span aria-current="true" lang="' + language + '">' in html


def test_translator_can_publish_english_but_not_touch_the_japanese_source(client, translator):
    english = page_in("en", InitiativePage, number="1-1")
    japanese = page_in("ja", InitiativePage, number="1-1")
    assert english.permissions_for_user(translator).can_publish()
    assert not japanese.permissions_for_user(translator).can_edit()
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[japanese.pk])).status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).status_code == 200


def test_new_japanese_revision_leaves_only_the_changed_segment_to_translate():
    japanese = page_in("ja", InitiativePage, number="1-1")
    english_locale = Locale.objects.get(language_code="en")
    translation = Translation.objects.get(source__object_id=japanese.translation_key, target_locale=english_locale)
    total, done = translation.get_progress()
    assert done == total

    measures = japanese.measures.raw_data
    measures[0]["value"] = "AIを活用した、幅広い災害情報の早期収集と共有"
    japanese.measures = measures
    japanese.save_revision().publish()
    TranslationSource.update_or_create_from_instance(japanese)

    total_after, done_after = translation.get_progress()
    assert total_after == total
    assert done_after == total - 1  # every other segment keeps its English


def test_po_file_round_trip_changes_the_published_english_page(client, translator):
    english = page_in("en", InitiativePage, number="1-1")
    japanese = page_in("ja", InitiativePage, number="1-1")
    translation = Translation.objects.get(source__object_id=japanese.translation_key, target_locale=english.locale)
    client.force_login(translator)

    downloaded = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    po = polib.pofile(downloaded.content.decode("utf-8"))
    title_entry = next(entry for entry in po if entry.msgctxt == "title")
    title_entry.msgstr = "Disaster preparedness using digital technology"
    upload = SimpleUploadedFile("1-1.po", str(po).encode("utf-8"), content_type="text/x-gettext-translation")
    response = client.post(reverse("wagtail_localize:upload_pofile", args=[translation.pk]), {"file": upload})
    assert response.status_code == 302

    translation.save_target(user=translator, publish=True)
    english.refresh_from_db()
    assert english.title == "Disaster preparedness using digital technology"
    assert "Disaster preparedness using digital technology" in client.get(english.url).content.decode()


def test_second_load_of_translations_changes_nothing():
    report = load_translations()
    assert report.translated == []


def test_departments_are_translated_snippets(client):
    card = page_in("en", InitiativePage, number="1-1")
    html = client.get(card.url).content.decode()
    assert "Disaster Prevention and Countermeasures Department" in html


@pytest.mark.parametrize("folder", sorted(p for p in (Path(settings.BASE_DIR) / "locale").iterdir() if p.is_dir()))
def test_no_interface_string_is_left_untranslated(folder):
    catalogue = polib.pofile(str(folder / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated() or "fuzzy" in entry.flags]
    assert untranslated == [], folder.name
    # やさしい日本語 rewrites only what residents meet when they comment; the rest falls back to Japanese.
    assert len(catalogue) > (60 if folder.name == "ja_Easy" else 300)


def test_every_configured_language_has_a_catalogue():
    folders = {p.name for p in (Path(settings.BASE_DIR) / "locale").iterdir() if p.is_dir()}
    assert folders == {"en", "pt_BR", "vi", "zh_Hans", "fil", "es", "ko", "ja_Easy"}
