"""The per-process cache of Wagtail's Site lookup."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from mieplan_site import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_cache(settings):
    settings.SITE_CACHE_SECONDS = 30
    sites._sites.clear()
    yield
    sites._sites.clear()


def site_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for query in queries.captured_queries if "wagtailcore_site" in query["sql"])


def test_site_is_looked_up_once_per_process_not_per_request(client, site_cache):
    site_queries(client, "/ja/search/?q=防災")
    assert site_queries(client, "/ja/search/?q=防災") == 0


def test_editing_a_site_is_seen_at_once_in_this_process(client, site_cache):
    site_queries(client, "/ja/")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "三重県デジタル計画（改）"
    site.save()
    assert site_queries(client, "/ja/") >= 1


def test_without_the_cache_every_request_looks_the_site_up(client, settings):
    settings.SITE_CACHE_SECONDS = 0
    site_queries(client, "/ja/")
    assert site_queries(client, "/ja/") >= 1
