"""The KPI table as open data: one record per KPI row, the document's own text, no language prefix."""

from collections.abc import Iterator

from django.http import HttpRequest
from wagtail.models import Locale

from home.csv_export import csv_lines
from home.origin import public_url
from plan.models import KPI

FIELDS = ["card_number", "card_title", "departments", *KPI.VALUE_FIELDS, "url"]


def target_text(row: KPI) -> str:
    """A schedule becomes one line per step ("R3~4 実証実験…"), so the cell stays the document's text."""
    if row.target or not row.schedule_steps:
        return row.target
    return "\n".join(f"{step['period']} {step['text']}" for step in row.schedule_steps)


def kpi_records(request: HttpRequest) -> list[dict]:
    rows = (
        KPI.objects.filter(page__live=True, locale=Locale.get_default())
        .select_related("page", "repost_of")
        .prefetch_related("page__department_links__department")
        .order_by("page__path", "sort_order")
    )
    records = []
    for row in rows:
        shown = row.repost_of or row
        card = row.page
        records.append(
            {
                "card_number": card.number,
                "card_title": card.title,
                "departments": [department.name for department in card.departments()],
                **{name: getattr(shown, name) for name in KPI.VALUE_FIELDS},
                "target": target_text(shown),
                "url": public_url(card.get_url(request)),
            }
        )
    return records


def kpi_csv_lines(records: list[dict]) -> Iterator[str]:
    rows = ([";".join(value) if key == "departments" else value for key, value in record.items()] for record in records)
    return csv_lines(FIELDS, rows)
