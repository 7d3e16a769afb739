"""/healthz for the load balancer, and the 503 page residents get while the database is unreachable."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings

from consultations.models import Comment
from mieplan_site.celery import app as celery_app
from mieplan_site.health import database_unavailable

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@contextmanager
def database_down() -> Iterator[None]:
    """Every new query fails the way psycopg/sqlite3 fail when the server is gone."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    original = BaseDatabaseWrapper.cursor
    BaseDatabaseWrapper.cursor = refuse
    try:
        yield
    finally:
        BaseDatabaseWrapper.cursor = original


def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert body["checks"]["database"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_database_is_gone(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"


@override_settings(
    CACHES={
        "default": {"BACKEND": "mieplan_site.cache.FailSoftRedisCache", "LOCATION": UNREACHABLE_REDIS},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
)
def test_healthz_is_degraded_not_down_without_the_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200, "pages and comments still work without the cache"
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["status"] == "error"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_is_degraded_not_down_without_the_broker(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", UNREACHABLE_REDIS)
    response = client.get("/healthz")
    assert response.status_code == 200, "comments are stored; beat sends their mail later"
    assert response.json()["checks"]["broker"]["status"] == "error"


def test_reader_gets_a_try_again_page_when_the_database_is_gone(client):
    with database_down():
        response = client.get("/ja/plan/kurashi/1-2/1-2-1/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "もう一度お試しください" in response.content.decode()


def test_resident_is_told_the_comment_was_not_received_when_the_database_is_gone(client, consultation, comment_data):
    data, url = comment_data(), consultation.url + "comment/"
    with database_down():
        response = client.post(url, data)
    assert response.status_code == 503
    text = response.content.decode()
    assert "まだ受け付けられていません" in text
    assert Comment.objects.count() == 0


def test_try_again_page_is_in_the_readers_language(client):
    with database_down():
        response = client.get("/en/")
    assert response.status_code == 503
    assert 'lang="en"' in response.content.decode()
    assert "try again" in response.content.decode().lower()


def test_site_cache_falls_through_to_the_503_page_when_the_database_is_gone(client, settings):
    from mieplan_site import sites

    settings.SITE_CACHE_SECONDS = 30
    sites._sites.clear()
    with database_down():
        response = client.get("/ja/")
    assert response.status_code == 503


def driver_error(make) -> OperationalError:
    """Django's OperationalError with the sqlite3 error `make` raises as its cause, as Django wraps it."""
    try:
        make()
    except sqlite3.Error as error:
        try:
            raise OperationalError(*error.args) from error
        except OperationalError as wrapped:
            return wrapped
    raise AssertionError("no error raised")


def test_a_locked_sqlite_database_is_unavailable_but_a_refused_query_is_not(tmp_path):
    holder = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0)
    assert database_unavailable(driver_error(lambda: waiter.execute("SELECT * FROM t")))
    assert not database_unavailable(driver_error(lambda: waiter.execute("SELEC 1")))
    deep = "(" * 2000 + "1" + ")" * 2000  # what 17 nested search words did to FTS5's parser
    assert not database_unavailable(driver_error(lambda: sqlite3.connect(":memory:").execute(f"SELECT {deep}")))
    holder.close()
    waiter.close()


def test_a_query_the_database_refuses_is_a_500_not_the_busy_page(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise driver_error(lambda: sqlite3.connect(":memory:").execute("SELEC 1"))

    monkeypatch.setattr("search.query.matching_pages", refuse)
    response = Client(raise_request_exception=False).get("/ja/search/", {"q": "防災"})
    assert response.status_code == 500
