"""The language switcher's entries (and the hreflang alternates built from them)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from home import easy
from home.origin import public_url


def language_version(code: str, url: str, current: bool) -> dict:
    if code == easy.BASE_LANGUAGE:  # on a やさしい日本語 page Wagtail builds the Japanese URL under /ja-easy/
        url = easy.plain_url(url)
        current = current and not easy.active()
    return {
        "code": code,
        "name": get_language_info(code)["name_local"],
        "url": url,
        "full_url": public_url(url),
        "current": current,
    }


def switcher_versions(versions: list[dict]) -> list[dict]:
    """The switcher's entries: the page's languages, with やさしい日本語 after 日本語 as a choice of its own (it is
    not an alternate language of the page, so it stays out of the hreflang links)."""
    out = []
    for version in versions:
        out.append(version)
        if version["code"] == easy.BASE_LANGUAGE:
            entry = language_version(easy.LANGUAGE, easy.easy_url(version["url"]), easy.active())
            out.append({**entry, "lang": easy.BASE_LANGUAGE})
    return out


def view_language_versions(request: HttpRequest, keep: tuple[str, ...] = ()) -> list[dict]:
    """For a view that is not a page (search): the same path under every language prefix, with the query
    parameters in `keep` (ids of pages and filters differ between languages, so they are not kept)."""
    kept = {key: request.GET[key] for key in keep if request.GET.get(key)}
    path = request.path + ("?" + urlencode(kept) if kept else "")
    current = get_language()
    return [
        language_version(code, translate_url(path, code), code == current)
        for code in easy.page_languages()
        if code in dict(settings.LANGUAGES)
    ]
