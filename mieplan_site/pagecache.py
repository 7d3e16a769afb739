"""Full-page cache for anonymous readers, purged by tag the moment what a page shows changes.

Two halves, like a CDN in front of an origin:

* `PageCacheMiddleware` (Django, outermost) marks a response cacheable: a GET for an anonymous reader that
  rendered no CSRF token, set no cookie and is not private. It carries the response's *tags* — what the page
  shows, e.g. ``page:12`` for a card and its area, ``dept:<key>`` for a department — in internal headers.
* `FrontCache` (WSGI, wraps Django in `mieplan_site/wsgi.py`) serves stored responses without entering Django
  at all, and stores the marked ones. An entry remembers each tag's token at store time; purging a tag gives it
  a new token, so every entry showing it becomes a miss (one write per tag, however many pages show it).

What purges what is declared once: each kind of tag is a `TagKind` (its spelling lives only there, in the app
that owns the thing), each page type and each model registered with `purge_on_change` says in its
`purge_tags()` what changing it invalidates, and the apps register the moments their pages change by themselves
(`expires_at`: a consultation opening). This module imports none of the apps.

Purges run after the transaction commits (`purge`), so a reader can never re-cache the old text after it.
A render that overlaps a purge is not stored (the generation token changed meanwhile). When the cache is
unreachable the site serves uncached pages: `FrontCache` stops asking for a few seconds after a failure.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from mieplan_site import frontend

logger = logging.getLogger(__name__)

TAGS_HEADER = "X-Mieplan-Cache-Tags"
TTL_HEADER = "X-Mieplan-Cache-TTL"
STATUS_HEADER = "X-Page-Cache"  # hit / miss, for operators and tests
GENERATION_KEY = "pagecache:generation"
# Requests carrying these cookies may see something personal (an editor's session, a flash message).
PERSONAL_COOKIES = ("sessionid", "messages")
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/healthz")
OUTAGE_PAUSE_SECONDS = 5.0


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def tag_key(tag: str) -> str:
    return "pagecache:tag:" + tag


# --- what a response shows ----------------------------------------------------------------------------------


def add_tags(request: HttpRequest, tags: Iterable[str]) -> None:
    """Record what this response shows; only tagged responses are ever stored."""
    existing: set[str] = getattr(request, "page_cache_tags", set())
    request.page_cache_tags = existing | set(tags)


# --- the registry: tag kinds, models that purge, moments pages change by themselves ---------------------------


class TagKind:
    """One kind of tag, spelled here only: `PAGE(12)` is "page:12", `KPIS()` (a kind without keys) is "kpis".

    `cdn_urls` gives the absolute URLs a CDN must purge for such a tag besides the pages (open data files).
    """

    kinds: dict[str, "TagKind"] = {}

    def __init__(self, name: str, keyed: bool = True, cdn_urls: Callable[[], list[str]] | None = None) -> None:
        if cdn_urls and keyed:
            raise ImproperlyConfigured("only a tag kind without keys names fixed CDN URLs")
        if name in TagKind.kinds:
            raise ImproperlyConfigured(f"page cache tag kind {name!r} is declared twice")
        TagKind.kinds[name] = self
        self.name = name
        self.keyed = keyed
        self.cdn_urls = cdn_urls

    def __call__(self, key: object = None) -> str:
        if self.keyed == (key is None):
            raise TypeError(f"tag kind {self.name!r} {'needs' if self.keyed else 'takes no'} key")
        return f"{self.name}:{key}" if self.keyed else self.name

    def keys_in(self, tags: Iterable[str]) -> list[str]:
        prefix = self.name + ":"
        return [tag[len(prefix) :] for tag in tags if tag.startswith(prefix)]

    def __repr__(self) -> str:
        return f"TagKind({self.name!r})"


# Every page type: itself, its translations (language switcher), its locale (header, footer, comment links) and
# the locale's search results.
PAGE = TagKind("page")
TRANSLATION = TagKind("tr")
LOCALE = TagKind("locale")
SEARCH = TagKind("search")


def purge_on_change(model: type[models.Model]) -> None:
    """Purge `instance.purge_tags()` whenever an instance of `model` is saved or deleted (for what pages show
    but is not a page: departments, comments). Apps call it from their AppConfig.ready()."""
    label = model._meta.label
    post_save.connect(purge_changed_object, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(purge_changed_object, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def purge_changed_object(sender, instance, **kwargs) -> None:
    purge(instance.purge_tags())


_moment_sources: list[Callable[[], Iterable[datetime]]] = []


def expires_at(source: Callable[[], Iterable[datetime]]) -> None:
    """Register a function giving the moments at which pages change by themselves (a consultation opens or
    closes and every comment link changes): no stored page outlives the next one."""
    if source not in _moment_sources:
        _moment_sources.append(source)


_moments: tuple[float, list] = (0.0, [])  # (valid until, the registered moments)
MOMENTS_SECONDS = 10.0


def change_moments() -> list[datetime]:
    """The registered moments, re-read every few seconds rather than per render."""
    global _moments
    if _moments[0] < time.monotonic():
        _moments = (time.monotonic() + MOMENTS_SECONDS, [moment for source in _moment_sources for moment in source()])
    return _moments[1]


def seconds_until_next_change() -> int:
    """A page must not outlive the next registered moment."""
    now = timezone.now()
    upcoming = [moment for moment in change_moments() if moment > now]
    ttl = settings.PAGE_CACHE_SECONDS
    if upcoming:
        ttl = min(ttl, int((min(upcoming) - now).total_seconds()))
    return max(ttl, 0)


class PageCacheMiddleware:
    """Marks anonymous, tagged, cookie-free GET responses as storable by `FrontCache`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tags = getattr(request, "page_cache_tags", None)
        if tags and enabled() and self.storable(request, response):
            try:
                ttl = seconds_until_next_change()
            except DatabaseError:  # the database went away after the page rendered: serve it, don't store it
                ttl = 0
            if ttl > 0:
                response[TAGS_HEADER] = " ".join(sorted(tags))
                response[TTL_HEADER] = str(ttl)
                if frontend.configured():  # a CDN may keep it briefly; it is purged by URL on publish
                    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.FRONTEND_CACHE_SECONDS)
                else:  # browsers revalidate; only our own cache keeps the page
                    patch_cache_control(response, no_cache=True)
        return response

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # a CSRF token or a cookie in the page is one reader's, never everyone's
        if any(name in request.COOKIES for name in PERSONAL_COOKIES):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if getattr(request, "is_preview", False):
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("private", "no-store"))


