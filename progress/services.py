"""Progress of KPI rows: what the pages show, in a fixed number of queries whatever the number of rows or years.

Actuals hang on the Japanese KPI row; a translated card finds them by the row's translation_key.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.models import Locale, Page

from consultations.choices import TargetPart
from consultations.models import Comment
from plan.models import KPI, AreaPage, CardDepartment, DirectionPage
from progress.models import KPIActual, ProgressPage, ProgressSettings, PublishedFigure
from progress.models.settings import THRESHOLDS_KEY
from progress.rules import RISK_ORDER, SYMBOLS, RowSpec, Status, Thresholds, judge


def shown_key(row: KPI) -> UUID:
    """The translation key whose actuals a row shows: the original's for a re-listed row (再掲)."""
    return row.repost_of.translation_key if row.repost_of_id else row.translation_key


@dataclass
class RowProgress:
    key: UUID
    spec: RowSpec
    actuals: list[KPIActual] = field(default_factory=list)  # published, oldest first
    thresholds: Thresholds = field(default_factory=Thresholds)

    def latest_until(self, year: int | None = None) -> KPIActual | None:
        found = [actual for actual in self.actuals if year is None or actual.fiscal_year <= year]
        return found[-1] if found else None

    def in_year(self, year: int) -> KPIActual | None:
        return next((actual for actual in self.actuals if actual.fiscal_year == year), None)

    @property
    def latest(self) -> KPIActual | None:
        return self.latest_until()

    def status_until(self, year: int | None = None) -> Status:
        actual = self.latest_until(year)
        if actual is None:
            return Status.NOT_REPORTED
        return judge(self.spec, actual.fiscal_year, actual.value, actual.milestone_status, self.thresholds)

    @property
    def status(self) -> Status:
        return self.status_until()

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    @property
    def is_demo(self) -> bool:
        return any(actual.is_demo for actual in self.actuals)

    @property
    def has_chart(self) -> bool:
        return self.spec.is_numeric and any(actual.value is not None for actual in self.actuals)


PAGE_URL_KEY = "progress:page-url:{locale_id}"
CACHE_SECONDS = 3600


def thresholds_for(request=None) -> Thresholds:
    """The administrators' thresholds, kept in the cache (every card page reads them; they seldom change)."""
    thresholds = cache.get(THRESHOLDS_KEY)
    if thresholds is None:
        thresholds = ProgressSettings.load(request_or_site=request).thresholds
        cache.set(THRESHOLDS_KEY, thresholds, CACHE_SECONDS)
    return thresholds


def progress_page_url(locale_id: int, request=None) -> str:
    """The URL of the live progress page in this locale ("" if none), kept in the cache (cards link to it)."""
    key = PAGE_URL_KEY.format(locale_id=locale_id)
    url = cache.get(key)
    if url is None:
        page = ProgressPage.objects.live().filter(locale_id=locale_id).first()
        url = page.get_url(request) if page else ""
        cache.set(key, url, CACHE_SECONDS)
    return url


def forget_page_urls(**kwargs) -> None:
    cache.delete_many([PAGE_URL_KEY.format(locale_id=pk) for pk in Locale.objects.values_list("pk", flat=True)])


def progress_of_rows(rows, thresholds: Thresholds) -> dict[UUID, RowProgress]:
    """Each row's progress by its shown translation key, in one query for all rows and years."""
    keys = {shown_key(row) for row in rows}
    found: dict[UUID, RowProgress] = {}
    for actual in KPIActual.objects.for_rows(keys).select_related("kpi"):
        entry = found.get(actual.kpi.translation_key)
        if entry is None:
            entry = found[actual.kpi.translation_key] = RowProgress(
                actual.kpi.translation_key, RowSpec.of(actual.kpi), thresholds=thresholds
            )
        entry.actuals.append(actual)
    for row in rows:
        key = shown_key(row)
        if key not in found:
            source = row.repost_of if row.repost_of_id else row
            found[key] = RowProgress(key, RowSpec.of(source), thresholds=thresholds)
    return found


@dataclass
class OverviewRow:
    row: KPI
    card: Page
    area: AreaPage | None
    direction: DirectionPage | None
    departments: list
    progress: RowProgress

    @property
    def status(self) -> Status:
        return self.progress.status


