"""Builders for the pages, cards, KPI rows and comments a unit test needs, on an empty migrated database.

Each builder takes the few values a test cares about and fills the rest with plausible Japanese text; pages are
published (a revision, as an editor's publish makes). `small_plan()` builds the little plan most unit tests
read: home → plan → three areas (暮らしのDX, しごとのDX, 行政のDX) with one direction and one card each, and the
open consultation. Tests that need the real document, its 41 cards or its translations use the whole plan
instead (tests/conftest.py).
"""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from consultations.models import Comment, ConsultationPage
from home.models import HomePage
from plan.models import KPI, AreaPage, CardDepartment, Department, DirectionPage, InitiativePage, PlanPage

_sequence = itertools.count(1)


def publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page(**values) -> HomePage:
    """The Japanese home page as the site's root (Wagtail's placeholder welcome page goes)."""
    root = Page.get_first_root_node()
    for welcome in Page.objects.child_of(root).filter(slug="home", content_type__model="page"):
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
    values = {
        "title": "みえのデジタル社会の形成に向けた戦略推進計画（仮称）",
        "slug": "home",
        "plan_status": "中間案",
        "philosophy": "誰一人取り残さない、あったかいDX",
        "vision": "デジタルの恩恵を誰もが実感できる三重県",
        **values,
    }
    home = publish(root, HomePage(locale=Locale.get_default(), **values))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def plan_page(home: HomePage, **values) -> PlanPage:
    values = {"title": "計画", "slug": "plan", "contact_department": "三重県デジタル推進局", **values}
    return publish(home, PlanPage(locale=home.locale, **values))


def area_page(plan: PlanPage, number: int, slug: str, title: str, **values) -> AreaPage:
    values = {"goal": f"{title}のめざす姿", "policy": f"{title}の基本方針", **values}
    return publish(plan, AreaPage(locale=plan.locale, number=number, slug=slug, title=title, **values))


def direction_page(area: AreaPage, number: str, **values) -> DirectionPage:
    values = {"title": f"取組の方向{number}", "summary": "主な内容", **values}
    return publish(area, DirectionPage(locale=area.locale, number=number, slug=number, **values))


def department(name: str = "デジタル推進局") -> Department:
    return Department.objects.get_or_create(name=name, locale=Locale.get_default())[0]


def items(*texts: str) -> list[dict]:
    return [{"type": "item", "value": text} for text in texts]


def card(direction: DirectionPage, number: str, title: str = "", kpis: int = 1, **values) -> InitiativePage:
    """A card with every section filled, `kpis` KPI rows and one department."""
    values = {
        "title": title or f"取組{number}",
        "goal": [{"type": "paragraph", "value": {"label": "", "text": f"{number}のめざす姿"}}],
        "issues": items(f"{number}の現状と課題"),
        "overview": items(f"{number}の取組概要"),
        "measures": items(f"{number}の具体的な取組その一", f"{number}の具体的な取組その二"),
        **values,
    }
    page = InitiativePage(locale=direction.locale, number=number, slug=number, **values)
    page.department_links = [CardDepartment(department=department(), sort_order=0)]
    page.kpis = [kpi_row(number, index) for index in range(kpis)]
    return publish(direction, page)


def kpi_row(card_number: str, index: int = 0, **values) -> KPI:
    values = {
        "indicator": f"{card_number}の目標項目{index + 1}",
        "baseline_label": "現状値（2022年）",
        "baseline": f"{10 + index}件",
        "target_label": "目標値（2026年）",
        "target": f"{20 + index}件",
        "sort_order": index,
        **values,
    }
    return KPI(locale=Locale.get_default(), **values)


def consultation_page(home: HomePage, document: PlanPage | None = None, open_now: bool = True, **values):
    now = timezone.now()
    opens, closes = (now - timedelta(days=1), now + timedelta(days=30))
    if not open_now:
        opens, closes = (now - timedelta(days=40), now - timedelta(days=1))
    values = {
        "title": "中間案に対する意見募集",
        "slug": "consultation",
        "document": document,
        "opens_at": opens,
        "closes_at": closes,
        "summary": "<p>中間案へのご意見を募集します。</p>",
        "privacy_notice": "<p>ご意見は計画の策定にのみ利用します。</p>",
        **values,
    }
    return publish(home, ConsultationPage(locale=home.locale, **values))


def comment(consultation: ConsultationPage, page: Page, **values) -> Comment:
    number = next(_sequence)
    values = {
        "target_label": getattr(page, "title", ""),
        "body": f"意見その{number}です。",
        "name": f"県民{number}",
        "email": f"resident{number}@example.jp",
        "age_group": "40s",
        "residence": "tsu",
        "publication": "name",
        "client_key": f"client-{number}",
        **values,
    }
    return Comment.objects.create(consultation=consultation, target_page=page, **values)


@dataclass
class SmallPlan:
    home: HomePage
    plan: PlanPage
    consultation: ConsultationPage
    areas: dict[str, AreaPage] = field(default_factory=dict)
    cards: dict[str, InitiativePage] = field(default_factory=dict)


AREAS = [(1, "kurashi", "暮らしのDX", "1-1"), (2, "shigoto", "しごとのDX", "2-1"), (3, "gyosei", "行政のDX", "3-1")]
CARD_TITLES = {"1-1": "防災情報の発信", "2-1": "中小企業のDX支援", "3-1": "行政手続のデジタル化"}


def small_plan() -> SmallPlan:
    """The small plan as stored (tests/conftest.py builds it once per worker with build_small_plan)."""
    home = HomePage.objects.get(locale=Locale.get_default())
    areas = {area.slug: area for area in AreaPage.objects.filter(locale=home.locale).order_by("path")}
    return SmallPlan(
        home=home,
        plan=PlanPage.objects.get(locale=home.locale),
        consultation=ConsultationPage.objects.get(locale=home.locale),
        areas=areas,
        cards={page.number: page for page in InitiativePage.objects.filter(locale=home.locale).order_by("path")},
    )


def build_small_plan() -> SmallPlan:
    home = home_page()
    plan = plan_page(home)
    built = SmallPlan(home=home, plan=plan, consultation=consultation_page(home, document=plan))
    for number, slug, title, card_number in AREAS:
        area = built.areas[slug] = area_page(plan, number, slug, title)
        direction = direction_page(area, card_number)
        built.cards[card_number] = card(direction, card_number, CARD_TITLES[card_number], kpis=number)
    return built
