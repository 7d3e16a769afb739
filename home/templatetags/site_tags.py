from django import template
from django.utils.translation import get_language

from home.models import HomePage

register = template.Library()


@register.simple_tag(takes_context=True)
def locale_home(context) -> HomePage | None:
    """The home page of the reader's locale (header and footer both use it)."""
    request = context.get("request")
    return HomePage.for_request(request) if request is not None else HomePage.for_language(get_language())


@register.inclusion_tag("components/contact.html", takes_context=True)
def contact_block(context) -> dict:
    from plan.models import PlanPage

    home = locale_home(context)
    plan = PlanPage.objects.live().child_of(home).first() if home else None
    return {"plan": plan}


# Punctuation that differs between Japanese/Chinese (full width) and the other languages.
FULL_WIDTH_LANGUAGES = {"ja", "zh-hans"}


def full_width() -> bool:
    return get_language() in FULL_WIDTH_LANGUAGES


@register.simple_tag
def colon() -> str:
    return "：" if full_width() else ": "


@register.simple_tag
def list_separator() -> str:
    return "、" if full_width() else ", "


@register.simple_tag
def open_bracket() -> str:
    return "（" if full_width() else " ("


@register.simple_tag
def close_bracket() -> str:
    return "）" if full_width() else ")"


@register.filter
def bracketed(value) -> str:
    return f"（{value}）" if full_width() else f"({value}) "


@register.filter
def subtitle(value) -> str:
    """A card's subtitle: ～授業の改善～ in Japanese, "– Improving lessons" elsewhere."""
    return f"～{value}～" if get_language() == "ja" else f"– {value}"


@register.filter
def quoted(value) -> str:
    """A quotation after a label: KPI「防災」 in Japanese and Chinese, KPIs “disaster” (with a space) elsewhere."""
    return f"「{value}」" if full_width() else f" “{value}”"
