from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import path as url_path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail_localize.fields import SynchronizedField

from consultations.cachetags import RESULTS
from home import ids
from home.models import LIVE_TRANSLATIONS_ATTRIBUTE, BasePage, HomePage, optional_page_link
from home.panels import ReadabilityPanel
from home.visibility import public
from mieplan_site import pagecache
from search.fields import japanese_page_search_fields

# Japanese administrative practice (行政手続法 第39条) asks for at least 30 days of consultation.
MINIMUM_PERIOD = timedelta(days=30)


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("募集前")
    OPEN = "open", _("募集中")
    CLOSED = "closed", _("募集終了")
    RESULTS_PUBLISHED = "results", _("結果公表")


def route_handler(name: str) -> Callable[..., HttpResponse]:
    """A route of ConsultationPage (RoutablePageMixin binds it to the page) calling the view `name`."""

    def handler(page: "ConsultationPage", request: HttpRequest, **kwargs) -> HttpResponse:
        return getattr(page.route_views, name)(request, page, **kwargs)

    handler.__name__ = f"{name}_view"  # CACHED_ROUTES tells the routes apart by this name
    return handler


class ConsultationPage(RoutablePageMixin, BasePage):
    """A public consultation (パブリックコメント) on a document, with its period and state."""

    document = optional_page_link(_("対象の計画"))
    opens_at = models.DateTimeField(_("募集開始日時"))
    closes_at = models.DateTimeField(_("募集終了日時"))
    summary = RichTextField(_("概要"), features=["bold", "link", "ol", "ul"], blank=True)
    other_channels = RichTextField(
        _("インターネット以外の提出方法"),
        features=["bold", "link", "ol", "ul"],
        blank=True,
        help_text=_("郵送・FAX・電子メールでの提出方法。宛先は計画の問い合わせ先から表示されます。"),
    )
    privacy_notice = RichTextField(_("個人情報の取扱い"), features=["bold", "link", "ol", "ul"])
    easy_summary = models.TextField(
        _("やさしい日本語のまとめ"),
        blank=True,
        help_text=_(
            "やさしい日本語のページ（/ja-easy/）の最初に、ふりがな付きで表示します。1文は30文字までが目安です。"
        ),
    )
    results_published = models.BooleanField(_("結果を公表する"), default=False)
    # When the switch above went on (kept across revisions): the retention period of personal data runs from it.
    results_published_at = models.DateTimeField(_("結果の公表日時"), null=True, blank=True, editable=False)
    # Set only by the explicit early-close action (services.close_early), shown on the public page.
    closed_early_at = models.DateTimeField(_("早期終了日時"), null=True, blank=True, editable=False)
    closed_early_reason = models.TextField(_("早期終了の理由"), blank=True, editable=False)

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    # The easy summary is Japanese for readers of Japanese: translators never get it.
    override_translatable_fields = [SynchronizedField("easy_summary", overridable=False)]

    content_panels = [
        *Page.content_panels,
        PageChooserPanel("document", ["plan.PlanPage"]),
        MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("募集期間")),
        FieldPanel("summary"),
        FieldPanel("easy_summary"),
        ReadabilityPanel(
            text_fields=("title", "summary", "other_channels"),
            easy_fields=("easy_summary",),
            heading=_("読みやすさの確認"),
        ),
        FieldPanel("other_channels"),
        FieldPanel("privacy_notice"),
        FieldPanel("results_published"),
    ]
    search_fields = japanese_page_search_fields("summary")

    description_fields = ("summary",)

    class Meta:
        verbose_name = _("意見募集")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("募集終了日時は募集開始日時より後にしてください。")})
        # Results follow the period (行政手続法 第43条): publishing them must never end a period still running.
        if self.results_published and self.closes_at and timezone.now() < self.closes_at:
            raise ValidationError(
                {
                    "results_published": _(
                        "募集期間中は結果を公表できません。募集終了日時の後に公表してください。"
                        "期間を早めて終える場合は、意見募集の「募集を早期終了する」から理由を添えて終了してください。"
                    )
                }
            )

    def save(self, *args, **kwargs) -> None:
        # Stamped only when the switch itself is written (a full save: publishing, not saving a draft revision).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "results_published" in update_fields:
            if not self.results_published:
                self.results_published_at = None
            elif self.results_published_at is None:
                self.results_published_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "results_published_at"}
        super().save(*args, **kwargs)

    def with_content_json(self, content: dict) -> "ConsultationPage":
        # A revision is a snapshot of the editor's form: the publication time belongs to the live page, like
        # Wagtail's first_published_at, or every later publish would restart the retention clock.
        page = super().with_content_json(content)
        page.results_published_at = self.results_published_at
        return page

    def state(self, now: datetime | None = None) -> ConsultationState:
        now = now or timezone.now()
        if self.results_published:
            return ConsultationState.RESULTS_PUBLISHED
        if now < self.opens_at:
            return ConsultationState.UPCOMING
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == ConsultationState.OPEN

    @property
    def source_consultation(self) -> "ConsultationPage":
        """The Japanese page: comments from every language's page are kept together on it."""
        # Compare the language, not Locale.get_default() (a query on every comment).
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        for page in getattr(self, LIVE_TRANSLATIONS_ATTRIBUTE, ()):  # the language switcher's, if loaded
            if page.locale.language_code == settings.LANGUAGE_CODE:
                return page
        return self.get_translation_or_none(Locale.get_default()) or self

    def localized_document(self, request) -> Page | None:
        """`document.localized`, in one query whatever the language."""
        if self.document_id is None:
            return None
        source = Page.objects.filter(pk=self.document_id).values("translation_key")[:1]
        found = Page.objects.live().filter(translation_key=source, locale_id=HomePage.active_locale_id(request))
        return found.first() or self.document.localized

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["document"] = self.localized_document(request)
        return context

    def personal_data_expired(self, retention: timedelta, now: datetime | None = None) -> bool:
        """Whether the commenters' personal data has been kept `retention` past the results' publication.

        Without a publication time (results published before it was recorded) the closing time counts. A
        consultation still in its period is never due, whatever its switches say.
        """
        now = now or timezone.now()
        if not self.results_published or now < self.closes_at:
            return False
        return (self.results_published_at or self.closes_at) + retention <= now

    @property
    def period_is_short(self) -> bool:
        """Shorter than the 30 days Japanese practice expects; editors are warned, not blocked."""
        return bool(self.opens_at and self.closes_at) and self.closes_at - self.opens_at < MINIMUM_PERIOD

    # Page cache: the page and its results are public; the form, receipt and status never are (CSRF,
    # personal data), so only these routes are tagged (mieplan_site/pagecache.py stores only tagged responses).
    CACHED_ROUTES = ("index_route", "results_view", "opendata_view", "responses_view")

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view, args, kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and "language_versions" not in context:
            context["language_versions"] = self.language_versions(request, self.route_suffix(request, context))
        if getattr(view, "__name__", "index_route") in self.CACHED_ROUTES and response.status_code == 200:
            pagecache.add_tags(request, self.cache_tags(getattr(response, "context_data", None) or {}))
        return response

    def cache_tags(self, context: dict) -> set[str]:
        return super().cache_tags(context) | {RESULTS(self.source_consultation.pk)}

    def purge_tags(self) -> set[str]:
        return super().purge_tags() | {pagecache.LOCALE(self.locale_id), RESULTS(self.source_consultation.pk)}

    def route_suffix(self, request: HttpRequest, context: dict) -> Callable[[Page], str]:
        """For the language switcher of a route: the same route in another language, on the same card part."""
        route = request.path[len(self.get_url(request)) :]
        target, card = context.get("target"), context.get("card")
        if route.startswith("thanks/"):
            return lambda page: ""  # the receipt is shown once; the other language gets the consultation page
        if target is not None:
            return lambda page: route + target.query_in(page.locale)
        if card is not None:
            return lambda page: f"results/changes/{(card.get_translation_or_none(page.locale) or card).pk}/"
        query = "?" + request.GET.urlencode() if request.GET else ""
        return lambda page: route + query

    # Routes under the page's URL: the form, the receipt, the status look-up and the results, each handled by the
    # view of that name in consultations/views.py as view(request, page, **kwargs). The views build on these
    # models, so ConsultationsConfig.ready() hands them over (route_views) rather than the models importing them.
    ROUTES = (
        ("comment/", "comment"),
        ("thanks/", "thanks"),
        ("status/", "status"),
        ("results/", "results"),
        (f"results/changes/<{ids.CONVERTER}:card_id>/", "changes"),
        ("results/opendata/<str:fmt>/", "opendata"),
        ("results/responses/<str:fmt>/", "responses"),
    )
    route_views = None

    @classmethod
    def get_subpage_urls(cls):
        routes = [url_path(pattern, route_handler(name), name=name) for pattern, name in cls.ROUTES]
        return (*super().get_subpage_urls(), *routes)

    @classmethod
    def opening_and_closing_times(cls) -> list[datetime]:
        rows = cls.objects.live().values_list("opens_at", "closes_at")
        return [moment for row in rows for moment in row]

    @classmethod
    def open_consultation_under(cls, home: Page, now: datetime | None = None) -> "ConsultationPage | None":
        now = now or timezone.now()
        return (
            public(cls.objects.live().child_of(home))
            .filter(opens_at__lte=now, closes_at__gt=now, results_published=False)
            .order_by("closes_at")
            .first()
        )