def overview_rows(locale_id: int, thresholds: Thresholds) -> list[OverviewRow]:
    """Every KPI row of the live plan in `locale` (re-listed rows once, at their original), risk first."""
    rows = list(
        KPI.objects.filter(locale_id=locale_id, page__live=True, repost_of__isnull=True)
        .select_related("page")
        .prefetch_related(
            Prefetch("page__department_links", queryset=CardDepartment.objects.select_related("department"))
        )
        .order_by("page__path", "sort_order")
    )
    areas = {page.path: page for page in AreaPage.objects.live().filter(locale_id=locale_id)}
    directions = {page.path: page for page in DirectionPage.objects.live().filter(locale_id=locale_id)}
    progress = progress_of_rows(rows, thresholds)
    result = []
    for row in rows:
        path = row.page.path
        result.append(
            OverviewRow(
                row=row,
                card=row.page,
                area=next((area for prefix, area in areas.items() if path.startswith(prefix)), None),
                direction=next((d for prefix, d in directions.items() if path.startswith(prefix)), None),
                departments=row.page.departments(),
                progress=progress[shown_key(row)],
            )
        )
    return result


def risk_sorted(rows: list[OverviewRow]) -> list[OverviewRow]:
    order = {status: index for index, status in enumerate(RISK_ORDER)}
    return sorted(rows, key=lambda item: order[item.status])  # stable: plan order within a status


def counts_by_area(rows: list[OverviewRow]) -> list[dict]:
    """Per area (in plan order): how many rows have each status, and the total."""
    counts: dict[int, Counter] = defaultdict(Counter)
    areas = {}
    for item in rows:
        if item.area is not None:
            areas[item.area.pk] = item.area
            counts[item.area.pk][item.status] += 1
    ordered = sorted(areas.values(), key=lambda area: area.path)
    return [
        {
            "area": area,
            "counts": [(status, counts[area.pk][status]) for status in RISK_ORDER],
            "total": sum(counts[area.pk].values()),
        }
        for area in ordered
    ]


def reported_years(rows: list[OverviewRow]) -> list[int]:
    """Fiscal years with at least one published actual among these rows, newest first (no query)."""
    return sorted({actual.fiscal_year for item in rows for actual in item.progress.actuals}, reverse=True)


@dataclass
class ReportRow:
    item: OverviewRow
    actual: KPIActual | None
    previous: KPIActual | None
    status: Status
    previous_status: Status
    comments: list = field(default_factory=list)
    comment_count: int = 0

    @property
    def changed(self) -> bool:
        return self.status != self.previous_status

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    @property
    def previous_symbol(self) -> str:
        return SYMBOLS[self.previous_status]

    @property
    def delta(self) -> Decimal | None:
        if self.actual is None or self.previous is None or None in (self.actual.value, self.previous.value):
            return None
        return self.actual.value - self.previous.value


def report_rows(rows: list[OverviewRow], year: int) -> list[ReportRow]:
    return [
        ReportRow(
            item=item,
            actual=item.progress.in_year(year),
            previous=item.progress.in_year(year - 1),
            status=item.progress.status_until(year),
            previous_status=item.progress.status_until(year - 1),
        )
        for item in rows
    ]


# --- publication history (open data: what was published when) -----------------------------------------------


def record_publication(sender, instance: KPIActual, **kwargs) -> None:
    PublishedFigure.objects.create(
        kpi_id=instance.kpi_id,
        fiscal_year=instance.fiscal_year,
        value=instance.value,
        unit=instance.shown_unit if instance.value is not None else "",
        milestone=instance.milestone,
        as_of=instance.as_of,
        source=instance.source,
        published_at=timezone.now(),
    )


def record_withdrawal(sender, instance: KPIActual, **kwargs) -> None:
    PublishedFigure.objects.create(
        kpi_id=instance.kpi_id, fiscal_year=instance.fiscal_year, withdrawn=True, published_at=timezone.now()
    )


def attach_comments(rows: list[ReportRow], per_row: int = 3) -> None:
    """Residents' published comments on each row (the comment form's KPI target), in one query."""
    by_key = {str(row.item.progress.key): row for row in rows}
    comments = (
        Comment.objects.published()
        .filter(target_part=TargetPart.KPI, target_item__in=list(by_key))
        .select_related("consultation")
        .order_by("submitted_at")
    )
    for comment in comments:
        row = by_key[comment.target_item]
        row.comments.append(comment)
    for row in rows:
        row.comment_count = len(row.comments)
        row.comments = row.comments[:per_row]
