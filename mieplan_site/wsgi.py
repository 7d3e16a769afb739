import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieplan_site.settings.dev")

django_application = get_wsgi_application()

from mieplan_site.pagecache import FrontCache  # noqa: E402 - needs Django set up

# Stored pages are served before Django runs (mieplan_site/pagecache.py).
application = FrontCache(django_application)
