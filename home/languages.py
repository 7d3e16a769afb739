"""The language switcher's entries (and the hreflang alternates built from them)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from home.origin import public_url


def language_version(code: str, url: str, current: bool) -> dict:
    return {
        "code": code,
        "name": get_language_info(code)["name_local"],
        "url": url,
        "full_url": public_url(url),
        "current": current,
    }


def view_language_versions(request: HttpRequest, keep: tuple[str, ...] = ()) -> list[dict]:
    """For a view that is not a page (search): the same path under every language prefix, with the query
    parameters in `keep` (ids of pages and filters differ between languages, so they are not kept)."""
    kept = {key: request.GET[key] for key in keep if request.GET.get(key)}
    path = request.path + ("?" + urlencode(kept) if kept else "")
    current = get_language()
    return [language_version(code, translate_url(path, code), code == current) for code, _ in settings.LANGUAGES]
