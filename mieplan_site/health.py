"""What the load balancer asks (/healthz) and what residents see while the database is unreachable."""

import logging
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
        if not isinstance(exception, OperationalError | InterfaceError) and not database_gone(exception):
            return None
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        notice = NOT_RECEIVED if request.method == "POST" else ""
        response = HttpResponse(plain_error_page(TRY_AGAIN, [TRY_AGAIN_LATER], notice), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def database_gone(exception: Exception) -> bool:
    """psycopg reports a dropped connection mid-query as a plain DatabaseError on some paths."""
    return isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
