from django import template
from wagtail.models import Locale

from home.models import HomePage

register = template.Library()


@register.simple_tag(takes_context=True)
def locale_home(context) -> HomePage | None:
    """The home page of the reader's locale, cached on the request (header and footer both use it)."""
    request = context.get("request")
    cached = getattr(request, "_mieplan_home", None) if request else None
    if cached is not None:
        return cached
    home = HomePage.objects.live().filter(locale=Locale.get_active()).first()
    if request is not None:
        request._mieplan_home = home
    return home


@register.inclusion_tag("components/contact.html", takes_context=True)
def contact_block(context) -> dict:
    from plan.models import PlanPage

    home = locale_home(context)
    plan = PlanPage.objects.live().child_of(home).first() if home else None
    return {"plan": plan}
