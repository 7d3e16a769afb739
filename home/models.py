import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Locale, Page, PageViewRestriction

from home import easy
from home.hooks import HOME_PAGE_CONTEXT
from home.languages import language_version
from home.origin import public_url
from home.summaries import plain_text, shorten_at_sentence
from home.visibility import view_restrictions
from mieplan_site import pagecache
from search.fields import japanese_page_search_fields


def optional_page_link(verbose_name: str, **options) -> models.ForeignKey:
    """A link to any page that is cleared, not blocking, when that page is deleted."""
    return models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


# The pages above a page, home first, when home/routing.py loaded them while routing (BasePage.breadcrumbs).
ANCESTORS_ATTRIBUTE = "_mieplan_ancestors"


# The page's live translations with their locales, once loaded for the language switcher.
LIVE_TRANSLATIONS_ATTRIBUTE = "_mieplan_live_translations"


def page_tags(pages) -> set[str]:
    """The page cache tags of pages a response shows (None skipped)."""
    return {pagecache.PAGE(page.pk) for page in pages if page is not None}


class BasePage(Page):
    """Shared by every public page type: breadcrumbs and the plain-text summary used in <meta>."""

    class Meta:
        abstract = True

    toc_number = ""  # the number shown before the title in the table of contents, if any

    # The fields whose text the meta description is cut from when an editor wrote none.
    description_fields: tuple[str, ...] = ()

    def description_text(self) -> str:
        return plain_text(*(getattr(self, name) for name in self.description_fields))

    @property
    def meta_description(self) -> str:
        return shorten_at_sentence(self.search_description or self.description_text())

    def breadcrumbs(self) -> list[Page]:
        """Ancestors below the tree root, home page first (none to load when the page was routed by
        home/routing.py, which loaded them; else one query)."""
        ancestors = getattr(self, ANCESTORS_ATTRIBUTE, None)
        if ancestors is not None:
            return [page for page in ancestors if page.depth > 1]
        return list(self.get_ancestors().filter(depth__gt=1))

    def get_view_restrictions(self):
        """What Wagtail checks before serving: nothing to read when the site has no private section."""
        if not view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def is_untranslated(self) -> bool:
        """An alias of the Japanese page kept in another locale's tree until a translation exists."""
        return self.alias_of_id is not None

    def language_versions(self, request=None, suffix: Callable[["BasePage"], str] | None = None) -> list[dict]:
        """This page in every language it exists in, in the order of settings.LANGUAGES (one query).

        `suffix` gives, for the page in another language, what follows its URL: a route's path and query,
        so a reader who switches language stays on the same view of the same thing."""
        order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
        versions = []
        if not hasattr(self, LIVE_TRANSLATIONS_ATTRIBUTE):
            translations = list(self.get_translations(inclusive=True).live().select_related("locale"))
            setattr(self, LIVE_TRANSLATIONS_ATTRIBUTE, translations)
        for page in getattr(self, LIVE_TRANSLATIONS_ATTRIBUTE):
            code = page.locale.language_code
            if code in order:
                url = page.get_url(request) + (suffix(page) if suffix else "")
                versions.append(language_version(code, url, page.pk == self.pk))
        return sorted(versions, key=lambda version: order[version["code"]])

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        alternates = [
            {"lang_code": version["code"], "location": version["full_url"]}
            for version in self.language_versions(request)
        ]
        for url in urls:
            url["location"] = self.canonical_url
            url["alternates"] = alternates
        return urls

    @property
    def canonical_url(self) -> str:
        return public_url(self.url)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.breadcrumbs()
        context["language_versions"] = self.language_versions(request)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "context_data"):
            pagecache.add_tags(request, self.cache_tags(response.context_data))
        return response

    # Page cache (mieplan_site/pagecache.py): what a rendered page shows, and what publishing this page changes.

    def cache_tags(self, context: dict) -> set[str]:
        """Every page shows itself, its translations (language switcher), its ancestors (breadcrumbs), and
        the locale's header, footer and open consultation (comment links)."""
        tags = {pagecache.PAGE(self.pk), pagecache.TRANSLATION(self.translation_key), pagecache.LOCALE(self.locale_id)}
        return tags | page_tags(context.get("breadcrumbs", []))

    def purge_tags(self) -> set[str]:
        return {pagecache.PAGE(self.pk), pagecache.TRANSLATION(self.translation_key), pagecache.SEARCH(self.locale_id)}


