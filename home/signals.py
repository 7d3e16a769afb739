"""Purge the page cache when what readers see changes (home/pagecache.py).

Each model says what publishing or changing it affects (`purge_tags`); these receivers only listen.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home import pagecache


def page_purge_tags(page: Page) -> set[str]:
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    method = getattr(specific, "purge_tags", None)
    return method() if method else {f"page:{page.pk}"}


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
    tags = page_purge_tags(instance) | {f"page:{parent_page_before.pk}", f"page:{parent_page_after.pk}"}
    pagecache.purge(tags)


def connect_model_purges() -> None:
    """Departments, comments and response topics are shown on pages but are not pages themselves."""
    from consultations.models import Comment, ResponseTopic
    from plan.models import Department

    for model in (Department, Comment, ResponseTopic):
        post_save.connect(purge_changed_object, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(purge_changed_object, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")


def purge_changed_object(sender, instance, **kwargs) -> None:
    pagecache.purge(instance.purge_tags())
