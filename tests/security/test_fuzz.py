"""Seeded fuzz and access control: hostile values on every public endpoint and form, every admin URL asked
anonymously, and personal data never in a public answer.

Deterministic (one seed), a few hundred requests per test; the endpoints come from walking the URLconf and the
live page tree, so new routes and pages are fuzzed without being listed. `FUZZ_REPORT=path` writes the request
count, answers by status and p99 latency as JSON (docs/SECURITY.md quotes a run).
"""

import json
import os
import random
import time
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from consultations.models import Comment
from consultations.services import change_state
from tests.periods import publish_results
from tests.security.hostile import MARKUP, SQL, assert_harmless, content, tolerant_client
from tests.security.urlconf import fill, routable_page_routes, url_routes

pytestmark = pytest.mark.django_db

SEED = 18
# Raw (already percent-encoded) values: what a broken or hostile client can put on the wire.
RAW_VALUES = [
    "%00",
    "a%00b",
    "%ff%fe",
    "%c0%af",
    "%ed%a0%80",  # a UTF-16 surrogate encoded as UTF-8
    "%e9%98",  # a truncated character
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/manage.py",
    "9223372036854775808",
    "-9223372036854775809",
    "-1",
    "0",
    "1e400",
    "nan",
    "9" * 5000,
    "%1b%5b2J",
    "%0d%0aSet-Cookie:%20x=1",
]
TEXT_VALUES = [*MARKUP.values(), *SQL.values(), "あ" * 5000, "\U0001f600" * 50, "{{ 7*7 }}", "${7*7}", "' || '"]
VALUES = RAW_VALUES + [quote(value) for value in TEXT_VALUES]
PARAMETERS = ["q", "page", "area", "department", "comments", "part", "item", "fmt", "next", "lang", "x"]
WRONG_METHODS = ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"]

stats: dict[str, list] = {"status": [], "ms": []}


def record(response, started: float):
    stats["status"].append(response.status_code)
    stats["ms"].append((time.perf_counter() - started) * 1000)
    return response


