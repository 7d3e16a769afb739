"""Pagination that reads a page's rows and the total in one query."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

# Beyond this a page number is not worth an OFFSET: Django's own paginator answers it (with the last page).
MAX_DIRECT_PAGE = 10_000


class OneQueryPaginator(Paginator):
    """A `Paginator` over a queryset whose `get_page` counts with a window function on the rows it fetches, so a
    page of comments costs one query instead of a COUNT and a SELECT. Pages past the end and page numbers that are not
    numbers fall back to Django's paginator, which answers them as it always has."""

    object_list: QuerySet

    def get_page(self, number) -> Page:
        try:
            wanted = int(number) if number is not None else 1
        except (TypeError, ValueError):
            wanted = 0
        if 1 <= wanted <= MAX_DIRECT_PAGE:
            start = (wanted - 1) * self.per_page
            rows = list(self.object_list.annotate(_paginator_total=Window(Count("pk")))[start : start + self.per_page])
            if rows:
                self.__dict__["count"] = rows[0]._paginator_total  # Paginator.count is a cached_property
                if self.orphans == 0 or wanted < self.num_pages:
                    return self._get_page(rows, wanted, self)
            elif wanted == 1:  # nothing at all: the count is known
                self.__dict__["count"] = 0
                if self.allow_empty_first_page:
                    return self._get_page([], 1, self)
        return super().get_page(number)
