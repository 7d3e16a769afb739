"""Comment exports: everything for staff (CSV, XLSX), and open data without personal data after the results."""

import json
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Comment, ConsultationPage
from home.csv_export import FORMULA_STARTS, csv_lines, spreadsheet_text

CHUNK = 2000


def staff_columns() -> list[tuple[str, str]]:
    return [
        ("receipt_number", _("受付番号")),
        ("submitted_at", _("受付日時")),
        ("channel", _("提出方法")),
        ("state", _("状態")),
        ("target_label", _("対象")),
        ("body", _("ご意見")),
        ("name", _("氏名・ニックネーム")),
        ("age_group", _("年代")),
        ("residence", _("お住まい")),
        ("email", _("メールアドレス")),
        ("publication", _("公表の可否")),
        ("language", _("言語")),
        ("group_size", _("同一意見数")),
        ("topic", _("論点")),
        ("moderator_note", _("担当者メモ")),
    ]


def staff_row(comment: Comment) -> list[str]:
    return [
        comment.receipt_number,
        timezone.localtime(comment.submitted_at).strftime("%Y-%m-%d %H:%M"),
        comment.get_channel_display(),
        comment.get_state_display(),
        comment.target_label,
        comment.masked_body,  # the original stays in the comment's own admin view
        comment.name,
        comment.get_age_group_display(),
        comment.get_residence_display(),
        comment.email,
        comment.get_publication_display(),
        comment.language,
        str(comment.group_size or 1),
        comment.topic.title if comment.topic else "",
        comment.moderator_note,
    ]


def staff_queryset(comments) -> Iterable[Comment]:
    return comments.with_group_size().select_related("topic").order_by("submitted_at", "pk").iterator(CHUNK)


def attachment_name(stem: str, extension: str) -> str:
    return f"{stem}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{extension}"


def staff_csv_response(comments) -> StreamingHttpResponse:
    header = [label for _key, label in staff_columns()]
    # Residents' text must not run as a formula when staff open the file.
    rows = ([spreadsheet_text(value) for value in staff_row(comment)] for comment in staff_queryset(comments))
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{attachment_name("comments", "csv")}"'
    return response


def staff_xlsx_response(comments) -> FileResponse:
    # constant_memory writes each row to disk as it goes: 100,000 comments stay within a few MB of RAM.
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    workbook = xlsxwriter.Workbook(spool, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet(_("意見一覧")[:31])
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})  # "=…" shown as text, the way Excel's ' escape does
    for column, (_key, label) in enumerate(staff_columns()):
        sheet.write_string(0, column, label, bold)
    for row_number, comment in enumerate(staff_queryset(comments), start=1):
        for column, value in enumerate(staff_row(comment)):
            sheet.write_string(row_number, column, value, quoted if value.startswith(FORMULA_STARTS) else None)
    workbook.close()
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=attachment_name("comments", "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


PUBLIC_FIELDS = ["number", "submitted_on", "target", "body", "topic", "response", "reflection"]


def public_records(consultation: ConsultationPage) -> Iterator[dict]:
    comments = (
        Comment.objects.published()
        .filter(consultation=consultation)
        .select_related("topic")
        .order_by("submitted_at", "pk")
    )
    for number, comment in enumerate(comments.iterator(CHUNK), start=1):
        topic = comment.topic
        yield {
            "number": number,
            "submitted_on": timezone.localtime(comment.submitted_at).date().isoformat(),
            "target": comment.target_label,
            "body": comment.masked_body,
            "topic": topic.title if topic else "",
            "response": topic.response if topic else "",
            "reflection": str(topic.reflection or "") if topic else "",
        }


def public_comments_response(consultation: ConsultationPage, fmt: str) -> HttpResponse:
    """Open data of the published comments and the responses: no names, e-mails, addresses or ages."""
    if fmt == "json":
        body = json.dumps(list(public_records(consultation)), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        rows = (
            [spreadsheet_text(str(record[key])) for key in PUBLIC_FIELDS] for record in public_records(consultation)
        )
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in csv_lines(PUBLIC_FIELDS, rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="consultation-comments.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
