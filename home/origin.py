"""The site's public origin (settings.PUBLIC_ORIGIN): the one place that absolute URLs come from.

Sitemap, canonical and hreflang links, robots.txt, open data and e-mails use it, never the request's Host or
the Site record, so what search engines and residents are given always points at the public site. The
default Site record is kept in step with it after every `migrate` and plan load.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def public_url(path: str) -> str:
    return settings.PUBLIC_ORIGIN + path


def sync_default_site() -> None:
    """Give the default Wagtail Site the public origin's host and port, so Wagtail's own full URLs agree."""
    parts = urlsplit(settings.PUBLIC_ORIGIN)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])
