from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from home.ids import parse_id
from home.languages import view_language_versions
from home.models import HomePage
from home.text import is_unusable
from mieplan_site import pagecache
from plan.cachetags import DEPARTMENTS
from plan.models import AreaPage, Department
from search import query as search_query

MAX_QUERY_LENGTH = 100
RESULTS_PER_PAGE = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    home = HomePage.for_request(request)
    locale = home.locale if home else Locale.get_active()
    areas = list(AreaPage.objects.live().filter(locale=locale))
    departments = list(Department.objects.filter(locale=locale))
    area = next((a for a in areas if a.pk == parse_id(request.GET.get("area", ""))), None)
    department_id = parse_id(request.GET.get("department", ""))
    context = {
        "query": query,
        "areas": areas,
        "departments": departments,
        "selected_area": area,
        "selected_department": department_id,
        "language_versions": view_language_versions(request, keep=("q",)),
    }
    status = 200
    if not query:
        context["message"] = _("検索する言葉を入力してください。例：防災、テレワーク、マイナンバーカード")
    elif len(query) > MAX_QUERY_LENGTH:
        context["message"] = _("検索する言葉は%(limit)d文字以内で入力してください。") % {"limit": MAX_QUERY_LENGTH}
        status = 400
    elif is_unusable(query):
        context["message"] = _("検索する言葉に使えない文字が含まれています。入力し直してください。")
        status = 400
    else:
        results = search_query.matching_pages(query, locale, area, department_id)
        page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context["page_obj"] = page_obj
        context["hits"] = search_query.hits(list(page_obj.object_list), query, areas)
    # Results change with any page of the locale; the filters list the departments.
    pagecache.add_tags(request, {pagecache.SEARCH(locale.pk), pagecache.LOCALE(locale.pk), DEPARTMENTS()})
    return TemplateResponse(request, "search/search.html", context, status=status)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    prefix = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if not prefix:
        return JsonResponse({"suggestions": []})
    if is_unusable(prefix):
        return JsonResponse({"suggestions": []}, status=400)
    locale = Locale.get_active()
    cards = search_query.suggestions(prefix, locale)
    pagecache.add_tags(request, {pagecache.SEARCH(locale.pk)})
    return JsonResponse(
        {"suggestions": [{"label": f"{card.number} {card.title}", "url": card.url} for card in cards]},
        json_dumps_params={"ensure_ascii": False},
    )
