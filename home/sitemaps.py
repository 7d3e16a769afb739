from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    """Every public page in every language (Wagtail's own sitemap covers only the site root's locale)."""

    def items(self):
        languages = [code for code, _name in settings.LANGUAGES]
        return (
            Page.objects.live()
            .public()
            .filter(depth__gte=2, locale__language_code__in=languages)
            .order_by("locale__language_code", "path")
            .defer_streamfields()
            .specific()
        )
