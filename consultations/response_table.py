"""The table 意見の概要と県の考え方 (summary of the comments and the prefecture's response): one row per 論点,
on the public results page (printable, A4 landscape) and as CSV, XLSX and JSON open data.

No personal data: the 意見の概要 is written from residents' comments, so it is masked and its citations of
receipt numbers (〔K7Q2-M4TX、…〕) are dropped; 県の考え方 is the prefecture's own text. Every spreadsheet cell
that starts like a formula is escaped.
"""

import io
import json
import re
from dataclasses import dataclass, field

import xlsxwriter
from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext as _

from consultations import results
from consultations.masking import mask_personal_data
from consultations.models import ConsultationPage, ProposedTopic
from consultations.targets import page_label
from home.csv_export import FORMULA_STARTS, csv_lines, spreadsheet_text

CITATION_RE = re.compile(r"\s*〔[0-9A-Z\-、,\s]+〕")


@dataclass(frozen=True)
class ResponseRow:
    number: int
    target: str
    summary: str
    comments: int
    response: str
    reflection: str
    page_id: int | None = field(default=None, compare=False)  # for the page's link to the card's changes
    # The summary's cited sentences, each linked on the page to the published comments it stands on.
    sentences: tuple["Sentence", ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Sentence:
    pk: int
    text: str
    published: int  # how many of the cited comments are published


FIELDS = ["number", "target", "summary", "comments", "response", "reflection"]


def headers() -> list[str]:
    return [_("番号"), _("該当箇所"), _("意見の概要"), _("件数"), _("県の考え方"), _("反映状況")]


def public_summary(summary: str) -> str:
    """The summary as the public reads it: masked, without the receipt numbers it cites."""
    return mask_personal_data(CITATION_RE.sub("", summary)).strip()


def response_rows(consultation: ConsultationPage) -> list[ResponseRow]:
    """The 論点 of the consultation in their order, numbered from 1."""
    rows = []
    for number, topic in enumerate(results.topics(consultation).select_related("reflection"), start=1):
        sentences = tuple(Sentence(s.pk, public_summary(s.text), s.published) for s in topic.sentences.all())
        rows.append(
            ResponseRow(
                number=number,
                target=page_label(topic.target_page.specific) if topic.target_page else _("計画全体"),
                summary="\n".join(s.text for s in sentences) if sentences else public_summary(topic.summary),
                comments=topic.comment_count,
                response=topic.response,
                reflection=str(topic.reflection or ""),
                page_id=topic.target_page_id,
                sentences=sentences,
            )
        )
    return rows


def draft_rows(consultation: ConsultationPage) -> list[ResponseRow]:
    """The same table from the analysis's proposed topics, before (or whether or not) staff accepted them."""
    proposed = (
        ProposedTopic.objects.filter(consultation=consultation)
        .select_related("accepted_as__reflection")
        .prefetch_related("sentences")
        .annotate(members=Count("placements"))
        .order_by("pk")
    )
    rows = []
    for number, topic in enumerate(proposed, start=1):
        accepted = topic.accepted_as
        sentences = [public_summary(sentence.text) for sentence in topic.sentences.all()]
        rows.append(
            ResponseRow(
                number=number,
                target="、".join(topic.targets[:3]) or _("計画全体"),
                summary="\n".join(sentences),
                comments=topic.members,
                response=accepted.response if accepted else "",
                reflection=str(accepted.reflection or "") if accepted else "",
            )
        )
    return rows


def _cells(row: ResponseRow) -> list[str]:
    return [str(row.number), row.target, row.summary, str(row.comments), row.response, row.reflection]


def table_csv(rows: list[ResponseRow]) -> bytes:
    escaped = ([spreadsheet_text(cell) for cell in _cells(row)] for row in rows)
    return "".join(csv_lines(headers(), escaped)).encode("utf-8")


# Column widths in characters: the long texts wrap in wide columns, the rest stay narrow.
XLSX_WIDTHS = [6, 24, 60, 8, 60, 14]


def table_xlsx(rows: list[ResponseRow]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(_("意見の概要と県の考え方")[:31])
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#DDEBF7"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
    # quote_prefix: the spreadsheet shows "=…" as the text it is, never as a formula (Excel's own ' escape).
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1, "quote_prefix": True})
    for column, (title, width) in enumerate(zip(headers(), XLSX_WIDTHS, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, title, header)
    for line, row in enumerate(rows, start=1):
        sheet.write_number(line, 0, row.number, wrapped)
        for column, value in ((1, row.target), (2, row.summary), (4, row.response), (5, row.reflection)):
            sheet.write_string(line, column, value, quoted if value.startswith(FORMULA_STARTS) else wrapped)
        sheet.write_number(line, 3, row.comments, wrapped)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return buffer.getvalue()


def table_json(consultation: ConsultationPage, rows: list[ResponseRow]) -> bytes:
    document = {
        "consultation": consultation.title,
        "columns": dict(zip(FIELDS, headers(), strict=True)),
        "rows": [{key: getattr(row, key) for key in FIELDS} for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def render(consultation: ConsultationPage, fmt: str, rows: list[ResponseRow] | None = None) -> bytes:
    rows = response_rows(consultation) if rows is None else rows
    if fmt == "csv":
        return table_csv(rows)
    if fmt == "xlsx":
        return table_xlsx(rows)
    return table_json(consultation, rows)


def table_response(consultation: ConsultationPage, fmt: str) -> HttpResponse:
    response = HttpResponse(render(consultation, fmt), content_type=CONTENT_TYPES[fmt])
    if fmt != "json":
        response["Content-Disposition"] = f'attachment; filename="responses.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