# --- purging ------------------------------------------------------------------------------------------------


def purge(tags: Iterable[str]) -> None:
    """Invalidate every stored page showing any of these tags, once the current transaction commits."""
    tags = set(tags)
    if tags and enabled():
        transaction.on_commit(lambda: purge_now(tags))


def purge_now(tags: Iterable[str]) -> None:
    global _moments
    _local.clear()  # this process at once; the others within PAGE_CACHE_LOCAL_SECONDS
    _moments = (0.0, [])
    tokens = {tag_key(tag): secrets.token_hex(8) for tag in tags}
    tokens[GENERATION_KEY] = secrets.token_hex(8)
    try:
        page_cache().set_many(tokens, timeout=None)
    except Exception:  # the cache is down: it serves nothing stale while down, and Redis restarts empty
        logger.warning("page cache purge failed for %d tags", len(tokens) - 1, exc_info=True)
        return
    if frontend.configured():
        cdn_kinds = [kind for kind in TagKind.kinds.values() if kind.cdn_urls and kind.name in tags]
        urls = [url for kind in cdn_kinds for url in kind.cdn_urls()]
        frontend.purge({int(pk) for pk in PAGE.keys_in(tags)}, urls)


# --- the WSGI front -----------------------------------------------------------------------------------------


@dataclass
class Entry:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    tokens: dict[str, str]


