"""What the load balancer asks (/healthz) and what residents see while the database is unreachable."""

import logging
import sqlite3
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mieplan_site.celery import app

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    cache = caches["default"]
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not keep a value")
    return "ok"


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # the embedded default: tasks run in the web process, there is no broker to lose
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the app can take comments (the database answers); cache or broker trouble is `degraded`:
    pages and comments still work without them. 503 takes the server out of the balancer's rotation."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            state = check()
        except Exception as error:  # any failure of a dependency is a result here, not an error
            state = "error"
            logger.warning("health check %s failed: %s", name, error)
        results[name] = {"status": state, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if results["database"]["status"] == "error":
        overall, status = "error", 503
    elif any(result["status"] == "error" for result in results.values()):
        overall, status = "degraded", 200
    else:
        overall, status = "ok", 200
    return JsonResponse({"status": overall, "checks": results}, status=status)


TRY_AGAIN = _("ただいま混み合っています")
TRY_AGAIN_LATER = _("システムが一時的に応答できません。数十秒ほど待ってから、もう一度お試しください。")
NOT_RECEIVED = _(
    "送信した内容はまだ受け付けられていません。受付番号が表示されるまで、もう一度送信してください。"
    "入力した文章は、ブラウザの「戻る」で取り戻せる場合があります。"
)


def plain_error_page(heading: str, paragraphs: list[str], notice: str = "") -> str:
    """An error page that needs neither the database nor a request (no context processors, no queries)."""
    return loader.render_to_string("error_plain.html", {"heading": heading, "paragraphs": paragraphs, "notice": notice})


class DatabaseUnavailableMiddleware:
    """A clear 503 'please try again' page instead of a server error while the database is unreachable."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None  # a query the database refused (a bug): a logged 500, not a "try again" that never works
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        notice = NOT_RECEIVED if request.method == "POST" else ""
        response = HttpResponse(plain_error_page(TRY_AGAIN, [TRY_AGAIN_LATER], notice), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


# SQLite's result codes for a database that is busy or cannot be reached; any other error (SQLITE_ERROR: a
# syntax error, "parser stack overflow") is about the query.
SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_NOMEM")
# PostgreSQL SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections),
# 57 operator intervention (shutdown, restart, statement timeout).
POSTGRES_UNAVAILABLE = ("08", "53", "57")


def database_unavailable(exception: Exception) -> bool:
    """Whether the database could not be reached or was too busy, as opposed to refusing the query."""
    if isinstance(exception, InterfaceError):
        return True  # the connection is closed
    if not isinstance(exception, DatabaseError):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorname", "").startswith(SQLITE_UNAVAILABLE)  # also SQLITE_BUSY_SNAPSHOT …
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate.startswith(POSTGRES_UNAVAILABLE)
    # psycopg's own connection failures carry no SQLSTATE (refused, dropped mid-query: "server closed the
    # connection", sometimes as a plain DatabaseError); so do errors raised without a driver's cause.
    return isinstance(exception, OperationalError) or "connection" in str(exception).lower()
