"""やさしい日本語 (easy Japanese): the Japanese pages for readers who know little Japanese, under /ja-easy/.

`ja-easy` is an interface language in settings.LANGUAGES, not a Wagtail locale: Wagtail's Locale.get_active()
maps it to the ja pages, and while it is active their URLs are built under /ja-easy/, so every link, form action
and redirect of an easy page stays easy without rewriting anything. Its gettext catalogue
(locale/ja_Easy/LC_MESSAGES/django.po) rewrites the interface strings residents meet when they comment (the form,
its errors, the receipt, the status page, the error pages) in short sentences; a string it lacks falls back to
the Japanese msgid. Pages show the editors' 「やさしい日本語のまとめ」 first, and always carry ふりがな
(home/furigana.py). The page cache keeps the variant apart by its URL, and purges it with the page (same tags).
"""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE = "ja-easy"
BASE_LANGUAGE = "ja"
PREFIX = f"/{LANGUAGE}/"
BASE_PREFIX = f"/{BASE_LANGUAGE}/"


def active() -> bool:
    return get_language() == LANGUAGE


def content_language(code: str | None) -> str:
    """The language of the pages shown for an interface language: ja for やさしい日本語, itself otherwise."""
    return BASE_LANGUAGE if code == LANGUAGE else (code or settings.LANGUAGE_CODE)


def page_languages() -> list[str]:
    """The languages pages exist in (one Wagtail locale each), in the switcher's order."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def easy_url(url: str) -> str:
    """/ja/… → /ja-easy/… (a URL in any other language is returned as it is)."""
    return PREFIX + url[len(BASE_PREFIX) :] if url.startswith(BASE_PREFIX) else url


def plain_url(url: str) -> str:
    """/ja-easy/… → /ja/…"""
    return BASE_PREFIX + url[len(PREFIX) :] if url.startswith(PREFIX) else url


def html_lang(code: str | None) -> str:
    """The BCP 47 tag for lang="…": やさしい日本語 is Japanese (`ja-easy` is not a valid tag)."""
    return content_language(code)
