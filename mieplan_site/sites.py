"""Wagtail looks up the Site of every request with a database query; the answer almost never changes.

`CachedSiteMiddleware` keeps the answer per host and port in the process for SITE_CACHE_SECONDS (0: off) and
hands it to Wagtail through the attribute Wagtail itself caches it in. Editing a Site clears this process's
copy at once; other processes pick the change up within SITE_CACHE_SECONDS.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Site

_sites: dict[tuple[str, str], tuple[float, Site | None]] = {}


class CachedSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.SITE_CACHE_SECONDS
        if seconds > 0:
            key = (split_domain_port(request._get_raw_host())[0], request.get_port())
            found = _sites.get(key)
            if found is None or found[0] < time.monotonic():
                try:
                    found = (time.monotonic() + seconds, Site._find_for_request(request))
                except DatabaseError:  # the view meets it again and answers 503 (mieplan_site/health.py)
                    return self.get_response(request)
                _sites[key] = found
            request._wagtail_site = found[1]
        return self.get_response(request)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def forget_sites(**kwargs) -> None:
    _sites.clear()
