"""Purging a CDN in front of the site (wagtail.contrib.frontend_cache), when one is configured.

Our own page cache purges by tag; a CDN purges by URL. The pages the purged tags name are purged with their
ancestors (an area lists its cards) and translations; the CDN's short s-maxage covers anything further away.
"""

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge(page_ids: Iterable[int], urls: Iterable[str] = ()) -> None:
    """Purge these pages (with their translations and ancestors) and these absolute URLs from the CDN."""
    pages = list(Page.objects.live().filter(pk__in=set(page_ids)))
    related = Page.objects.live().filter(translation_key__in=[page.translation_key for page in pages])
    # Ancestors list their descendants (an area its cards, the plan its table of contents).
    ancestors = [ancestor for page in pages for ancestor in page.get_ancestors().filter(depth__gt=1, live=True)]
    batch = PurgeBatch()
    batch.add_pages([*related, *ancestors])
    batch.add_urls([variant for url in list(batch.urls) for variant in interface_variants(url)])
    batch.add_urls(urls)
    try:
        batch.purge()
    except Exception:  # the CDN's API is remote: a failed purge must not fail the publish
        logger.warning("frontend cache purge failed", exc_info=True)


def interface_variants(url: str) -> list[str]:
    """The same page under the prefixes of interface languages without pages of their own (やさしい日本語:
    /ja/x/ is also served as /ja-easy/x/): the CDN keeps those by URL too."""
    content = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    parts = urlsplit(url)
    variants = []
    for code, _name in settings.LANGUAGES:
        base = code.split("-")[0]
        if code not in content and base in content and parts.path.startswith(f"/{base}/"):
            variants.append(urlunsplit(parts._replace(path=f"/{code}/" + parts.path[len(base) + 2 :])))
    return variants