class HomePage(BasePage):
    """The front page of one locale: the plan's name, status, philosophy and vision."""

    plan_status = models.CharField(_("計画の段階"), max_length=50, help_text=_("例：中間案"))
    published_on = models.CharField(_("公表時期"), max_length=50, blank=True, help_text=_("例：令和4年9月"))
    philosophy = models.CharField(_("基本理念"), max_length=200)
    philosophy_description = models.TextField(_("基本理念（説明）"), blank=True)
    vision = models.CharField(_("めざす姿"), max_length=200)
    vision_description = models.TextField(_("めざす姿（説明）"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["plan.PlanPage", "consultations.ConsultationPage", "progress.ProgressPage"]
    max_count_per_parent = 1

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("plan_status"), FieldPanel("published_on")],
            heading=_("計画の段階"),
        ),
        FieldPanel("philosophy"),
        FieldPanel("philosophy_description"),
        FieldPanel("vision"),
        FieldPanel("vision_description"),
    ]
    search_fields = japanese_page_search_fields("philosophy", "vision", "vision_description")

    description_fields = ("philosophy", "vision", "vision_description")

    class Meta:
        verbose_name = _("ホーム")

    @classmethod
    def for_language(cls, language_code: str) -> "HomePage | None":
        language_code = easy.content_language(language_code)  # やさしい日本語 shows the Japanese pages
        return cls.objects.live().filter(locale__language_code=language_code).select_related("locale").first()

    @classmethod
    def active_locale_id(cls, request) -> int:
        """The id of the request language's locale (`Locale.get_active().id`), from the request's home page."""
        home = cls.for_request(request) if request is not None else None
        return home.locale_id if home is not None else Locale.get_active().id

    @classmethod
    def for_request(cls, request) -> "HomePage | None":
        """The home page of the request's language, looked up once per request (its locale comes with it)."""
        if not hasattr(request, "_mieplan_home"):
            request._mieplan_home = cls.for_language(get_language())
        return request._mieplan_home

    def cache_tags(self, context: dict) -> set[str]:
        shown = []
        for value in context.get("home_page_sections", []):
            shown.extend([value] if isinstance(value, Page) else value)
        return super().cache_tags(context) | page_tags(shown)

    def purge_tags(self) -> set[str]:
        return super().purge_tags() | {pagecache.LOCALE(self.locale_id)}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = []
        for provide in hooks.get_hooks(HOME_PAGE_CONTEXT):
            provided = provide(self, request)
            context.update(provided)
            sections.extend(value for value in provided.values() if value is not None)
        context["home_page_sections"] = sections
        return context


FURIGANA = pagecache.TagKind("furigana", keyed=False)


class ReadingGlossaryEntry(models.Model):
    """A reading the ふりがな use instead of the analyser's guess: place names, people, organisations, plan terms."""

    term = models.CharField(_("語"), max_length=50, unique=True, help_text=_("例：津市"))
    reading = models.CharField(_("読み（ひらがな）"), max_length=100, help_text=_("例：つし"))

    panels = [FieldPanel("term"), FieldPanel("reading")]

    class Meta:
        verbose_name = _("ふりがなの読み")
        verbose_name_plural = _("ふりがなの読み")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term}（{self.reading}）"

    def purge_tags(self) -> set[str]:
        return {FURIGANA()}

    def clean(self) -> None:
        self.reading = self.reading.strip()
        if not re.fullmatch(r"[ぁ-ゖー・ ]+", self.reading):
            raise ValidationError({"reading": _("読みはひらがなで入力してください。")})

    @classmethod
    def as_dict(cls) -> dict[str, str]:
        return dict(cls.objects.values_list("term", "reading"))
