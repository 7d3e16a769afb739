"""Every response carries the security headers: a strict CSP for residents, a workable one for the admin."""

import re
from pathlib import Path

import pytest

from mieplan_site.security import ADMIN_CSP, PUBLIC_CSP

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def csp(response) -> dict[str, set[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def assert_strict_public_csp(response) -> None:
    policy = csp(response)
    assert policy == {name: set(sources) for name, sources in PUBLIC_CSP.items()}
    assert policy["script-src"] == {"'self'"}
    assert policy["style-src"] == {"'self'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["object-src"] == {"'none'"}
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/ja/", "/ja/plan/kurashi/1-1/1-1/", "/en/", "/robots.txt", "/opendata/kpis.json"])
def test_public_responses_carry_the_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_common_headers(response)
    assert_strict_public_csp(response)


def test_search_page_carries_the_strict_policy(client):
    response = client.get("/ja/search/", {"q": "防災"})
    assert response.status_code == 200
    assert_common_headers(response)
    assert_strict_public_csp(response)


def test_not_found_page_carries_the_strict_policy(client):
    response = client.get("/ja/plan/no-such-card/")
    assert response.status_code == 404
    assert_common_headers(response)
    assert_strict_public_csp(response)


def test_language_redirect_carries_the_headers_too(client):
    response = client.get("/")
    assert response.status_code == 302
    assert_common_headers(response)
    assert csp(response) == {name: set(sources) for name, sources in PUBLIC_CSP.items()}


def test_admin_login_page_gets_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_common_headers(response)
    policy = csp(response)
    assert policy == {name: set(sources) for name, sources in ADMIN_CSP.items()}
    # Still our origin only, and the admin may frame itself for the live preview, nobody else may.
    assert policy["default-src"] == {"'self'"}
    assert policy["connect-src"] == {"'self'"}
    assert policy["frame-ancestors"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert response["X-Frame-Options"] == "DENY"


def test_a_policy_set_by_the_view_is_kept(client, editor, tmp_path, settings):
    # Wagtail serves documents with its own `default-src 'none'`: the middleware must not loosen it.
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(title="t", file=ContentFile(b"plain text", name="note.txt"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_public_templates_have_no_inline_script_or_style():
    # The public CSP allows no inline code: a <script> without src, a <style> or a style= attribute would be
    # blocked in the browser (and event handler attributes with it).
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (inline_script, re.compile(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {pattern.search(text).group(0)}")
    assert offenders == []


def test_page_preview_in_the_admin_gets_the_admin_policy(client, django_user_model, card):
    # Wagtail renders the public page through the middleware on a dummy request first; the admin's own policy
    # must still win, or the preview frame would be refused by the public `frame-ancestors 'none'`.
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    response = client.get(f"/admin/pages/{card('3-1').pk}/view_draft/")
    assert response.status_code == 200
    assert csp(response) == {name: set(sources) for name, sources in ADMIN_CSP.items()}
