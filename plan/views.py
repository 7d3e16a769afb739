from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from home import pagecache
from plan.opendata import kpi_csv_lines, kpi_records


@require_GET
def kpis_json(request: HttpRequest) -> JsonResponse:
    pagecache.add_tags(request, {"kpis"})
    response = JsonResponse(kpi_records(request), safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def kpis_csv(request: HttpRequest) -> HttpResponse:
    pagecache.add_tags(request, {"kpis"})
    body = "".join(kpi_csv_lines(kpi_records(request)))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mie-digital-plan-kpis.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
