"""Comments that came by post, FAX, e-mail or at the counter, typed up in a CSV or XLSX file, into the same
moderation queue as the web's: read and check every row first (errors in Japanese naming row and column), then
write all rows in one transaction or none. A row whose id was imported before is skipped, so importing the same
file again adds nothing.

Columns (header row, English or Japanese): id/番号 and body/意見 are required; card/カード (a card number such as
2-4-2, or an area number; empty: the whole plan), part/部分 (goal, current, summary, measure, kpi, whole),
item/項目 (1-based KPI row or measure item), channel/提出方法, name/氏名, received_at/受付日, publication/公表.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from consultations.analysis.text import detect_language
from consultations.choices import Channel, Publication, TargetPart
from consultations.models import Comment, CommentStateChange, ConsultationPage
from consultations.models.comments import fingerprint
from consultations.targets import InvalidTarget, Target, resolve_target
from home.text import has_control_characters, has_undecodable_bytes
from plan.models import AreaPage, InitiativePage

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
BODY_MAX_LENGTH = 20_000  # a typed-up letter may be longer than the web form's 4,000 characters
IMPORT_CHANNELS = (Channel.POST, Channel.FAX, Channel.EMAIL, Channel.COUNTER)
DEFAULT_CHANNEL = Channel.POST
DEFAULT_PUBLICATION = Publication.ANONYMOUS

# (key, English header, Japanese header: also the column's name in messages)
COLUMNS = [
    ("id", "id", "番号"),
    ("card", "card", "カード"),
    ("part", "part", "部分"),
    ("item", "item", "項目"),
    ("body", "body", "意見"),
    ("channel", "channel", "提出方法"),
    ("name", "name", "氏名"),
    ("received_at", "received_at", "受付日"),
    ("publication", "publication", "公表"),
]
REQUIRED = ("id", "body")
HEADER_KEYS = {header: key for key, english, japanese in COLUMNS for header in (english, japanese)}
COLUMN_LABELS = {key: japanese for key, _english, japanese in COLUMNS}

# Contract part names (and the labels staff read on the card) → the stored part.
PARTS = {
    "whole": TargetPart.WHOLE,
    "goal": TargetPart.GOAL,
    "current": TargetPart.ISSUES,
    "summary": TargetPart.OVERVIEW,
    "measure": TargetPart.MEASURE,
    "kpi": TargetPart.KPI,
    "policy": TargetPart.POLICY,
    "全体": TargetPart.WHOLE,
    "ページ全体": TargetPart.WHOLE,
    "めざす姿": TargetPart.GOAL,
    "現状と課題": TargetPart.ISSUES,
    "取組概要": TargetPart.OVERVIEW,
    "具体的な取組": TargetPart.MEASURE,
    "基本方針": TargetPart.POLICY,
}
CHANNELS = {
    **{channel.value: channel for channel in IMPORT_CHANNELS},
    "郵送": Channel.POST,
    "fax": Channel.FAX,
    "ファクス": Channel.FAX,
    "ファックス": Channel.FAX,
    "電子メール": Channel.EMAIL,
    "メール": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "窓口": Channel.COUNTER,
}
PUBLICATIONS = {
    "name": Publication.WITH_NAME,
    "anonymous": Publication.ANONYMOUS,
    "none": Publication.NOT_PUBLISHED,
    "氏名": Publication.WITH_NAME,
    "氏名とともに公表": Publication.WITH_NAME,
    "可": Publication.ANONYMOUS,
    "匿名": Publication.ANONYMOUS,
    "氏名を伏せて公表": Publication.ANONYMOUS,
    "不可": Publication.NOT_PUBLISHED,
    "公表しない": Publication.NOT_PUBLISHED,
}
DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?"
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for staff, in Japanese."""


@dataclass
class ImportRow:
    line: int  # the row number staff see in their spreadsheet (the header is row 1)
    external_id: str
    target: Target
    body: str
    channel: str
    name: str
    received_at: datetime
    publication: str


