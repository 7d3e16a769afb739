"""Purge the page cache when what readers see changes (mieplan_site/pagecache.py).

Each page type says what publishing it affects (`purge_tags`); these receivers only listen. Models that are not
pages register themselves with `pagecache.purge_on_change` in their app's ready().
"""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.origin import sync_default_site
from mieplan_site import pagecache


def page_purge_tags(page: Page) -> set[str]:
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    method = getattr(specific, "purge_tags", None)
    return method() if method else {pagecache.PAGE(page.pk)}


@receiver(page_published)
@receiver(page_unpublished)
def purge_published_page(sender, instance: Page, **kwargs) -> None:
    pagecache.purge(page_purge_tags(instance))


@receiver(pre_delete)
def purge_deleted_page(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.live:
        pagecache.purge(page_purge_tags(instance))


@receiver(post_page_move)
def purge_moved_page(sender, instance: Page, parent_page_before: Page, parent_page_after: Page, **kwargs) -> None:
    tags = page_purge_tags(instance) | {pagecache.PAGE(parent_page_before.pk), pagecache.PAGE(parent_page_after.pk)}
    pagecache.purge(tags)


def keep_site_on_public_origin(**kwargs) -> None:
    """After every migrate (connected by HomeConfig.ready)."""
    sync_default_site()
