"""Demo data for `make run`: the progress page in every locale and two fiscal years of plausible actuals for a
few KPIs, each marked as demo data (is_demo) in the admin, on the pages and in the open data."""

from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Locale

from home.models import HomePage
from plan.loader import bulk_indexing
from plan.models import KPI
from plan.translations import load_translations
from progress.models import KPIActual, ProgressPage

TITLE = "KPIの進捗状況"
INTRO = (
    "計画の取組の成果をはかるKPI（重要業績評価指標）について、各年度の実績と、目標に向けた進み具合をお知らせします。"
    "実績は担当部局が報告し、承認を経て公表しています。"
)
METHOD_INTRO = "進捗状況は、次の決まった方法で判定しています。"
SOURCE = "デモデータ（実際の数値ではありません）"

# (baseline text of the row, [(fiscal year, value or milestone, status for a milestone row)])
DEMO_ACTUALS = [
    ("3,215千件", [(2023, Decimal("3262"), ""), (2024, Decimal("3301"), "")]),
    ("65%", [(2023, Decimal("72"), ""), (2024, Decimal("78"), "")]),
    ("76.4万世帯", [(2023, Decimal("77.0"), ""), (2024, Decimal("77.3"), "")]),
    ("35.8%", [(2023, Decimal("41.2"), ""), (2024, Decimal("52.0"), "")]),
    (
        "路面標示劣化検知システム試験運用",
        [(2023, "試験運用の対象路線を拡大", "on_track"), (2024, "本運用に向けた評価を実施", "slightly_behind")],
    ),
]


class Command(BaseCommand):
    help = "Create the demo's progress page and demo actuals, unless they exist."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--japanese-only", action="store_true", help="Skip the other locales.")

    def handle(self, *args, **options) -> None:
        locale = Locale.get_default()
        home = HomePage.objects.get(locale=locale)
        with transaction.atomic(), bulk_indexing():
            page = ProgressPage.objects.child_of(home).filter(locale=locale).first()
            if page is None:
                page = ProgressPage(title=TITLE, slug="progress", intro=INTRO, method_intro=METHOD_INTRO)
                home.add_child(instance=page)
                page.save_revision(log_action=True).publish()
                if not options["japanese_only"]:
                    load_translations([ProgressPage.objects.get(pk=page.pk)])
            created = 0
            for baseline, years in DEMO_ACTUALS:
                row = (
                    KPI.objects.filter(locale=locale, baseline=baseline, repost_of__isnull=True)
                    .select_related("page")
                    .first()
                )
                if row is None:
                    continue
                department = row.page.departments()[0]
                for year, value, status in years:
                    if KPIActual.objects.filter(kpi=row, fiscal_year=year).exists():
                        continue
                    numeric = isinstance(value, Decimal)
                    actual = KPIActual(
                        kpi=row,
                        fiscal_year=year,
                        value=value if numeric else None,
                        milestone="" if numeric else value,
                        milestone_status=status,
                        as_of=date(year + 1, 3, 31),
                        source=SOURCE,
                        department=department,
                        is_demo=True,
                        live=False,
                    )
                    actual.save()
                    actual.save_revision(log_action=True).publish(log_action=True)
                    created += 1
        self.stdout.write(self.style.SUCCESS(f"Progress page at {page.url}; {created} demo actual(s) created."))
