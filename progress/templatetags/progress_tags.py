"""Progress on the card page: `{% kpi_progress kpi_rows as progress %}` once, then `progress|of_row:row`."""

import unicodedata

from django import template
from django.utils.translation import gettext as _

from mieplan_site import pagecache
from progress import services
from progress.cachetags import PROGRESS
from progress.charts import build_chart

register = template.Library()


@register.simple_tag(takes_context=True)
def kpi_progress(context, rows) -> dict:
    """Every row's progress (one query for all rows and years); the page is purged when actuals change."""
    request = context.get("request")
    if request is not None:
        pagecache.add_tags(request, {PROGRESS()})
    return services.progress_of_rows(list(rows), services.thresholds_for(request))


@register.filter
def of_row(progress: dict, row):
    return progress.get(services.shown_key(row)) if progress else None


@register.simple_tag
def kpi_chart(progress, indicator: str):
    return build_chart(progress, indicator) if progress is not None else None


def _folded(label: str) -> str:
    return unicodedata.normalize("NFKC", label or "").replace(" ", "")


@register.simple_tag
def kpi_headers(rows) -> dict:
    """The table's column headings from the rows' own labels; `per_row` when the rows disagree (each cell then
    names its label)."""
    shown = [row.shown for row in rows]
    baselines = {_folded(row.baseline_label) for row in shown if row.baseline_label}
    targets = {_folded(row.target_label) for row in shown if row.target_label}
    first = next((row for row in shown if row.baseline_label or row.target_label), None)
    uniform = len(baselines) <= 1 and len(targets) <= 1 and first is not None
    return {
        "baseline": first.baseline_label if uniform and first.baseline_label else _("現状値"),
        "target": first.target_label if uniform and first.target_label else _("目標値又は実施スケジュール"),
        "per_row": not uniform,
    }


@register.simple_tag(takes_context=True)
def progress_page_url(context) -> str:
    page = context.get("page")
    locale_id = getattr(page, "locale_id", None)
    return services.progress_page_url(locale_id, context.get("request")) if locale_id else ""
