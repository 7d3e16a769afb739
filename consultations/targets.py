"""What a comment can be about: a page of the plan, or one part or item of it.

A target is (page, part, item). Items are StreamField block ids (list items) or a KPI row's translation_key,
so a target survives edits of other items and is the same across translations.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from consultations.choices import TargetPart
from home.ids import parse_id
from home.templatetags.site_tags import quoted
from plan.models import AreaPage, ChapterPage, InitiativePage, PlanPage

CARD_PARTS = {
    TargetPart.WHOLE,
    TargetPart.GOAL,
    TargetPart.ISSUES,
    TargetPart.OVERVIEW,
    TargetPart.MEASURE,
    TargetPart.KPI,
}
AREA_PARTS = {TargetPart.WHOLE, TargetPart.GOAL, TargetPart.POLICY, TargetPart.OVERVIEW}
COMMENTABLE_TYPES = (InitiativePage, AreaPage, ChapterPage, PlanPage)


class InvalidTarget(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    page: Page | None
    part: str = TargetPart.WHOLE
    item: str = ""
    label: str = ""

    def query_in(self, locale: Locale) -> str:
        """The comment form's query string for this target on the page's version in `locale`."""
        if self.page is None:
            return ""
        page = self.page.get_translation_or_none(locale) or self.page
        params = {"page": page.pk, "part": self.part, "item": self.item}
        return "?" + urlencode({key: value for key, value in params.items() if value})


def page_label(page: Page) -> str:
    number = getattr(page, "number", "")
    return f"{number} {page.title}".strip() if number and not isinstance(page, ChapterPage) else page.title


def commentable_page(pk: int) -> Page | None:
    """The live commentable page with this id. Cards, where nearly every comment goes, in one query."""
    card = InitiativePage.objects.filter(pk=pk, live=True).first()
    if card is not None:
        return card
    found = Page.objects.filter(pk=pk, live=True).select_related("content_type").first()
    if found is None or not issubclass(found.content_type.model_class(), COMMENTABLE_TYPES):
        return None
    return found.specific


def resolve_target(page_id: str, part: str, item: str) -> Target:
    """Check a target sent by a browser against the live plan; raise InvalidTarget with a reader's message.

    Only plan page types are commentable, and the strict page tree keeps those under the plan page.
    """
    if not page_id:
        return Target(page=None, label=_("計画全体"))
    not_found = InvalidTarget(_("意見の対象が見つかりません。ページが移動したか、削除された可能性があります。"))
    pk = parse_id(page_id)
    page = commentable_page(pk) if pk is not None else None
    if page is None:
        raise not_found
    part = part or TargetPart.WHOLE
    allowed = (
        CARD_PARTS
        if isinstance(page, InitiativePage)
        else AREA_PARTS
        if isinstance(page, AreaPage)
        else {TargetPart.WHOLE}
    )
    if part not in allowed:
        raise not_found
    base = page_label(page)
    part_label = TargetPart(part).label
    if part == TargetPart.MEASURE:
        block = next((b for b in page.measures if b.id == item), None)
        if block is None:
            raise not_found
        return Target(page, part, item, f"{base} {part_label}{quoted(block.value)}")
    if part == TargetPart.KPI:
        row = next((r for r in page.kpis.select_related("repost_of") if str(r.translation_key) == item), None)
        if row is None:
            raise not_found
        return Target(page, part, item, f"{base} {part_label}{quoted(row.shown.indicator)}")
    if item:
        raise not_found
    if part == TargetPart.WHOLE:
        return Target(page, part, "", base)
    return Target(page, part, "", f"{base} {part_label}")


def intake_pages() -> list[tuple[int, str]]:
    """The Japanese plan pages a typed-up comment can be about, in the plan's order, with card numbers."""
    pages = Page.objects.live().filter(locale__language_code="ja").type(*COMMENTABLE_TYPES).specific().order_by("path")
    return [(page.pk, page_label(page)) for page in pages]


def target_items(page: Page) -> dict[str, list[tuple[str, str]]]:
    """The parts of `page` a comment may name, and for a card its KPI rows and measure items (id, text)."""
    if isinstance(page, InitiativePage):
        parts = CARD_PARTS
        items = {
            TargetPart.KPI: [(str(row.translation_key), row.shown.indicator) for row in page.kpi_rows()],
            TargetPart.MEASURE: [(block.id, str(block.value)) for block in page.measures],
        }
    else:
        parts = AREA_PARTS if isinstance(page, AreaPage) else {TargetPart.WHOLE}
        items = {}
    ordered = [(value, str(label)) for value, label in TargetPart.choices if value in parts]
    return {"parts": ordered, **{str(part): rows for part, rows in items.items()}}
