"""Bulk entry of actuals from a CSV or XLSX file (the `import_actuals` command and the admin upload): every row
is checked first (errors in Japanese naming row and column), then all rows are written in one transaction or
none. A row equal to what is stored changes nothing, so importing the same file again adds nothing.

Columns (header row): card, kpi, fiscal_year, value, as_of, source are required; unit, note, status (for
milestone-type rows: achieved/on_track/slightly_behind/behind or 達成/順調/やや遅れ/遅れ), department.
`kpi` is the row's number on the card (1, 2 …) or its indicator text.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale

from consultations.importing import FormulaCell, ImportFileError, read_table
from plan.models import KPI, Department, InitiativePage
from progress.models import KPIActual
from progress.rules import MILESTONE_STATUSES, PLAN_FIRST_YEAR, PLAN_LAST_YEAR, RowSpec, Status

COLUMNS = ["card", "kpi", "fiscal_year", "value", "unit", "as_of", "source", "note", "status", "department"]
REQUIRED = ["card", "kpi", "fiscal_year", "value", "as_of", "source"]
COLUMN_LABELS = {
    "card": "カード",
    "kpi": "KPI",
    "fiscal_year": "年度",
    "value": "実績値",
    "unit": "単位",
    "as_of": "時点",
    "source": "出典",
    "note": "備考",
    "status": "状況",
    "department": "報告部局",
}
STATUSES = {status.value: status for status in MILESTONE_STATUSES} | {
    str(status.label): status for status in MILESTONE_STATUSES
}
STATUSES |= {
    "達成": Status.ACHIEVED,
    "順調": Status.ON_TRACK,
    "やや遅れ": Status.SLIGHTLY_BEHIND,
    "遅れ": Status.BEHIND,
}

__all__ = ["ActualsPlan", "ImportFileError", "plan_import", "save_import"]


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


@dataclass
class ActualRow:
    line: int
    kpi: KPI
    fiscal_year: int
    value: Decimal | None
    unit: str
    milestone: str
    milestone_status: str
    as_of: date
    source: str
    note: str
    department: Department
    existing: KPIActual | None = None

    def fields(self) -> dict:
        return {
            "value": self.value,
            "unit": self.unit,
            "milestone": self.milestone,
            "milestone_status": self.milestone_status,
            "as_of": self.as_of,
            "source": self.source,
            "note": self.note,
            "department_id": self.department.pk,
        }

    @property
    def unchanged(self) -> bool:
        if self.existing is None or self.existing.has_unpublished_changes:
            return False
        return all(getattr(self.existing, name) == value for name, value in self.fields().items())


@dataclass
class ActualsPlan:
    file_name: str
    rows: list[ActualRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[ActualRow]:
        return [row for row in self.rows if not row.unchanged]


def plan_import(file_name: str, data: bytes, allowed_departments: set[int] | None = None) -> ActualsPlan:
    """Read and check the whole file against the plan; nothing is written. `allowed_departments` (None: all)
    are the departments the importing user reports for."""
    plan = ActualsPlan(file_name)
    table = [
        (number, row)
        for number, row in enumerate(read_table(file_name, data), start=1)
        if any(text(cell) for cell in row)
    ]
    if not table:
        raise ImportFileError(_("ファイルが空です。1行目に見出し（card, kpi, fiscal_year …）を入れてください。"))
    header = [text(cell).lower() for cell in table[0][1]]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("見出し「%(names)s」は使えません。使える見出し：%(allowed)s")
            % {"names": "」「".join(unknown), "allowed": ", ".join(COLUMNS)}
        )
    missing = [f"{name}（{COLUMN_LABELS[name]}）" for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(_("必須の列がありません：%(columns)s") % {"columns": "、".join(missing)})
    if len(table) == 1:
        raise ImportFileError(_("実績の行がありません。"))

    source_locale = Locale.get_default()
    cards = {
        card.number: card
        for card in InitiativePage.objects.filter(locale=source_locale).prefetch_related("department_links__department")
    }
    rows_by_card: dict[int, list[KPI]] = {}
    for row in KPI.objects.filter(locale=source_locale).select_related("repost_of").order_by("sort_order"):
        rows_by_card.setdefault(row.page_id, []).append(row)
    departments = {department.name: department for department in Department.objects.filter(locale=source_locale)}
    existing = {(actual.kpi_id, actual.fiscal_year): actual for actual in KPIActual.objects.all()}
    seen: dict[tuple[int, int], int] = {}

    for line, raw in table[1:]:
        cells = {name: raw[index] if index < len(raw) else None for index, name in enumerate(header) if name}
        errors: list[str] = []

        def error(column: str, message: str, errors: list[str] = errors, line: int = line) -> None:
            errors.append(
                _("%(line)d行目「%(column)s」：%(message)s")
                % {"line": line, "column": COLUMN_LABELS[column], "message": message}
            )

        for name, value in cells.items():
            if isinstance(value, FormulaCell):
                error(name, _("数式は取り込めません。値に置き換えてください。"))
        if errors:
            plan.errors += errors
            continue

        card = cards.get(text(cells.get("card")))
        kpi = None
        if card is None:
            error("card", _("カード「%(card)s」は計画にありません。") % {"card": text(cells.get("card"))})
        else:
            kpi = find_row(rows_by_card.get(card.pk, []), text(cells.get("kpi")))
            if kpi is None:
                error(
                    "kpi",
                    _("カード%(card)sにKPI「%(kpi)s」はありません（1から%(count)dの番号か、指標の文言で指定します）。")
                    % {"card": card.number, "kpi": text(cells.get("kpi")), "count": len(rows_by_card.get(card.pk, []))},
                )
        year = parse_year(text(cells.get("fiscal_year")))
        if year is None:
            error(
                "fiscal_year",
                _("年度は計画期間の%(first)d〜%(last)dの西暦で入力してください（「%(value)s」）。")
                % {"first": PLAN_FIRST_YEAR, "last": PLAN_LAST_YEAR, "value": text(cells.get("fiscal_year"))},
            )
        as_of = parse_date(cells.get("as_of"))
        if as_of is None:
            error(
                "as_of",
                _("時点を YYYY-MM-DD の日付で入力してください（「%(value)s」）。")
                % {"value": text(cells.get("as_of"))},
            )
        source = text(cells.get("source"))
        if not source:
            error("source", _("出典を入力してください。"))
        elif len(source) > 200:
            error("source", _("出典は200文字以内にしてください。"))
        unit = text(cells.get("unit"))
        value_text = text(cells.get("value"))
        value, milestone, stated = None, "", ""
        if kpi is not None:
            spec = RowSpec.of(kpi)
            if spec.is_numeric:
                value = parse_number(value_text)
                if value is None:
                    error(
                        "value",
                        _("この指標は数値で報告します（目標値：%(target)s）。「%(value)s」は数値ではありません。")
                        % {"target": kpi.target, "value": value_text},
                    )
                if unit and unit != spec.unit:
                    error("unit", _("単位は目標値と同じ「%(unit)s」にしてください。") % {"unit": spec.unit})
                unit = ""  # stored as the target's unit
            else:
                milestone = value_text
                if not milestone:
                    error("value", _("実績を文章で入力してください。"))
                stated = STATUSES.get(text(cells.get("status")), "")
                if not stated:
                    error(
                        "status",
                        _("スケジュール型の指標には、状況（達成・順調・やや遅れ・遅れ）を入力してください。"),
                    )
        department = None
        if card is not None:
            card_departments = card.departments()
            named = text(cells.get("department"))
            if named:
                department = departments.get(named)
                if department is None or department not in card_departments:
                    error("department", _("「%(name)s」はこのカードの担当部局ではありません。") % {"name": named})
                    department = None
            else:
                choices = [d for d in card_departments if allowed_departments is None or d.pk in allowed_departments]
                department = choices[0] if choices else (card_departments[0] if card_departments else None)
            if department is not None and allowed_departments is not None and department.pk not in allowed_departments:
                error("card", _("カード%(card)sは担当する部局の指標ではありません。") % {"card": card.number})
        if errors:
            plan.errors += errors
            continue
        key = (kpi.pk, year)
        if key in seen:
            plan.errors.append(
                _("%(line)d行目：カード%(card)sの同じKPIの%(year)d年度が%(first)d行目と重複しています。")
                % {"line": line, "card": card.number, "year": year, "first": seen[key]}
            )
            continue
        seen[key] = line
        plan.rows.append(
            ActualRow(
                line=line,
                kpi=kpi,
                fiscal_year=year,
                value=value,
                unit=unit,
                milestone=milestone,
                milestone_status=stated,
                as_of=as_of,
                source=source,
                note=text(cells.get("note")),
                department=department,
                existing=existing.get(key),
            )
        )
    return plan


def find_row(rows: list[KPI], wanted: str) -> KPI | None:
    """The card's row by number (1-based) or by its indicator text; a re-listed row gives its original."""
    found = None
    if wanted.isdigit() and 1 <= int(wanted) <= len(rows):
        found = rows[int(wanted) - 1]
    else:
        found = next((row for row in rows if text(row.shown.indicator) == wanted), None) if wanted else None
    if found is not None and found.repost_of_id:
        return found.repost_of
    return found


def parse_year(value: str) -> int | None:
    value = value.removesuffix("年度")
    if not value.isdigit():
        return None
    year = int(value)
    return year if PLAN_FIRST_YEAR <= year <= PLAN_LAST_YEAR else None


def parse_number(value: str) -> Decimal | None:
    cleaned = value.replace(",", "").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e11") else None


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value).replace("/", "-"))
    except ValueError:
        return None


def save_import(plan: ActualsPlan, user=None, publish: bool = True) -> list[KPIActual]:
    """Write every changed row (a revision each, in the audit log), published or left for the workflow."""
    if not plan.valid:
        raise ValueError("an import with errors is never saved")
    saved = []
    with transaction.atomic():
        for row in plan.changed:
            actual = row.existing
            if actual is None:
                actual = KPIActual(kpi=row.kpi, fiscal_year=row.fiscal_year, live=False, **row.fields())
                actual.save()
            else:
                for name, value in row.fields().items():
                    setattr(actual, name, value)
            revision = actual.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user, log_action=True)
            else:
                workflow = actual.get_workflow()
                if workflow is not None and actual.current_workflow_state is None:
                    workflow.start(actual, user)
            saved.append(actual)
    return saved
