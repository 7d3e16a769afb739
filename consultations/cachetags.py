"""The page cache tags consultations own (kinds declared once, see mieplan_site/pagecache.py)."""

from mieplan_site.pagecache import TagKind

RESULTS = TagKind("results")  # a consultation's results: counts, responses, published comments, open data
COMMENTS = TagKind("comments")  # published comments listed under a page, by its translation key (any language)
