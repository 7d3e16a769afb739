"""Hostile values and what a harmless answer looks like, shared by the hostile-input and fuzz tests."""

import re

from django.test import Client

MARKUP = {
    "script-tag": "<script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
}
# What the payloads look like when they would run: a live tag, or a URL attribute starting with javascript:.
LIVE_MARKUP = re.compile(
    r"<script>alert|<img src=x|\"><img|(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE
)
SQL = {
    "or-1-eq-1": "' OR 1=1 --",
    "percent": "%",
    "underscore": "_",
    "backslash": "\\",
    "drop-table": "'; DROP TABLE consultations_comment; --",
    "double-quote": '"',
    "full-text-syntax": 'NEAR("a" b*) AND -c:',
}
# What a leaked file would contain: /etc/passwd, manage.py, the SQLite database, the settings.
FILE_CONTENTS = [b"root:x:0:0", b"DJANGO_SETTINGS_MODULE", b"SQLite format 3", b"SECRET_KEY"]


def tolerant_client() -> Client:
    """A client that returns the 500 page instead of raising, so a crash shows up as a status code."""
    return Client(raise_request_exception=False)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_harmless(response) -> str:
    """No server error, no payload that would run, no traceback; the text of the answer."""
    assert response.status_code < 500
    text = content(response).decode("utf-8", "replace")
    live = LIVE_MARKUP.search(text)
    assert live is None, f"unescaped {live.group(0)!r}"
    assert "Traceback" not in text
    return text