def entry_key(environ: dict) -> str:
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    url = "{}://{}{}{}?{}".format(
        scheme,
        environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
    )
    return "pagecache:entry:" + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


def eligible(environ: dict) -> bool:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("PATH_INFO", "").startswith(UNCACHED_PREFIXES):
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not any(name + "=" in cookies for name in PERSONAL_COOKIES)


class LocalEntries:
    """A per-process copy of recently served entries, kept for PAGE_CACHE_LOCAL_SECONDS.

    When a page goes viral every worker asks Redis for the same bytes thousands of times a second; this keeps
    them for a fraction of a second instead. A purge clears it in the purging process at once; the other
    processes serve at most that fraction of a second longer.
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self.entries: dict[str, tuple[float, Entry]] = {}

    def get(self, key: str) -> Entry | None:
        found = self.entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: str, entry: Entry) -> None:
        seconds = settings.PAGE_CACHE_LOCAL_SECONDS
        if seconds <= 0:
            return
        if len(self.entries) >= self.MAX_ENTRIES:
            self.entries.clear()
        self.entries[key] = (time.monotonic() + seconds, entry)

    def clear(self) -> None:
        self.entries.clear()


_local = LocalEntries()


class FrontCache:
    """Serves stored pages before Django runs; stores the pages Django marked as storable."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.paused_until = 0.0

    def __call__(self, environ: dict, start_response: Callable):
        if not enabled() or not eligible(environ):
            return self.app(environ, start_response)
        key = entry_key(environ)
        entry = _local.get(key)
        if entry is None:
            if time.monotonic() < self.paused_until:
                return self.app(environ, start_response)
            try:
                entry = self.lookup(key)
                generation = None if entry else page_cache().get(GENERATION_KEY)
            except Exception:
                self.pause()
                return self.app(environ, start_response)
            if entry is None:
                return self.render_and_store(environ, start_response, key, generation)
            _local.put(key, entry)
        start_response(entry.status, [*entry.headers, (STATUS_HEADER, "hit")])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def pause(self) -> None:
        logger.warning("page cache unreachable; serving uncached for %s s", OUTAGE_PAUSE_SECONDS, exc_info=True)
        self.paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS

    @staticmethod
    def lookup(key: str) -> Entry | None:
        cache = page_cache()
        entry = cache.get(key)
        if entry is None:
            return None
        current = cache.get_many(list(entry.tokens))
        return entry if current == entry.tokens else None

    def render_and_store(self, environ: dict, start_response: Callable, key: str, generation: str | None):
        seen: dict = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            internal = {name.lower(): value for name, value in headers if name.lower().startswith("x-mieplan-cache")}
            public = [(name, value) for name, value in headers if not name.lower().startswith("x-mieplan-cache")]
            seen.update(status=status, headers=public, internal=internal)
            return start_response(status, [*public, (STATUS_HEADER, "miss")], exc_info)

        result = self.app(environ, capture)
        tags = seen.get("internal", {}).get(TAGS_HEADER.lower())
        if not tags or environ["REQUEST_METHOD"] != "GET":
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        ttl = int(seen["internal"].get(TTL_HEADER.lower(), "0"))
        try:
            self.store(key, Entry(seen["status"], seen["headers"], body, {}), tags.split(), ttl, generation)
        except Exception:
            self.pause()
        return [body]

    @staticmethod
    def store(key: str, entry: Entry, tags: list[str], ttl: int, generation: str | None) -> None:
        cache = page_cache()
        keys = [tag_key(tag) for tag in tags]
        current = cache.get_many([*keys, GENERATION_KEY])
        if current.get(GENERATION_KEY) != generation:
            return  # something was purged while this page rendered: it may show the old text
        for missing in set(keys) - set(current):
            token = secrets.token_hex(8)
            cache.add(missing, token, timeout=None)
            current[missing] = cache.get(missing)
        entry.tokens = {k: current[k] for k in keys}
        if None not in entry.tokens.values():
            cache.set(key, entry, timeout=ttl)
