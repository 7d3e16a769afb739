"""Wagtail's page view with the tree walked in one query.

Wagtail routes a URL one level at a time: for each path component it loads the child page, then its specific
row, so an initiative card five levels down costs ten queries before anything is rendered, and the breadcrumbs
load the same ancestors again. Every URL path component is a slug and Wagtail keeps each page's `url_path`
(its slugs from the tree root), so the whole chain of pages a URL names is known from the URL alone: this view
loads it in one query, the page's specific row in a second, and hands Wagtail the same `RouteResult` its own
walk would have produced (through the attribute Wagtail caches it in). The chain is kept on the page for its
breadcrumbs. A page type with its own `route()` (routable pages, e.g. the consultation's comment form) gets
the rest of the path exactly as Wagtail would give it.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site
from wagtail.models.pages import RouteResult

from home.models import ANCESTORS_ATTRIBUTE


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            request._wagtail_route_for_request = route_for_request(request, path)
        except Http404:
            request._wagtail_route_for_request = None
        except LookupError:  # not a content language: Wagtail's own walk knows what to do
            pass
    return wagtail_views.serve(request, path)


def localized_root(site: Site) -> Page:
    """`site.root_page.localized.specific` (the home page of the active language) in one query."""
    root = site.root_page
    model = root.specific_class or Page
    language = get_supported_content_language_variant(get_language())
    found = model.objects.filter(translation_key=root.translation_key, locale__language_code=language)
    home = found.select_related("locale").first()
    if home is not None and (home.live or home.pk == root.pk):
        return home
    return root.specific


def has_own_route(page: Page) -> bool:
    model = page.specific_class
    return model is None or model.route is not Page.route


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    home = localized_root(site)
    if home.live:
        request._mieplan_home = home  # HomePage.for_request: the header's and footer's home page
    components = [component for component in path.split("/") if component]
    if not components:
        setattr(home, ANCESTORS_ATTRIBUTE, [])  # the tree root only: no breadcrumbs
    if not components or has_own_route(home):
        return home.route(request, components)
    prefixes = [home.url_path + "/".join(components[: count + 1]) + "/" for count in range(len(components))]
    found = {
        page.url_path: page
        for page in Page.objects.filter(
            url_path__in=prefixes, path__startswith=home.path, depth__lte=home.depth + len(components)
        )
    }
    chain: list[Page] = [home]
    for index, prefix in enumerate(prefixes):
        page = found.get(prefix)
        parent = chain[-1]
        if page is None or page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
            # No such child: the deepest page found answers for the rest, as in Wagtail's walk (a 404 or a
            # route of its own).
            return routed(parent, chain[:-1], request, components[index:])
        chain.append(page)
        if has_own_route(page) and index + 1 < len(components):
            return routed(page, chain[:-1], request, components[index + 1 :])
    return routed(chain[-1], chain[:-1], request, [])


def routed(page: Page, ancestors: list[Page], request: HttpRequest, remaining: list[str]) -> RouteResult:
    specific = page.specific
    setattr(specific, ANCESTORS_ATTRIBUTE, ancestors)
    home = ancestors[0] if ancestors else specific
    if specific.locale_id == home.locale_id and "locale" in home._state.fields_cache:
        specific.locale = home.locale  # loaded with the home page
    return specific.route(request, remaining)