@dataclass
class ImportPlan:
    """What an import would do: the new rows, the rows imported before, and every error found."""

    file_name: str
    rows: list[ImportRow] = field(default_factory=list)
    already_imported: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def read_table(file_name: str, data: bytes) -> list[list]:
    """The file's rows as lists of cell values (str, or dates and numbers from XLSX)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("ファイルが大きすぎます（%(size).1f MB）。%(limit)d MB以下に分けて取り込んでください。")
            % {"size": len(data) / 2**20, "limit": MAX_FILE_BYTES // 2**20}
        )
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "xlsx":
        return _read_xlsx(data)
    if extension == "csv":
        return _read_csv(data)
    raise ImportFileError(_("CSV（.csv）またはExcel（.xlsx）のファイルを選んでください。"))


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("cp932")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("ファイルの文字コードを読めません。UTF-8（BOM付きも可）のCSVで保存し直してください。")
            ) from None
        raise ImportFileError(
            _(
                "ファイルの文字コードがShift_JISのようです。UTF-8で保存し直してください"
                "（Excelでは「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選びます）。"
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("CSVファイルとして読めません（バイナリのデータが含まれています）。"))
    try:
        # "=…" in a CSV cell is a formula to the spreadsheet it was typed in: refused like an XLSX formula.
        return [
            [FormulaCell(cell) if cell.startswith("=") else cell for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""))
        ]
    except csv.Error as error:
        raise ImportFileError(_("CSVファイルとして読めません：%(error)s") % {"error": error}) from None


def _read_xlsx(data: bytes) -> list[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                if cell.data_type == "f":  # a formula: its result is not stored in the file we read
                    values.append(FormulaCell(_text(cell.value)))
                else:
                    values.append(cell.value)
            rows.append(values)
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


class FormulaCell(str):
    """A cell that holds a formula, so that the row check can name it."""


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def plan_import(
    consultation: ConsultationPage, file_name: str, data: bytes, default_channel: str = DEFAULT_CHANNEL
) -> ImportPlan:
    """Read and check the whole file against the live plan; nothing is written."""
    plan = ImportPlan(file_name=file_name)
    # Row numbers as staff see them in their spreadsheet (the header is row 1), blank rows left out.
    table = [
        (number, row)
        for number, row in enumerate(read_table(file_name, data), start=1)
        if any(_text(cell).strip() for cell in row)
    ]
    if not table:
        raise ImportFileError(_("ファイルが空です。1行目に見出し（id, body など）を入れてください。"))
    header = [_fold(_text(cell)).lower() for cell in table[0][1]]
    unknown = [name for name in header if name and name not in HEADER_KEYS]
    if unknown:
        raise ImportFileError(
            _("見出し「%(names)s」は使えません。使える見出し：%(allowed)s")
            % {"names": "」「".join(unknown), "allowed": ", ".join(HEADER_KEYS)}
        )
    keys = [HEADER_KEYS.get(name) for name in header]
    missing = [COLUMN_LABELS[key] + f"（{key}）" for key in REQUIRED if key not in keys]
    if missing:
        raise ImportFileError(_("必須の列がありません：%(columns)s") % {"columns": "、".join(missing)})
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("行が多すぎます。%(limit)d行以下に分けてください。") % {"limit": MAX_ROWS})
    if len(table) == 1:
        raise ImportFileError(_("意見の行がありません。"))

    existing = set(
        Comment.objects.filter(consultation=consultation, external_id__gt="").values_list("external_id", flat=True)
    )
    seen: dict[str, int] = {}
    checker = _RowChecker(default_channel)
    for line, raw in table[1:]:
        cells = {key: raw[index] if index < len(raw) else None for index, key in enumerate(keys) if key}
        row, errors = checker.check(line, cells)
        plan.errors += errors
        if row is None:
            continue
        if row.external_id in seen:
            plan.errors.append(
                _("%(line)d行目: 番号 %(id)s は%(first)d行目と重複しています")
                % {"line": line, "id": row.external_id, "first": seen[row.external_id]}
            )
            continue
        seen[row.external_id] = line
        (plan.already_imported if row.external_id in existing else plan.rows).append(row)
    return plan


class _RowChecker:
    def __init__(self, default_channel: str) -> None:
        self.default_channel = default_channel
        self.cards = {page.number: page for page in InitiativePage.objects.live().filter(locale__language_code="ja")}
        self.areas = {str(page.number): page for page in AreaPage.objects.live().filter(locale__language_code="ja")}
        self.now = timezone.now()

    def check(self, line: int, cells: dict) -> tuple[ImportRow | None, list[str]]:
        errors: list[str] = []

        def error(message: str) -> None:
            errors.append(_("%(line)d行目: %(message)s") % {"line": line, "message": message})

        for key, value in cells.items():
            if isinstance(value, FormulaCell):
                error(
                    _("%(column)s の欄が数式（%(formula)s）です。値として入力してください")
                    % {"column": COLUMN_LABELS[key], "formula": value[:40]}
                )
        if errors:
            return None, errors
        values = {key: _text(value).strip() for key, value in cells.items()}
        for key, value in values.items():
            if has_control_characters(value) or has_undecodable_bytes(value):
                error(_("%(column)s に使えない文字（制御文字や文字化け）があります") % {"column": COLUMN_LABELS[key]})
        external_id = _fold(values.get("id", ""))
        if not external_id:
            error(_("番号（id）が空です"))
        elif len(external_id) > 100:
            error(_("番号（id）が長すぎます（100文字まで）"))
        body = values.get("body", "").replace("\r\n", "\n")
        if not body:
            error(_("意見（body）が空です"))
        elif len(body) > BODY_MAX_LENGTH:
            error(
                _("意見（body）が長すぎます（%(length)d文字、上限%(limit)d文字）")
                % {"length": len(body), "limit": BODY_MAX_LENGTH}
            )
        target = self._target(values, error)
        channel = self._choice(values.get("channel", ""), CHANNELS, self.default_channel)
        if channel is None:
            error(_("提出方法 %(value)s は使えません（post, fax, email, counter）") % {"value": values["channel"]})
        publication = self._choice(values.get("publication", ""), PUBLICATIONS, DEFAULT_PUBLICATION)
        if publication is None:
            error(_("公表 %(value)s は使えません（name, anonymous, none）") % {"value": values["publication"]})
        name = values.get("name", "")
        if len(name) > 100:
            error(_("氏名が長すぎます（100文字まで）"))
        received_at = self._received_at(cells.get("received_at"), error)
        if errors:
            return None, errors
        return ImportRow(line, external_id, target, body, channel, name, received_at, publication), []

    @staticmethod
    def _choice(value: str, choices: dict, default: str) -> str | None:
        if not value:
            return default
        return choices.get(_fold(value).lower()) or choices.get(_fold(value))

    def _target(self, values: dict, error) -> Target | None:
        number = _fold(values.get("card", "")).replace("ー", "-").replace("−", "-")
        part_text = _fold(values.get("part", ""))
        item_text = _fold(values.get("item", ""))
        if not number:
            if (part_text and PARTS.get(part_text.lower(), PARTS.get(part_text)) != TargetPart.WHOLE) or item_text:
                error(_("カードが空のとき、部分・項目は指定できません"))
                return None
            return resolve_target("", "", "")
        page = self.cards.get(number) or self.areas.get(number)
        if page is None:
            error(_("カード番号 %(number)s はありません") % {"number": number})
            return None
        part = PARTS.get(part_text.lower(), PARTS.get(part_text)) if part_text else TargetPart.WHOLE
        if part is None:
            error(_("部分 %(part)s は使えません（goal, current, summary, measure, kpi, whole）") % {"part": part_text})
            return None
        item = ""
        if item_text:
            if not item_text.isdigit() or int(item_text) < 1:
                error(_("項目 %(item)s は1から始まる番号で指定してください") % {"item": item_text})
                return None
            item = self._item_key(page, part, int(item_text))
            if item is None:
                error(
                    _("カード %(number)s の%(part)sに%(item)s番目の項目はありません")
                    % {"number": number, "part": TargetPart(part).label, "item": item_text}
                )
                return None
        try:
            return resolve_target(str(page.pk), part, item)
        except InvalidTarget:
            error(_("カード %(number)s に部分 %(part)s はありません") % {"number": number, "part": part_text})
            return None

    @staticmethod
    def _item_key(page: Page, part: str, index: int) -> str | None:
        if part == TargetPart.KPI and isinstance(page, InitiativePage):
            rows = list(page.kpis.order_by("sort_order").values_list("translation_key", flat=True))
            return str(rows[index - 1]) if index <= len(rows) else None
        if part == TargetPart.MEASURE and isinstance(page, InitiativePage):
            blocks = list(page.measures)
            return blocks[index - 1].id if index <= len(blocks) else None
        return None

    def _received_at(self, value, error) -> datetime:
        if value is None or _text(value).strip() == "":
            return self.now
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time())
        else:
            match = DATE_RE.fullmatch(_fold(_text(value)))
            try:
                if match is None:
                    raise ValueError
                moment = datetime(
                    int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0), int(match["M"] or 0)
                )
            except ValueError:
                error(_("受付日 %(value)s を日付として読めません（例：2022-10-05）") % {"value": _text(value)[:30]})
                return self.now
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)  # the typed-up date is Japan's (TIME_ZONE Asia/Tokyo)
        if moment > self.now:
            error(_("受付日 %(value)s が未来の日付です") % {"value": _text(value)[:30]})
        return moment


def save_import(consultation: ConsultationPage, plan: ImportPlan, user=None) -> list[Comment]:
    """Write the plan's new rows in one transaction: all of them, or none if anything fails."""
    if not plan.valid:
        raise ValueError("an import plan with errors cannot be saved")
    now = timezone.now()
    comments = [
        Comment(
            consultation=consultation,
            external_id=row.external_id,
            target_page=row.target.page,
            target_part=row.target.part,
            target_item=row.target.item,
            target_label=row.target.label[:500],
            body=row.body,
            name=row.name,
            publication=row.publication,
            # Typed up as written: a letter in Portuguese stays Portuguese (moderators get its translation).
            language=language if (language := detect_language(row.body)) != "und" else "ja",
            channel=row.channel,
            submitted_at=row.received_at,
            fingerprint=fingerprint(row.body),  # bulk_create does not call save()
            moderators_notified_at=now,  # staff typed them up: nobody needs a notice
            receipt_mail_sent_at=None,
        )
        for row in plan.rows
    ]
    note = f"{_('ファイル取込')} {plan.file_name}"[:200]
    try:
        with transaction.atomic():
            created = Comment.objects.bulk_create(comments, batch_size=500)
            CommentStateChange.objects.bulk_create(
                [CommentStateChange(comment=c, to_state=c.state, changed_by=user, note=note) for c in created],
                batch_size=500,
            )
    except IntegrityError:
        # Another import of the same rows won the race: nothing of this one was written.
        raise ImportFileError(_("同じ番号の意見が同時に取り込まれました。もう一度取り込んでください。")) from None
    return created
