"""The plan as a strict page tree: PlanPage → ChapterPage | AreaPage → DirectionPage → InitiativePage."""

from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.models import BasePage, HomePage, page_tags
from home.panels import ReadabilityPanel
from home.summaries import stream_text
from home.visibility import public
from mieplan_site import pagecache
from plan.blocks import ChapterBodyBlock, FigureBlock, GoalParagraphBlock, item_stream_blocks
from plan.cachetags import DEPARTMENT, KPIS
from plan.models.department import Department
from search.fields import JapaneseSearchField, japanese_page_search_fields


class NumberedPage:
    """Chapters, directions and cards carry a number that starts their heading in every language."""

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def toc_number(self) -> str:
        return str(self.number)


class PlanPage(BasePage):
    """The plan itself: its table of contents, and the contact block (問い合わせ先)."""

    intro = models.TextField(_("はじめに"), blank=True)
    contact_department = models.CharField(_("担当課"), max_length=200)
    contact_postcode = models.CharField(_("郵便番号"), max_length=20, blank=True)
    contact_address = models.CharField(_("住所"), max_length=200, blank=True)
    contact_tel = models.CharField(_("電話"), max_length=40, blank=True)
    contact_fax = models.CharField(_("FAX"), max_length=40, blank=True)
    contact_email = models.EmailField(_("メール"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["plan.ChapterPage", "plan.AreaPage"]
    max_count_per_parent = 1
    # Numbers and addresses are the same in every language; translators never see them.
    override_translatable_fields = [
        SynchronizedField("contact_postcode"),
        SynchronizedField("contact_tel"),
        SynchronizedField("contact_fax"),
        SynchronizedField("contact_email"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("contact_department"),
                FieldPanel("contact_postcode"),
                FieldPanel("contact_address"),
                FieldPanel("contact_tel"),
                FieldPanel("contact_fax"),
                FieldPanel("contact_email"),
            ],
            heading=_("問い合わせ先"),
        ),
    ]
    search_fields = japanese_page_search_fields("intro")

    description_fields = ("intro",)

    class Meta:
        verbose_name = _("計画")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["toc"] = self.table_of_contents()
        return context

    def cache_tags(self, context: dict) -> set[str]:
        def walk(nodes: list[dict]):
            for node in nodes:
                yield node["page"]
                yield from walk(node["children"])

        return super().cache_tags(context) | page_tags(walk(context.get("toc", [])))

    def purge_tags(self) -> set[str]:
        return super().purge_tags() | {pagecache.LOCALE(self.locale_id)}  # the footer shows the plan's contact block

    def table_of_contents(self) -> list[dict]:
        """Chapters, areas, directions and cards in one query, nested for the template."""
        pages = list(public(Page.objects.live().descendant_of(self)).filter(depth__lte=self.depth + 3).specific())
        nodes = {page.path: {"page": page, "children": []} for page in pages}
        roots = []
        for page in pages:
            parent = nodes.get(page.path[: -Page.steplen])
            (parent["children"] if parent else roots).append(nodes[page.path])
        return roots


def department_links(locale_id: int) -> Prefetch:
    """A card's department links with each department's name in the locale (`.localized.name`, the name
    itself when there is no translation) in the same query, whatever the number of cards and departments."""
    translated = Department.objects.filter(
        translation_key=OuterRef("department__translation_key"), locale_id=locale_id
    ).values("name")[:1]
    links = CardDepartment.objects.select_related("department").annotate(
        localized_name=Coalesce(Subquery(translated), F("department__name"))
    )
    return Prefetch("department_links", queryset=links)


def shown_tags(pages) -> set[str]:
    """Tags for pages listed on another page (title, number, departments): cards on an area page etc."""
    tags = set()
    for page in pages:
        tags.add(pagecache.PAGE(page.pk))
        if isinstance(page, InitiativePage):
            tags |= {DEPARTMENT(department.translation_key) for department in page.departments()}
    return tags


class ChapterPage(NumberedPage, BasePage):
    """A general chapter (総論) of the plan, e.g. 1 計画改定の趣旨."""

    number = models.PositiveSmallIntegerField(_("章番号"))
    body = StreamField(ChapterBodyBlock(), blank=True, verbose_name=_("本文"))

    parent_page_types = ["plan.PlanPage"]
    subpage_types: list[str] = []
    override_translatable_fields = [SynchronizedField("number")]

    content_panels = [*Page.content_panels, FieldPanel("number"), FieldPanel("body")]
    search_fields = japanese_page_search_fields("body")

    class Meta:
        verbose_name = _("章")

    def description_text(self) -> str:
        return stream_text(self.body)


class AreaPage(BasePage):
    """One of the three areas: 暮らしのDX, しごとのDX, 行政のDX."""

    number = models.PositiveSmallIntegerField(_("分野番号"))
    goal = models.CharField(_("めざす姿"), max_length=200)
    goal_description = models.TextField(_("めざす姿（説明）"), blank=True)
    policy = models.CharField(_("基本方針"), max_length=200)
    overview = StreamField(item_stream_blocks(), blank=True, verbose_name=_("取組概要"))

    parent_page_types = ["plan.PlanPage"]
    subpage_types = ["plan.DirectionPage"]
    override_translatable_fields = [SynchronizedField("number")]

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("goal"),
        FieldPanel("goal_description"),
        FieldPanel("policy"),
        FieldPanel("overview"),
    ]
    search_fields = japanese_page_search_fields("goal", "goal_description", "policy", "overview")

    description_fields = ("goal", "goal_description", "policy")

    class Meta:
        verbose_name = _("分野")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        directions = list(public(DirectionPage.objects.live().child_of(self)))
        cards = public(InitiativePage.objects.live().descendant_of(self)).prefetch_related(
            department_links(HomePage.active_locale_id(request))
        )
        by_direction: dict[str, list[InitiativePage]] = {}
        for card in cards:
            by_direction.setdefault(card.path[: -Page.steplen], []).append(card)
        context["directions"] = [(direction, by_direction.get(direction.path, [])) for direction in directions]
        return context

    def cache_tags(self, context: dict) -> set[str]:
        shown = [page for direction, cards in context.get("directions", []) for page in (direction, *cards)]
        return super().cache_tags(context) | shown_tags(shown)


