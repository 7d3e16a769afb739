from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from mieplan_site import pagecache
from plan.cachetags import KPIS
from plan.opendata import kpi_csv_lines, kpi_records


@require_GET
def kpis_json(request: HttpRequest) -> JsonResponse:
    pagecache.add_tags(request, {KPIS()})
    response = JsonResponse(kpi_records(request), safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def kpis_csv(request: HttpRequest) -> HttpResponse:
    pagecache.add_tags(request, {KPIS()})
    body = "".join(kpi_csv_lines(kpi_records(request)))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mie-digital-plan-kpis.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
