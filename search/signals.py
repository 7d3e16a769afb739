"""Re-index a page once it is published with its child rows.

Wagtail indexes a page in its post_save signal, before modelcluster has saved the page's child objects
(KPI rows, departments), so text from those rows would be missing until the next save. page_published comes
after everything is saved.
"""

from django.dispatch import receiver
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs) -> None:
    insert_or_update_object(instance.specific)
