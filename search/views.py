from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 10


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    message = ""
    results = Page.objects.none()
    if not query:
        message = _("検索する言葉を入力してください。")
    elif len(query) > MAX_QUERY_LENGTH:
        message = _("検索する言葉は%(limit)d文字以内で入力してください。") % {"limit": MAX_QUERY_LENGTH}
    else:
        locale = Locale.get_active()
        results = Page.objects.live().public().filter(locale=locale).specific().search(query)

    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    status = 400 if message and query else 200
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "message": message, "page_obj": page_obj, "results": page_obj.object_list},
        status=status,
    )
