"""The page cache tag progress owns (kinds declared once, see mieplan_site/pagecache.py)."""

from django.urls import reverse

from home.origin import public_url
from mieplan_site.pagecache import TagKind

OPEN_DATA_NAMES = ("opendata_progress_csv", "opendata_progress_json", "opendata_progress_history_csv")

# Every published actual: the cards' KPI tables, the overview, the reports and the open data files.
PROGRESS = TagKind("progress", keyed=False, cdn_urls=lambda: [public_url(reverse(name)) for name in OPEN_DATA_NAMES])
