"""How progress is judged: the plan's baseline and target read as numbers, and the status of a row from its
latest actual and the straight line between them. Plain functions of plain values, so the rule is testable
at its edges and stated once (the public page "how we judge progress" prints these same thresholds)."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

PLAN_FIRST_YEAR = 2022  # the plan runs FY2022–FY2026 (令和4〜8年度)
PLAN_LAST_YEAR = 2026

# "76.4万世帯", "3,215千件", "90.0%以上", "39% (2021調査結果)": a number, a short unit, an optional bound and an
# optional remark in brackets. "2022年度中にシステム運用開始" is a milestone, not a number (its "unit" is a sentence).
QUANTITY = re.compile(
    r"^(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s()]{0,4}?)\s*(?P<bound>以上|以下)?"
    r"\s*(?:\(.*\))?$"
)
YEAR = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class Quantity:
    number: Decimal
    unit: str


def parse_quantity(text: str) -> Quantity | None:
    """The number and unit a baseline or target states, or None where it is a text (a milestone)."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    match = QUANTITY.match(folded)
    if match is None:
        return None
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:
        return None
    return Quantity(number, match["unit"])


def label_year(label: str, default: int) -> int:
    """The year a column label names ("現状値（2022年）" → 2022)."""
    match = YEAR.search(unicodedata.normalize("NFKC", label or ""))
    return int(match[1]) if match else default


@dataclass(frozen=True)
class RowSpec:
    """What a KPI row promises: from `baseline` in `baseline_year` to `target` in `target_year`."""

    baseline: Quantity | None
    target: Quantity | None
    baseline_year: int = PLAN_FIRST_YEAR
    target_year: int = PLAN_LAST_YEAR

    @classmethod
    def of(cls, row) -> "RowSpec":
        return cls(
            baseline=parse_quantity(row.baseline),
            target=parse_quantity(row.target),
            baseline_year=label_year(row.baseline_label, PLAN_FIRST_YEAR),
            target_year=label_year(row.target_label, PLAN_LAST_YEAR),
        )

    @property
    def is_numeric(self) -> bool:
        """Both ends are numbers in the same unit: the row is judged by the straight line."""
        return self.baseline is not None and self.target is not None and self.baseline.unit == self.target.unit

    @property
    def unit(self) -> str:
        return self.target.unit if self.target else ""

    def planned(self, year: int) -> Decimal | None:
        """The straight line's value in `year` (clipped to the plan's span)."""
        if not self.is_numeric:
            return None
        span = self.target_year - self.baseline_year
        share = Decimal(1) if span <= 0 else Decimal(min(max(year - self.baseline_year, 0), span)) / Decimal(span)
        return self.baseline.number + (self.target.number - self.baseline.number) * share


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("達成")
    ON_TRACK = "on_track", _("順調")
    SLIGHTLY_BEHIND = "slightly_behind", _("やや遅れ")
    BEHIND = "behind", _("遅れ")
    NOT_REPORTED = "not_reported", _("未報告")


# A symbol beside the word, so the status never depends on colour (or on reading the colour's meaning).
SYMBOLS = {
    Status.ACHIEVED: "◎",
    Status.ON_TRACK: "○",
    Status.SLIGHTLY_BEHIND: "△",
    Status.BEHIND: "×",
    Status.NOT_REPORTED: "－",
}
# Risk first: what needs attention heads every list.
RISK_ORDER = [Status.BEHIND, Status.SLIGHTLY_BEHIND, Status.NOT_REPORTED, Status.ON_TRACK, Status.ACHIEVED]
MILESTONE_STATUSES = [Status.ACHIEVED, Status.ON_TRACK, Status.SLIGHTLY_BEHIND, Status.BEHIND]


@dataclass(frozen=True)
class Thresholds:
    """Shares of the planned progress: at least `on_track` of it is 順調, at least `slightly_behind` is やや遅れ."""

    on_track: Decimal = Decimal("0.9")
    slightly_behind: Decimal = Decimal("0.6")


def progress_share(spec: RowSpec, value: Decimal) -> Decimal | None:
    """How far along the way from baseline to target `value` is (0 at the baseline, 1 at the target)."""
    if not spec.is_numeric:
        return None
    way = spec.target.number - spec.baseline.number
    if way == 0:
        return Decimal(1) if value == spec.target.number else Decimal(0)
    return (value - spec.baseline.number) / way


def judge(spec: RowSpec, year: int | None, value: Decimal | None, stated: str, thresholds: Thresholds) -> Status:
    """The status of a row whose latest actual is `value` in `year` (`stated` for a milestone-type row).

    Numeric rows: 達成 once the target is reached; otherwise the progress made is compared with the progress the
    straight line plans for that year. Milestone rows: the status the department reports against its schedule.
    """
    if year is None:
        return Status.NOT_REPORTED
    if not spec.is_numeric or value is None:
        return Status(stated) if stated in Status.values else Status.NOT_REPORTED
    made = progress_share(spec, value)
    if made >= 1:
        return Status.ACHIEVED
    span = spec.target_year - spec.baseline_year
    planned = Decimal(1) if span <= 0 else Decimal(min(max(year - spec.baseline_year, 0), span)) / Decimal(span)
    if planned == 0:  # the baseline year itself: holding the baseline is on track
        return Status.ON_TRACK if made >= 0 else Status.BEHIND
    ratio = made / planned
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.slightly_behind:
        return Status.SLIGHTLY_BEHIND
    return Status.BEHIND
