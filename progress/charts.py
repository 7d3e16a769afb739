"""A KPI's progress as an SVG line chart drawn on the server: no JavaScript, no external file.

The chart is a picture of the table beside it (which holds the same figures), so its accessible name and
description say what it shows in words.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from progress.models.actuals import format_number
from progress.services import RowProgress

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 40


@dataclass
class Point:
    x: float
    y: float
    year: int
    label: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    planned: list[Point]
    actual: list[Point]
    target: Point
    year_ticks: list[Point]
    value_ticks: list[Point]
    rows: list[dict]  # the same figures, for the table beside the chart

    @property
    def planned_points(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.planned)

    @property
    def actual_points(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.actual)

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM


def build_chart(progress: RowProgress, indicator: str) -> Chart | None:
    """The chart of a numeric row with at least one numeric actual; None otherwise."""
    if not progress.has_chart:
        return None
    spec = progress.spec
    unit = spec.unit
    actuals = [actual for actual in progress.actuals if actual.value is not None]
    values = [spec.baseline.number, spec.target.number, *(actual.value for actual in actuals)]
    low, high = min(values), max(values)
    pad = (high - low) * Decimal("0.1") or (abs(high) * Decimal("0.1")) or Decimal(1)
    low, high = max(low - pad, Decimal(0)) if low >= 0 else low - pad, high + pad
    first, last = spec.baseline_year, max(spec.target_year, actuals[-1].fiscal_year)
    span = max(last - first, 1)

    def x(year: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / span

    def y(value: Decimal) -> float:
        return TOP + float((high - value) / (high - low)) * (HEIGHT - TOP - BOTTOM)

    def shown(value: Decimal) -> str:
        return f"{format_number(value)}{unit}"

    planned = [
        Point(x(year), y(spec.planned(year)), year, shown(spec.planned(year))) for year in (first, spec.target_year)
    ]
    actual = [Point(x(a.fiscal_year), y(a.value), a.fiscal_year, shown(a.value)) for a in actuals]
    target = Point(x(spec.target_year), y(spec.target.number), spec.target_year, shown(spec.target.number))
    year_ticks = [
        Point(x(year), HEIGHT - BOTTOM, year, _("%(year)d年度") % {"year": year}) for year in range(first, last + 1)
    ]
    value_ticks = [Point(LEFT, y(value), 0, shown(value)) for value in (low + (high - low) * i / 4 for i in range(5))]
    latest = actuals[-1]
    description = _(
        "現状値 %(baseline)s（%(baseline_year)d年度）から目標値 %(target)s（%(target_year)d年度）への計画の直線と、"
        "実績値の推移。最新の実績は%(year)d年度の%(latest)s（計画では%(planned)s）、進捗状況は「%(status)s」です。"
    ) % {
        "baseline": shown(spec.baseline.number),
        "baseline_year": spec.baseline_year,
        "target": shown(spec.target.number),
        "target_year": spec.target_year,
        "year": latest.fiscal_year,
        "latest": shown(latest.value),
        "planned": shown(spec.planned(latest.fiscal_year)),
        "status": progress.status.label,
    }
    by_year = {a.fiscal_year: a for a in actuals}
    rows = []
    for year in range(first, last + 1):
        actual_value = by_year.get(year)
        rows.append(
            {
                "year": year,
                "planned": shown(spec.planned(year)),
                "actual": shown(actual_value.value) if actual_value else "",
            }
        )
    return Chart(
        id=f"chart-{progress.key}",
        title=_("%(indicator)s の推移") % {"indicator": indicator},
        description=description,
        width=WIDTH,
        height=HEIGHT,
        planned=planned,
        actual=actual,
        target=target,
        year_ticks=year_ticks,
        value_ticks=value_ticks,
        rows=rows,
    )
