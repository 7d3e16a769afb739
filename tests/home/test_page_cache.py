"""The page cache in front of Django: what is stored, what is never stored, and what a change purges."""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from consultations.choices import CommentState
from consultations.models import Comment
from consultations.services import change_state
from mieplan_site import pagecache
from plan.models import AreaPage, Department

CARD_PATH = "/ja/plan/kurashi/1-2/1-2-1/"
OTHER_AREA_CARD = "3-1"


@contextmanager
def same_connection() -> Iterator[None]:
    """Like Django's test client: keep the test's transaction open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Fetched:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.text = body.decode()

    @property
    def cache(self) -> str | None:
        return self.headers.get("x-page-cache")


@pytest.fixture
def fetch(db):
    """GET through the same WSGI stack gunicorn runs: FrontCache around Django."""
    caches["pages"].clear()
    pagecache._local.clear()
    app = pagecache.FrontCache(WSGIHandler())

    def get(path: str, method: str = "GET", **headers) -> Fetched:
        environ = RequestFactory().generic(method, path, **headers).environ
        environ["wsgi.input"] = io.BytesIO(b"")
        seen = {}

        def start_response(status, response_headers, exc_info=None):
            seen.update(status=status, headers=response_headers)

        with same_connection():
            result = app(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        return Fetched(seen["status"], seen["headers"], body)

    yield get
    caches["pages"].clear()
    pagecache._local.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the code under test does on commit (the purges) as a real commit would."""

    @contextmanager
    def committed():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return committed


def test_second_anonymous_read_is_served_from_the_cache(fetch):
    first = fetch(CARD_PATH)
    second = fetch(CARD_PATH)
    assert (first.status_code, first.cache) == (200, "miss")
    assert (second.status_code, second.cache) == (200, "hit")
    assert second.text == first.text
    assert not any(name.startswith("x-mieplan-cache") for name in second.headers), "internal headers leak"


def test_a_purge_by_another_process_reaches_this_one_within_the_local_copys_lifetime(fetch, card, settings):
    import time

    settings.PAGE_CACHE_LOCAL_SECONDS = 0.3
    fetch(CARD_PATH)
    fetch(CARD_PATH)  # now also in this process's local copy
    # Another app server purges the card: only the shared cache changes, this process is not told.
    caches["pages"].set(pagecache.tag_key(f"page:{card('1-2-1').pk}"), "purged-elsewhere", timeout=None)
    assert fetch(CARD_PATH).cache == "hit", "served from the local copy for a fraction of a second"
    time.sleep(0.35)
    assert fetch(CARD_PATH).cache == "miss"


def test_cached_page_keeps_security_headers(fetch):
    fetch(CARD_PATH)
    hit = fetch(CARD_PATH)
    assert hit.cache == "hit"
    assert hit.headers["x-content-type-options"] == "nosniff"
    assert hit.headers["x-frame-options"] == "DENY"


def test_head_request_is_answered_from_the_cache_without_a_body(fetch):
    fetch(CARD_PATH)
    head = fetch(CARD_PATH, method="HEAD")
    assert (head.cache, head.text) == ("hit", "")


def test_signed_in_editor_bypasses_the_cache(fetch):
    fetch(CARD_PATH)
    editor_view = fetch(CARD_PATH, HTTP_COOKIE="sessionid=abc")
    assert editor_view.status_code == 200
    assert editor_view.cache is None


def test_comment_form_with_csrf_token_is_never_stored(fetch, consultation, card):
    path = consultation.url + f"comment/?page={card('1-2-1').pk}&part=whole"
    first = fetch(path)
    second = fetch(path)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.text
    assert second.cache == "miss"
    assert "set-cookie" in second.headers


def test_comment_posted_after_reading_a_cached_card_is_accepted(fetch, client, consultation, comment_data):
    """A cached page never carries a CSRF token; the form fetched from it has the reader's own."""
    fetch(CARD_PATH)
    assert fetch(CARD_PATH).cache == "hit"
    client_with_csrf = type(client)(enforce_csrf_checks=True)
    form = client_with_csrf.get(consultation.url + "comment/")
    token = form.context["csrf_token"]
    response = client_with_csrf.post(consultation.url + "comment/", comment_data(csrfmiddlewaretoken=str(token)))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_search_page_is_cached_per_query(fetch):
    fetch("/ja/search/?q=防災")
    assert fetch("/ja/search/?q=防災").cache == "hit"
    assert fetch("/ja/search/?q=テレワーク").cache == "miss"


def test_publishing_a_kpi_change_purges_card_area_and_open_data_only(fetch, card, commit):
    target = card("1-2-1")
    area = AreaPage.objects.get(locale__language_code="ja", number=1)
    other = card(OTHER_AREA_CARD)
    paths = [CARD_PATH, area.url, "/opendata/kpis.json", other.url, "/ja/"]
    for path in paths:
        fetch(path)
    assert all(fetch(path).cache == "hit" for path in paths)

    revision_page = target.get_latest_revision_as_object()
    rows = list(revision_page.kpis.all())
    rows[0].target = "新しい目標値 123"
    revision_page.kpis = rows
    with commit():
        revision_page.save_revision().publish()

    card_now, area_now, data_now = fetch(CARD_PATH), fetch(area.url), fetch("/opendata/kpis.json")
    assert card_now.cache == "miss" and "新しい目標値 123" in card_now.text
    assert area_now.cache == "miss"
    assert data_now.cache == "miss" and "新しい目標値 123" in data_now.text
    assert fetch(other.url).cache == "hit", "a card in another area is unrelated"
    assert fetch("/ja/").cache == "hit", "the home page lists areas, not cards"


