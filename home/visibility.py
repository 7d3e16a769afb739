"""Private sections (Wagtail's page view restrictions), read once per request.

Wagtail reads every view restriction each time a page list is filtered with `.public()` and again when a page
is served; a page that lists pages (cards, neighbours, the open consultation) paid one query per list. `public()`
here filters the same way from the request's one reading (mieplan_site/requestmemo.py).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet

from mieplan_site.requestmemo import forget, remember

MEMO_KEY = "view_restrictions"


def view_restrictions() -> list[PageViewRestriction]:
    return remember(MEMO_KEY, lambda: list(PageViewRestriction.objects.select_related("page")))


def public(pages: PageQuerySet) -> PageQuerySet:
    """`pages.public()`: the pages outside every private section."""
    private = Q()
    for restriction in view_restrictions():
        private |= pages.descendant_of_q(restriction.page, inclusive=True)
    return pages.exclude(private if private else Q(pk__in=[]))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def forget_view_restrictions(**kwargs) -> None:
    forget(MEMO_KEY)
