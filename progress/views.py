"""The progress page's routes (thin: the services compute, the templates show) and the open data files."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from mieplan_site import pagecache
from progress import opendata, services
from progress.cachetags import PROGRESS
from progress.charts import build_chart
from progress.rules import PLAN_FIRST_YEAR, PLAN_LAST_YEAR, RISK_ORDER, SYMBOLS, Status


def _filters(request: HttpRequest, rows: list[services.OverviewRow]) -> tuple[dict, list[services.OverviewRow]]:
    """The overview's filters (area, direction, department, status) as chosen, and the rows they keep."""
    chosen = {name: request.GET.get(name, "") for name in ("area", "direction", "department", "status")}
    kept = rows
    if chosen["area"]:
        kept = [item for item in kept if item.area and str(item.area.number) == chosen["area"]]
    if chosen["direction"]:
        kept = [item for item in kept if item.direction and item.direction.number == chosen["direction"]]
    if chosen["department"]:
        kept = [item for item in kept if any(str(d.translation_key) == chosen["department"] for d in item.departments)]
    if chosen["status"]:
        kept = [item for item in kept if item.status == chosen["status"]]
    return chosen, kept


def overview(request: HttpRequest, page) -> TemplateResponse:
    thresholds = services.thresholds_for(request)
    rows = services.overview_rows(page.locale_id, thresholds)
    chosen, kept = _filters(request, rows)
    areas = {item.area.pk: item.area for item in rows if item.area}
    directions = {item.direction.pk: item.direction for item in rows if item.direction}
    departments = {d.translation_key: d for item in rows for d in item.departments}
    context = {
        "rows": services.risk_sorted(kept),
        "all_count": len(rows),
        "counts": services.counts_by_area(rows),
        "statuses": [(status, SYMBOLS[status]) for status in RISK_ORDER],
        "areas": sorted(areas.values(), key=lambda area: area.path),
        "directions": sorted(directions.values(), key=lambda direction: direction.path),
        "departments": list(departments.values()),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "years": services.reported_years(rows),
        "has_demo": any(item.progress.is_demo for item in rows),
    }
    return page.render(request, template="progress/overview.html", context_overrides=context)


def method(request: HttpRequest, page) -> TemplateResponse:
    thresholds = services.thresholds_for(request)
    context = {
        "thresholds": thresholds,
        "on_track_percent": int(thresholds.on_track * 100),
        "slightly_behind_percent": int(thresholds.slightly_behind * 100),
        "statuses": [(status, SYMBOLS[status]) for status in RISK_ORDER],
        "first_year": PLAN_FIRST_YEAR,
        "last_year": PLAN_LAST_YEAR,
    }
    return page.render(request, template="progress/method.html", context_overrides=context)


def report(request: HttpRequest, page, year: int) -> TemplateResponse:
    thresholds = services.thresholds_for(request)
    rows = services.overview_rows(page.locale_id, thresholds)
    report_rows = services.report_rows(rows, year)
    services.attach_comments(report_rows)
    reported = [row for row in report_rows if row.actual is not None]
    by_area = services.counts_by_area(rows)
    for entry in by_area:  # the area summary counts each row's status as of this year
        statuses = [row.status for row in report_rows if row.item.area == entry["area"]]
        entry["counts"] = [(status, statuses.count(status)) for status in RISK_ORDER]
    charts = {}
    for row in reported:
        chart = build_chart(row.item.progress, row.item.row.indicator)
        if chart is not None:
            charts[row.item.progress.key] = chart
    context = {
        "rows": rows,
        "report_rows": report_rows,
        "reported_count": len(reported),
        "changed": [row for row in report_rows if row.changed and row.actual is not None],
        "counts": by_area,
        "statuses": [(status, SYMBOLS[status]) for status in RISK_ORDER],
        "year": year,
        "previous_year": year - 1,
        "years": services.reported_years(rows),
        "has_demo": any(row.actual is not None and row.actual.is_demo for row in report_rows),
        "Status": Status,
    }
    return page.render(request, template="progress/report.html", context_overrides=context)


# --- open data: no language prefix, the Japanese rows (like /opendata/kpis.*) ------------------------------


def _open(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    pagecache.add_tags(request, {PROGRESS()})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _records(request: HttpRequest) -> list[dict]:
    return opendata.progress_records(request, Locale.get_default(), request.GET.get("kpi", ""))


@require_GET
def progress_csv(request: HttpRequest) -> HttpResponse:
    body = "".join(opendata.progress_csv_lines(_records(request)))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mie-digital-plan-progress.csv"'
    return _open(response, request)


@require_GET
def progress_json(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(_records(request), safe=False, json_dumps_params={"ensure_ascii": False})
    return _open(response, request)


@require_GET
def progress_schema(request: HttpRequest) -> HttpResponse:
    body = json.dumps(opendata.schema(), ensure_ascii=False, indent=2)
    return _open(HttpResponse(body, content_type="application/schema+json; charset=utf-8"), request)


@require_GET
def progress_history_csv(request: HttpRequest) -> HttpResponse:
    body = "".join(opendata.history_csv_lines(opendata.history_records()))
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mie-digital-plan-progress-history.csv"'
    return _open(response, request)
