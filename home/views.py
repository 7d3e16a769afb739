from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from home.origin import public_url
from mieplan_site.health import plain_error_page


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = public_url(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /documents/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page links; the vendored icon, not a 404."""
    path = finders.find("icons/favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")


def error_page(request: HttpRequest, status: int, heading: str, paragraphs: list[str], **context) -> HttpResponse:
    context = {"heading": heading, "paragraphs": paragraphs, **context}
    return HttpResponse(loader.render_to_string("error.html", context, request=request), status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    paragraphs = [_("お探しのページは移動または削除されたか、アドレスが間違っている可能性があります。")]
    return error_page(request, 404, _("ページが見つかりません"), paragraphs, search_link=True)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    paragraphs = [
        _(
            "送信された内容が大きすぎるか、正しくない形式でした。"
            "入力内容を短くするか、ページを開き直してから、もう一度お試しください。"
        )
    ]
    return error_page(request, 400, _("リクエストを処理できませんでした"), paragraphs)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, _("このページは表示できません"), [_("このページを表示する権限がありません。")])


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    paragraphs = [
        _(
            "安全のため、しばらく操作がなかった画面からは送信できません。"
            "お手数ですが、入力した内容をコピーしてから、前の画面を開き直して、もう一度送信してください。"
        ),
        _("ブラウザーでCookieを無効にしている場合は、有効にしてください。"),
    ]
    return error_page(request, 403, _("画面の有効期限が切れました"), paragraphs)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever broke (the database, a template tag) must not break this page too.
    paragraphs = [
        _(
            "システムで一時的な問題が起きています。入力した内容が送信されていない場合があります。"
            "しばらく待ってから、もう一度お試しください。"
        )
    ]
    return HttpResponseServerError(plain_error_page(_("ただいま表示できません"), paragraphs))