def test_publishing_a_translation_purges_the_language_switcher_of_every_version(fetch, card, commit):
    from wagtail.models import Locale

    ja_card = card("1-2-1")
    other = card(OTHER_AREA_CARD)
    fetch(CARD_PATH)
    fetch(other.url)
    en_card = ja_card.get_translation(Locale.objects.get(language_code="en"))
    with commit():
        en_card.save_revision().publish()
    assert fetch(CARD_PATH).cache == "miss"
    assert fetch(other.url).cache == "hit"


def test_renaming_a_department_purges_the_cards_that_show_it(fetch, card, commit):
    target = card("1-2-1")
    department = target.departments()[0]
    unrelated = next(
        c
        for c in type(target).objects.filter(locale=target.locale)
        if department.pk not in {d.pk for d in c.departments()} and c.get_parent().get_parent().pk != area_of(target)
    )
    fetch(CARD_PATH)
    fetch(unrelated.url)
    with commit():
        department.name = "デジタル推進局（改称）"
        department.save()
    renamed = fetch(CARD_PATH)
    assert renamed.cache == "miss" and "デジタル推進局（改称）" in renamed.text
    assert fetch(unrelated.url).cache == "hit"


def area_of(page) -> int:
    return page.get_parent().get_parent().pk


def test_publishing_a_comment_purges_its_card_but_a_new_arrival_does_not(
    fetch, card, client, consultation, comment_data, commit, admin_user
):
    target = card("1-2-1")
    fetch(CARD_PATH)
    body = "キャッシュの確認のための意見です。"
    with commit():
        client.post(
            consultation.url + "comment/", comment_data(page=str(target.pk), part="whole", item=None, body=body)
        )
    comment = Comment.objects.get(body=body)
    assert fetch(CARD_PATH).cache == "hit", "a comment waiting for moderation changes no public page"

    with commit():
        change_state(Comment.objects.filter(pk=comment.pk), CommentState.PUBLISHED, admin_user)
    shown = fetch(CARD_PATH)
    assert shown.cache == "miss" and body in shown.text


def test_purge_during_a_render_is_not_overwritten_by_the_old_page(fetch, monkeypatch):
    """A page rendered before a purge and stored after it would show the old text until the TTL."""
    original = pagecache.FrontCache.store

    def store_after_a_purge(key, entry, tags, ttl, generation):
        pagecache.purge_now({"page:0"})
        original(key, entry, tags, ttl, generation)

    monkeypatch.setattr(pagecache.FrontCache, "store", staticmethod(store_after_a_purge))
    fetch(CARD_PATH)
    monkeypatch.setattr(pagecache.FrontCache, "store", staticmethod(original))
    assert fetch(CARD_PATH).cache == "miss"


def test_cache_outage_serves_pages_uncached(fetch, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache.FrontCache, "lookup", staticmethod(unreachable))
    page = fetch(CARD_PATH)
    assert page.status_code == 200 and page.cache is None
    assert "1-2-1" in page.text


def test_page_expires_when_the_consultation_closes(consultation, db):
    from datetime import timedelta

    from django.utils import timezone

    consultation.closes_at = timezone.now() + timedelta(seconds=90)
    consultation.save_revision().publish()
    pagecache.purge_now({f"page:{consultation.pk}"})  # what the publish does on commit
    assert 0 < pagecache.seconds_until_next_change() <= 90


def test_department_model_names_its_tags(db):
    department = Department.objects.first()
    assert f"dept:{department.translation_key}" in department.purge_tags()


def test_purging_personal_data_purges_the_card_that_showed_the_name(
    fetch, card, client, consultation, comment_data, commit, admin_user
):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import ConsultationPage
    from consultations.services import purge_personal_data

    body = "名前付きで公開される意見です。"
    data = comment_data(page=str(card("1-2-1").pk), part="whole", item=None, body=body, name="三重 花子")
    with commit():
        client.post(consultation.url + "comment/", data)
        change_state(Comment.objects.filter(body=body), CommentState.PUBLISHED, admin_user)
    assert "三重 花子" in fetch(CARD_PATH).text
    assert fetch(CARD_PATH).cache == "hit"

    now = timezone.now()
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=240),
        closes_at=now - timedelta(days=200),
        results_published=True,
        results_published_at=now - timedelta(days=100),
    )
    with commit():
        purge_personal_data(timedelta(days=90))
    after = fetch(CARD_PATH)
    assert after.cache == "miss"
    assert "三重 花子" not in after.text and body in after.text


@pytest.fixture
def purge_listener():
    """A stand-in for Varnish: records the PURGE requests wagtail.contrib.frontend_cache sends it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self) -> None:
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_cdn_in_front_is_purged_by_url_and_may_keep_pages_briefly(fetch, card, commit, settings, purge_listener):
    location, received = purge_listener
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    settings.FRONTEND_CACHE_SECONDS = 60
    first = fetch(CARD_PATH)
    assert "s-maxage=60" in first.headers["cache-control"] and "max-age=0" in first.headers["cache-control"]

    target = card("1-2-1")
    with commit():
        target.save_revision().publish()
    area = target.get_parent().get_parent()
    assert CARD_PATH in received
    assert CARD_PATH.replace("/ja/", "/ja-easy/", 1) in received, "やさしい日本語 is the same page under its own URL"
    assert area.url in received, "the area page lists the card"
    assert "/opendata/kpis.json" in received
    assert card(OTHER_AREA_CARD).url not in received
