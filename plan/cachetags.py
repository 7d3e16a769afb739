"""The page cache tags plan owns (kinds declared once, see mieplan_site/pagecache.py)."""

from django.urls import reverse

from home.origin import public_url
from mieplan_site.pagecache import TagKind

DEPARTMENT = TagKind("dept")  # one department's name, shown on its cards
DEPARTMENTS = TagKind("departments", keyed=False)  # the list of departments (the search page's filter)
KPIS = TagKind(  # every KPI row: the open data files
    "kpis",
    keyed=False,
    cdn_urls=lambda: [public_url(reverse("opendata_kpis_json")), public_url(reverse("opendata_kpis_csv"))],
)
