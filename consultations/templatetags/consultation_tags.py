from urllib.parse import urlencode

from django import template

from consultations.cachetags import COMMENTS
from consultations.models import Comment, ConsultationPage
from home.pagination import OneQueryPaginator
from home.templatetags.site_tags import locale_home
from mieplan_site import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def open_consultation(context) -> ConsultationPage | None:
    """The consultation open now in the reader's locale, looked up once per request."""
    request = context.get("request")
    if request is not None and hasattr(request, "_mieplan_open_consultation"):
        return request._mieplan_open_consultation
    home = locale_home(context)
    consultation = ConsultationPage.open_consultation_under(home) if home else None
    if request is not None:
        request._mieplan_open_consultation = consultation
    return consultation


@register.inclusion_tag("components/comment_link.html", takes_context=True)
def comment_link(context, page, part: str = "whole", item: str = "", about: str = "") -> dict:
    """A plain link to the comment form that records exactly what the comment is about."""
    consultation = open_consultation(context)
    if consultation is None:
        return {"url": None}
    query = {"page": page.pk, "part": part}
    if item:
        query["item"] = item
    url = consultation.url + consultation.reverse_subpage("comment") + "?" + urlencode(query)
    return {"url": url, "about": about, "part": part}


@register.inclusion_tag("components/published_comments.html", takes_context=True)
def published_comments(context, page, per_page: int = 10) -> dict:
    """Published comments on this page (in any language), newest first, paginated with ?page=N."""
    request = context.get("request")
    if request is not None:
        pagecache.add_tags(request, {COMMENTS(page.translation_key)})
    comments = (
        Comment.objects.published()
        .filter(target_page__translation_key=page.translation_key)
        .only("body", "name", "publication", "submitted_at", "target_label", "target_part")
        .order_by("-submitted_at", "-pk")
    )
    page_obj = OneQueryPaginator(comments, per_page).get_page(request.GET.get("page") if request else 1)
    return {"page_obj": page_obj, "request": request}
