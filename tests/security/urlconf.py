"""The routes the site answers, found by walking the URLconf (in every language) and routable pages' own routes,
so the security tests cover a route added later without anyone listing it."""

import re
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


def walk(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def url_routes() -> list[tuple[str, URLPattern]]:
    """(route, pattern) of every URLconf entry in every language, e.g. ("ja/comments/<id:consultation_id>/", …)."""
    found: dict[str, URLPattern] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for route, pattern in walk(get_resolver().url_patterns):
                found.setdefault(route, pattern)
    return sorted(found.items())


def routable_page_routes() -> list[tuple[type, str]]:
    """(page model, route under the page's URL) of every routable page type, e.g. "results/changes/<id:card_id>/"."""
    return [
        (model, str(pattern.pattern))
        for model in apps.get_models()
        if issubclass(model, RoutablePageMixin)
        for pattern in model.get_subpage_urls()
    ]


def fill(route: str, value: str) -> str:
    """The route with every parameter (path converter or named regex group) replaced by `value`."""
    filled = PARAMETER.sub(value, REGEX_GROUP.sub(value, route))
    return filled.replace("^", "").replace("$", "").replace("\\", "")


def parameters(route: str) -> list[tuple[str, str]]:
    return [(m.group("converter") or "str", m.group("name")) for m in PARAMETER.finditer(route)]
