"""The progress page (進捗状況): the overview, the rule it judges by, and one report per fiscal year."""

from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from home.models import BasePage, page_tags
from mieplan_site import pagecache
from progress.cachetags import PROGRESS
from progress.rules import PLAN_FIRST_YEAR, PLAN_LAST_YEAR
from search.fields import japanese_page_search_fields


class ProgressPage(RoutablePageMixin, BasePage):
    """One per locale, under the home page: /ja/progress/, /ja/progress/method/, /ja/progress/report/2023/."""

    intro = models.TextField(_("はじめに"), blank=True)
    method_intro = models.TextField(_("判定方法の説明"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("method_intro")]
    search_fields = japanese_page_search_fields("intro", "method_intro")
    description_fields = ("intro",)

    class Meta:
        verbose_name = _("進捗状況")

    # Views live in progress/views.py; the routes only hand over. The views build on the services, which build on
    # these models, so ProgressConfig.ready() hands them over (as ConsultationPage's route_views).
    route_views = None

    @path("")
    def overview_route(self, request):
        return self.route_views.overview(request, self)

    @path("method/")
    def method_route(self, request):
        return self.route_views.method(request, self)

    @path("report/<int:year>/")
    def report_route(self, request, year: int):
        if not PLAN_FIRST_YEAR <= year <= PLAN_LAST_YEAR:
            raise Http404
        return self.route_views.report(request, self, year)

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view, args, kwargs)
        if isinstance(response, TemplateResponse) and response.status_code == 200:
            pagecache.add_tags(request, self.cache_tags(response.context_data))
        return response

    def language_versions(self, request=None, suffix=None) -> list[dict]:
        """A reader who switches language stays on the same route with the same filters."""
        if suffix is None and request is not None:
            route = request.path[len(self.get_url(request)) :]
            query = "?" + request.GET.urlencode() if request.GET else ""
            suffix = lambda page: route + query  # noqa: E731
        return super().language_versions(request, suffix)

    def cache_tags(self, context: dict) -> set[str]:
        shown = [page for item in context.get("rows", []) for page in (item.card, item.area, item.direction)]
        return super().cache_tags(context) | page_tags(page for page in shown if page) | {PROGRESS()}