def timed(web: Client, method: str, url: str, **kwargs):
    started = time.perf_counter()
    return record(web.generic(method, url, **kwargs), started)


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if path := os.environ.get("FUZZ_REPORT"):
        ms = sorted(stats["ms"])
        summary = {
            "requests": len(ms),
            "by_status": dict(sorted(Counter(stats["status"]).items())),
            "p50_ms": round(ms[len(ms) // 2], 1) if ms else None,
            "p99_ms": round(ms[int(len(ms) * 0.99)], 1) if ms else None,
        }
        with open(path, "w") as out:
            json.dump(summary, out, indent=1)


@pytest.fixture
def results_published(consultation):
    publish_results(consultation)
    return consultation


def public_get_urls(consultation) -> list[str]:
    """Every public URLconf route and consultation route (parameters filled in), and a sample of live pages."""
    urls = []
    for route, _pattern in url_routes():
        if route.startswith("admin/") or "(" in route:
            continue
        urls.append("/" + fill(route, "1"))
    for _model, route in routable_page_routes():
        urls.append(consultation.url + fill(route.replace("<str:fmt>", "csv"), str(consultation.pk)))
    pages = Page.objects.live().filter(depth__gt=1).order_by("path")
    sample = random.Random(SEED).sample(list(pages), 24)
    return sorted(set(urls) | {page.url for page in sample if page.url})


def test_hostile_query_strings_on_every_public_get_endpoint(results_published):
    rng = random.Random(SEED)
    web = tolerant_client()
    urls = public_get_urls(results_published)
    assert len(urls) > 30
    for url in urls:
        for _try in range(4):
            names = rng.sample(PARAMETERS, 2)
            query = "&".join(f"{name}={rng.choice(VALUES)}" for name in names + names[:1])  # one key repeated
            response = timed(web, "GET", f"{url}?{query}")
            assert_harmless(response)
            assert "Set-Cookie: x" not in str(response.headers)


def test_hostile_paths_and_wrong_methods_on_every_public_endpoint(results_published):
    rng = random.Random(SEED + 1)
    web = tolerant_client()
    for url in public_get_urls(results_published):
        assert_harmless(timed(web, "GET", url.rstrip("/") + "/" + rng.choice(RAW_VALUES) + "/"))
        response = timed(web, rng.choice(WRONG_METHODS), url, data=b"a=1", content_type="text/plain")
        assert response.status_code == 405, url


def form_urls(consultation) -> dict[str, str]:
    return {
        "comment": f"/ja/comments/{consultation.pk}/",
        "comment-page": consultation.url + "comment/",
        "status": consultation.url + "status/",
        "sign-in": "/ja/_util/login/",
        "admin-sign-in": "/admin/login/",
        "search": "/en/search/",
    }


BODIES = {
    "form": "application/x-www-form-urlencoded",
    "json": "application/json",
    "xml": "application/xml",
    "multipart-without-boundary": "multipart/form-data",
    "text": "text/plain; charset=utf-16",
    "none": "",
}


def test_hostile_values_in_every_public_form(consultation, comment_data):
    rng = random.Random(SEED + 2)
    web = tolerant_client()
    fields = [*comment_data(), "receipt_number", "email_or_secret", "username", "password", "otp_token", "next"]
    for url in form_urls(consultation).values():
        for _try in range(30):
            data = {field: comment_data()[field] for field in comment_data()}
            for field in rng.sample(fields, 3):
                data[field] = rng.choice(TEXT_VALUES)
            body = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in data.items())
            body += "&" + "&".join(f"{field}={rng.choice(RAW_VALUES)}" for field in rng.sample(fields, 2))
            kind = rng.choice(list(BODIES))
            payload = body.encode() if kind == "form" else body.encode() * rng.choice([1, 50])
            response = timed(web, "POST", url, data=payload, content_type=BODIES[kind])
            assert_harmless(response)
        oversized = b"body=" + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        assert timed(web, "POST", url, data=oversized, content_type=BODIES["form"]).status_code in (400, 403, 405)
    assert not any("\x00" in comment.body + comment.name for comment in Comment.objects.all())


def admin_urls() -> list[str]:
    urls = {"/" + fill(route, "1") for route, _pattern in url_routes() if route.startswith("admin/")}
    return sorted(url for url in urls if "(" not in url)


# The admin pages meant for people who are not signed in.
ADMIN_PUBLIC = ("/admin/login/", "/admin/logout/", "/admin/password_reset/", "/admin/jsi18n/", "/admin/sprite/")


def test_every_admin_url_answers_anonymous_visitors_with_sign_in_or_refusal():
    web = tolerant_client()
    urls = admin_urls()
    assert len(urls) > 200
    answered = []
    for url in urls:
        response = timed(web, "GET", url)
        if url.startswith(ADMIN_PUBLIC) and response.status_code < 500:
            continue
        redirect = response.status_code in (301, 302) and response["Location"].startswith(("/admin/login/", url))
        if not redirect and response.status_code not in (400, 403, 404, 405):
            answered.append((url, response.status_code))
    assert answered == []


def test_personal_data_is_never_in_a_public_answer(client, consultation, comment_data, moderator):
    name, email = "秘密野 花子", "hanako.private@example.jp"
    response = client.post(
        f"/ja/comments/{consultation.pk}/", comment_data(name=name, email=email, publication="anonymous")
    )
    assert response.status_code == 302
    change_state(Comment.objects.all(), "published", moderator)
    comment = Comment.objects.get()
    publish_results(consultation)
    results_published = consultation
    web = tolerant_client()
    answers = [web.get(url) for url in public_get_urls(results_published)]
    answers.append(web.get(results_published.url + "results/opendata/json/"))
    assert comment.body in b"".join(content(a) for a in answers).decode("utf-8", "replace")  # it is public
    for answer in answers:
        text = content(answer).decode("utf-8", "replace")
        assert name not in text and email not in text and comment.client_key not in text
