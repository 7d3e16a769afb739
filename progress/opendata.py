"""Progress as open data (総務省「機械判読可能なデータの表記方法の統一ルール」に沿って): one record per KPI row and
fiscal year, one value per cell, Western fiscal years, numbers without units (the unit in its own column), no
merged cells; CSV in UTF-8 with a BOM, JSON with a schema; the history of what was published when."""

from collections.abc import Iterator
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Locale

from home.csv_export import csv_lines, spreadsheet_text
from home.origin import public_url
from progress.models import KPIActual, PublishedFigure
from progress.rules import RowSpec, Status, judge
from progress.services import thresholds_for

FIELDS = [
    ("card_number", "string", "取組カードの番号（例：1-2-1）"),
    ("kpi_id", "string", "KPIの行の識別子（UUID。改定後も変わりません）"),
    ("indicator", "string", "取組内容/目標項目"),
    ("fiscal_year", "integer", "実績の年度（西暦。2023は2023年度）"),
    ("value", "number|null", "実績値（数値。単位は unit 列）。文章で報告する指標では空"),
    ("unit", "string", "実績値の単位"),
    ("milestone", "string", "文章で報告する指標の実績（到達点）"),
    ("as_of", "string", "実績の時点（YYYY-MM-DD）"),
    ("source", "string", "出典"),
    ("note", "string", "備考"),
    ("department", "string", "報告した担当部局"),
    ("baseline", "number|null", "現状値（計画の記載から読み取った数値）"),
    ("baseline_year", "integer", "現状値の年度（西暦）"),
    ("target", "number|null", "目標値（計画の記載から読み取った数値）"),
    ("target_year", "integer", "目標値の年度（西暦）"),
    ("planned", "number|null", "現状値から目標値への直線によるその年度の計画値"),
    (
        "status",
        "string",
        "その年度時点の進捗状況：achieved（達成）, on_track（順調）, slightly_behind（やや遅れ）, behind（遅れ）",
    ),
    ("is_demo", "boolean", "デモデータであれば true"),
    ("url", "string", "取組カードのページのURL"),
]
FIELD_NAMES = [name for name, _type, _description in FIELDS]
HISTORY_FIELDS = [
    "published_at",
    "action",
    "card_number",
    "kpi_id",
    "fiscal_year",
    "value",
    "unit",
    "milestone",
    "as_of",
    "source",
]


def number(value):
    """A Decimal as a JSON number: an int when whole, else a float of the stored digits."""
    if value is None:
        return None
    normalized = value.normalize()
    return int(normalized) if normalized == normalized.to_integral_value() else float(normalized)


def progress_records(request: HttpRequest, locale: Locale, kpi: str = "") -> list[dict]:
    thresholds = thresholds_for(request)
    actuals = (
        KPIActual.objects.filter(live=True, kpi__locale=locale)
        .select_related("kpi__page", "department")
        .order_by("kpi__page__path", "kpi__sort_order", "fiscal_year")
    )
    if kpi:
        try:
            actuals = actuals.filter(kpi__translation_key=UUID(kpi))
        except ValueError:
            return []
    records = []
    for actual in actuals:
        spec = RowSpec.of(actual.kpi)
        status = judge(spec, actual.fiscal_year, actual.value, actual.milestone_status, thresholds)
        records.append(
            {
                "card_number": actual.kpi.page.number,
                "kpi_id": str(actual.kpi.translation_key),
                "indicator": actual.kpi.indicator,
                "fiscal_year": actual.fiscal_year,
                "value": number(actual.value),
                "unit": actual.shown_unit if actual.value is not None else "",
                "milestone": actual.milestone,
                "as_of": actual.as_of.isoformat(),
                "source": actual.source,
                "note": actual.note,
                "department": actual.department.name,
                "baseline": number(spec.baseline.number) if spec.is_numeric else None,
                "baseline_year": spec.baseline_year,
                "target": number(spec.target.number) if spec.is_numeric else None,
                "target_year": spec.target_year,
                "planned": number(spec.planned(actual.fiscal_year)),
                "status": status.value if status != Status.NOT_REPORTED else "",
                "is_demo": actual.is_demo,
                "url": public_url(actual.kpi.page.get_url(request)),
            }
        )
    return records


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_text(str(value)) if isinstance(value, str) else str(value)


def progress_csv_lines(records: list[dict]) -> Iterator[str]:
    return csv_lines(FIELD_NAMES, ([_cell(record[name]) for name in FIELD_NAMES] for record in records))


def schema() -> dict:
    """A JSON Schema of /opendata/progress.json, with what each field means (also the CSV's columns)."""
    types = {"string": "string", "integer": "integer", "number|null": ["number", "null"], "boolean": "boolean"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "みえのデジタル社会の形成に向けた戦略推進計画 KPIの実績（年度別）",
        "description": (
            "1件が1つのKPIの1年度の実績です。CSV版（/opendata/progress.csv）は同じ列を同じ順で持ちます"
            "（UTF-8、BOM付き）。?kpi=<kpi_id> で1つの指標に絞れます。公表の履歴は /opendata/progress-history.csv。"
        ),
        "type": "array",
        "items": {
            "type": "object",
            "required": FIELD_NAMES,
            "additionalProperties": False,
            "properties": {
                name: {"type": types[kind], "description": description} for name, kind, description in FIELDS
            },
        },
    }


def history_records() -> list[dict]:
    figures = PublishedFigure.objects.filter(kpi__locale=Locale.get_default()).select_related("kpi__page")
    tokyo = timezone.get_default_timezone()
    return [
        {
            "published_at": timezone.localtime(figure.published_at, tokyo).isoformat(timespec="seconds"),
            "action": "withdrawn" if figure.withdrawn else "published",
            "card_number": figure.kpi.page.number,
            "kpi_id": str(figure.kpi.translation_key),
            "fiscal_year": figure.fiscal_year,
            "value": number(figure.value),
            "unit": figure.unit,
            "milestone": figure.milestone,
            "as_of": figure.as_of.isoformat() if figure.as_of else "",
            "source": figure.source,
        }
        for figure in figures
    ]


def history_csv_lines(records: list[dict]) -> Iterator[str]:
    return csv_lines(HISTORY_FIELDS, ([_cell(record[name]) for name in HISTORY_FIELDS] for record in records))
