import html
from collections.abc import Callable

from django import template
from django.core.exceptions import SuspiciousOperation
from django.utils.html import escape
from django.utils.translation import get_language
from wagtail import hooks

from home import easy, furigana, languages
from home.hooks import SITE_CONTACT
from home.models import HomePage
from home.summaries import shorten_at_sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def locale_home(context) -> HomePage | None:
    """The home page of the reader's locale (header and footer both use it)."""
    request = context.get("request")
    return HomePage.for_request(request) if request is not None else HomePage.for_language(get_language())


@register.inclusion_tag("components/contact.html", takes_context=True)
def contact_block(context) -> dict:
    """The footer's contact address, from the page an app registered for it (the plan)."""
    home = locale_home(context)
    found = (find(home) for find in hooks.get_hooks(SITE_CONTACT)) if home else ()
    return {"plan": next((page for page in found if page is not None), None)}


# Punctuation that differs between Japanese/Chinese (full width) and the other languages.
FULL_WIDTH_LANGUAGES = {"ja", "ja-easy", "zh-hans"}


def full_width() -> bool:
    return get_language() in FULL_WIDTH_LANGUAGES


# {% colon %}, {% list_separator %}, …: the full-width form, or the form the other languages use.
PUNCTUATION = {
    "colon": ("：", ": "),
    "list_separator": ("、", ", "),
    "open_bracket": ("（", " ("),
    "close_bracket": ("）", ")"),
}


def punctuation_tag(full: str, other: str) -> Callable[[], str]:
    return lambda: full if full_width() else other


for tag_name, forms in PUNCTUATION.items():
    register.simple_tag(punctuation_tag(*forms), name=tag_name)


@register.filter
def bracketed(value) -> str:
    return f"（{value}）" if full_width() else f"({value}) "


@register.filter
def subtitle(value) -> str:
    """A card's subtitle: ～授業の改善～ in Japanese, "– Improving lessons" elsewhere."""
    return f"～{value}～" if easy.content_language(get_language()) == "ja" else f"– {value}"


@register.filter
def quoted(value) -> str:
    """A quotation after a label: KPI「防災」 in Japanese and Chinese, KPIs “disaster” (with a space) elsewhere."""
    return f"「{value}」" if full_width() else f" “{value}”"


@register.inclusion_tag("components/furigana_toggle.html", takes_context=True)
def furigana_toggle(context) -> dict:
    """The header's ふりがな on/off link, on Japanese pages only: the same page with or without ?ruby=1."""
    request = context.get("request")
    if request is None or get_language() != "ja" or request.method != "GET":
        return {}
    on = furigana.wants_ruby(request)
    try:
        here = request.path + ("?" + request.GET.urlencode() if request.GET else "")
    except SuspiciousOperation:  # too many fields: this is an error page, offer the plain page
        here = request.path
    return {"url": furigana.with_ruby(here, on=not on), "on": on, "toggle": furigana.TOGGLE}


@register.filter
def meta_description(value) -> str:
    """At most what search engines show: 120 characters of Japanese or Chinese, 160 of other languages."""
    text = html.unescape(str(value))  # the block arrives escaped: count (and cut) characters, not entities
    return escape(shorten_at_sentence(text, 120 if full_width() else 160))


@register.simple_tag
def switcher_versions(versions: list[dict]) -> list[dict]:
    return languages.switcher_versions(versions)


@register.filter
def html_lang(code: str) -> str:
    return easy.html_lang(code)


@register.simple_tag
def easy_japanese() -> bool:
    """Whether the page is served in やさしい日本語 (/ja-easy/)."""
    return easy.active()
