"""Purging a CDN in front of the site (wagtail.contrib.frontend_cache), when one is configured.

Our own page cache purges by tag; a CDN purges by URL. The pages a tag names are purged with their ancestors
(an area lists its cards) and translations; the CDN's short s-maxage covers anything further away.
"""

import logging
from collections.abc import Iterable

from django.conf import settings

from home.origin import public_url

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_tags(tags: Iterable[str]) -> None:
    if not configured():
        return
    from django.urls import reverse
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    page_ids = {int(tag.split(":", 1)[1]) for tag in tags if tag.startswith("page:")}
    pages = list(Page.objects.live().filter(pk__in=page_ids))
    related = Page.objects.live().filter(translation_key__in=[page.translation_key for page in pages])
    # Ancestors list their descendants (an area its cards, the plan its table of contents).
    ancestors = [ancestor for page in pages for ancestor in page.get_ancestors().filter(depth__gt=1, live=True)]
    batch = PurgeBatch()
    batch.add_pages([*related, *ancestors])
    if "kpis" in tags:
        batch.add_urls([public_url(reverse("opendata_kpis_json")), public_url(reverse("opendata_kpis_csv"))])
    try:
        batch.purge()
    except Exception:  # the CDN's API is remote: a failed purge must not fail the publish
        logger.warning("frontend cache purge failed", exc_info=True)
