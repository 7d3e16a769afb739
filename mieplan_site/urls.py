from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from consultations import views as consultation_views
from home import routing, signin
from home import views as home_views
from home.sitemaps import AllLanguagesSitemap
from mieplan_site import health
from plan import views as plan_views
from progress import views as progress_views
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-admin/", RedirectView.as_view(url="/admin/", permanent=False)),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}, name="sitemap"),
    path("opendata/kpis.json", plan_views.kpis_json, name="opendata_kpis_json"),
    path("opendata/kpis.csv", plan_views.kpis_csv, name="opendata_kpis_csv"),
    path("opendata/progress.csv", progress_views.progress_csv, name="opendata_progress_csv"),
    path("opendata/progress.json", progress_views.progress_json, name="opendata_progress_json"),
    path("opendata/progress.schema.json", progress_views.progress_schema, name="opendata_progress_schema"),
    path("opendata/progress-history.csv", progress_views.progress_history_csv, name="opendata_progress_history_csv"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    # The comment form posts here: the same view as the page route, without Wagtail's tree walk (hot path).
    path("comments/<id:consultation_id>/", consultation_views.comment_by_id, name="consultation_comment"),
    # Shadows Wagtail's own `wagtailcore_login` (password only): the private-page sign-in asks for the one-time
    # code like the admin's.
    path("_util/login/", signin.SignInView.as_view(), name="wagtailcore_login"),
    # Pages: Wagtail's view, the tree walked in one query (home/routing.py); Wagtail's pattern still reverses.
    re_path(wagtail_urls.serve_pattern, routing.serve),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
