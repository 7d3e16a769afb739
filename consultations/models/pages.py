from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page

from home import pagecache
from home.models import BasePage
from search.fields import JapaneseSearchField, japanese_page_search_fields

# Japanese administrative practice (行政手続法 第39条) asks for at least 30 days of consultation.
MINIMUM_PERIOD = timedelta(days=30)


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("募集前")
    OPEN = "open", _("募集中")
    CLOSED = "closed", _("募集終了")
    RESULTS_PUBLISHED = "results", _("結果公表")


class ConsultationPage(RoutablePageMixin, BasePage):
    """A public consultation (パブリックコメント) on a document, with its period and state."""

    document = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("対象の計画"),
    )
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
    results_published = models.BooleanField(_("結果を公表する"), default=False)
    # When the switch above went on (kept across revisions): the retention period of personal data runs from it.
    results_published_at = models.DateTimeField(_("結果の公表日時"), null=True, blank=True, editable=False)

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        PageChooserPanel("document", ["plan.PlanPage"]),
        MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("募集期間")),
        FieldPanel("summary"),
        FieldPanel("other_channels"),
        FieldPanel("privacy_notice"),
        FieldPanel("results_published"),
    ]
    search_fields = japanese_page_search_fields(JapaneseSearchField("summary"))

    class Meta:
        verbose_name = _("意見募集")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("募集終了日時は募集開始日時より後にしてください。")})

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
        return self.get_translation_or_none(Locale.get_default()) or self

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
    # personal data), so only these routes are tagged (home/pagecache.py stores only tagged responses).
    CACHED_ROUTES = ("index_route", "results_view", "opendata_view", "responses_view")

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view, args, kwargs)
        if getattr(view, "__name__", "index_route") in self.CACHED_ROUTES and response.status_code == 200:
            pagecache.add_tags(request, self.cache_tags(getattr(response, "context_data", None) or {}))
        return response

    def cache_tags(self, context: dict) -> set[str]:
        return super().cache_tags(context) | {f"results:{self.source_consultation.pk}"}

    def purge_tags(self) -> set[str]:
        return super().purge_tags() | {f"locale:{self.locale_id}", f"results:{self.source_consultation.pk}"}

    # Routes: the form, the receipt, the status look-up and the results live under the page's URL.

    @path("comment/", name="comment")
    def comment_view(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.comment(request, self)

    @path("thanks/", name="thanks")
    def thanks_view(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.thanks(request, self)

    @path("status/", name="status")
    def status_view(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.status(request, self)

    @path("results/", name="results")
    def results_view(self, request: HttpRequest) -> HttpResponse:
        from consultations import views

        return views.results(request, self)

    @path("results/changes/<int:card_id>/", name="changes")
    def changes_view(self, request: HttpRequest, card_id: int) -> HttpResponse:
        from consultations.results import changes_since_closing
        from plan.models import InitiativePage

        card = InitiativePage.objects.live().filter(pk=card_id).first()
        if not self.results_published or card is None:
            raise Http404
        context = {"page": self, "card": card, "changes": changes_since_closing(self.source_consultation, card)}
        return TemplateResponse(request, "consultations/changes.html", context)

    @path("results/opendata/<str:fmt>/", name="opendata")
    def opendata_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        from consultations import exports

        if not self.results_published or fmt not in {"csv", "json"}:
            raise Http404
        return exports.public_comments_response(self.source_consultation, fmt)

    @path("results/responses/<str:fmt>/", name="responses")
    def responses_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        from consultations import response_table

        if not self.results_published or fmt not in response_table.CONTENT_TYPES:
            raise Http404
        return response_table.table_response(self.source_consultation, fmt)

    @classmethod
    def open_consultation_under(cls, home: Page, now: datetime | None = None) -> "ConsultationPage | None":
        now = now or timezone.now()
        return (
            cls.objects.live()
            .public()
            .child_of(home)
            .filter(opens_at__lte=now, closes_at__gt=now, results_published=False)
            .order_by("closes_at")
            .first()
        )