class DirectionPage(NumberedPage, BasePage):
    """A direction (取組方向) such as 1【デジタルを活用した防災対策】, grouping its cards."""

    number = models.CharField(_("番号"), max_length=10, help_text=_("例：1-2"))
    summary = models.TextField(_("主な内容"), blank=True)

    parent_page_types = ["plan.AreaPage"]
    subpage_types = ["plan.InitiativePage"]
    override_translatable_fields = [SynchronizedField("number")]

    content_panels = [*Page.content_panels, FieldPanel("number"), FieldPanel("summary")]
    search_fields = japanese_page_search_fields("summary")

    description_fields = ("summary",)

    class Meta:
        verbose_name = _("取組方向")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cards"] = public(InitiativePage.objects.live().child_of(self)).prefetch_related(
            department_links(HomePage.active_locale_id(request))
        )
        return context

    def cache_tags(self, context: dict) -> set[str]:
        return super().cache_tags(context) | shown_tags(context.get("cards", []))


class InitiativePage(NumberedPage, BasePage):
    """An initiative card (e.g. 1-2-1): its fixed sections are fields so every card stays uniform."""

    number = models.CharField(_("カード番号"), max_length=10, help_text=_("例：1-2-1"))
    subtitle = models.CharField(_("副題"), max_length=200, blank=True)
    goal = StreamField([("paragraph", GoalParagraphBlock())], blank=True, verbose_name=_("めざす姿"))
    issues = StreamField(item_stream_blocks(), blank=True, verbose_name=_("現状と課題"))
    overview = StreamField(item_stream_blocks(), blank=True, verbose_name=_("取組概要"))
    measures = StreamField(item_stream_blocks(), blank=True, verbose_name=_("具体的な取組"))
    figures = StreamField([("figure", FigureBlock())], blank=True, verbose_name=_("図"))
    easy_summary = models.TextField(
        _("やさしい日本語のまとめ"),
        blank=True,
        help_text=_(
            "やさしい日本語のページ（/ja-easy/）の最初に、ふりがな付きで表示します。1文は30文字までが目安です。"
        ),
    )

    parent_page_types = ["plan.DirectionPage"]
    subpage_types: list[str] = []
    # The easy summary is Japanese for readers of Japanese: translators never get it.
    override_translatable_fields = [SynchronizedField("number"), SynchronizedField("easy_summary", overridable=False)]

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("subtitle"),
        InlinePanel("department_links", label=_("担当部局")),
        FieldPanel("goal"),
        FieldPanel("issues"),
        FieldPanel("overview"),
        FieldPanel("measures"),
        FieldPanel("figures"),
        InlinePanel("kpis", label=_("KPI（取組内容/目標項目）")),
        FieldPanel("easy_summary"),
        ReadabilityPanel(
            text_fields=("title", "subtitle", "goal", "issues", "overview", "measures"),
            easy_fields=("easy_summary",),
            heading=_("読みやすさの確認"),
        ),
    ]
    search_fields = japanese_page_search_fields(
        JapaneseSearchField("number", boost=3),
        JapaneseSearchField("subtitle", boost=2),
        "goal",
        "issues",
        "overview",
        "measures",
        index.RelatedFields("kpis", [JapaneseSearchField("indicator"), JapaneseSearchField("note")]),
        index.RelatedFields("department_links", [index.RelatedFields("department", [JapaneseSearchField("name")])]),
        index.FilterField("number"),
    )

    class Meta:
        verbose_name = _("取組カード")

    def description_text(self) -> str:
        return stream_text(self.goal) or stream_text(self.overview)

    def departments(self) -> list:
        """Lead departments in the order the document prints them (prefetch `department_links(...)`, or
        `department_links__department`), each with its `display_name`."""
        if "department_links" in getattr(self, "_prefetched_objects_cache", {}):
            links = self.department_links.all()
        elif hasattr(self, "_departments"):
            return self._departments
        else:
            links = self.department_links.select_related("department")
        self._departments = [link.department for link in links]
        for link in links:
            if hasattr(link, "localized_name"):
                link.department.localized_name = link.localized_name
        return self._departments

    def kpi_rows(self) -> list:
        """KPI rows with re-listed originals fetched in the same query (no query per row)."""
        return list(self.kpis.select_related("repost_of", "repost_of__page").order_by("sort_order"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kpi_rows"] = self.kpi_rows()
        context["area"] = next((page for page in context["breadcrumbs"] if page.depth == self.depth - 2), None)
        prefetch_related_objects([self], department_links(HomePage.active_locale_id(request)))
        context["department_names"] = [department.display_name for department in self.departments()]
        # Previous/next across the whole plan, so a reader can page through every card in order.
        plan_path = self.path[: Page.steplen * (self.depth - 3)]
        cards = list(
            public(InitiativePage.objects.live()).filter(path__startswith=plan_path).only("title", "number", "url_path")
        )
        position = next(i for i, card in enumerate(cards) if card.pk == self.pk)
        context["previous_card"] = cards[position - 1] if position > 0 else None
        context["next_card"] = cards[position + 1] if position + 1 < len(cards) else None
        return context

    def cache_tags(self, context: dict) -> set[str]:
        neighbours = [context.get("previous_card"), context.get("next_card")]
        reposted = [row.repost_of.page for row in context.get("kpi_rows", []) if row.repost_of_id]
        tags = page_tags([*neighbours, *reposted])
        tags |= {DEPARTMENT(department.translation_key) for department in self.departments()}
        return super().cache_tags(context) | tags

    def purge_tags(self) -> set[str]:
        return super().purge_tags() | {KPIS()}


class CardDepartment(Orderable):
    """A lead department of a card, in the document's order (a plain M2M would lose the order)."""

    page = ParentalKey(InitiativePage, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(
        "plan.Department", on_delete=models.PROTECT, related_name="card_links", verbose_name=_("担当部局")
    )

    panels = [FieldPanel("department")]

    class Meta(Orderable.Meta):
        verbose_name = _("担当部局")
