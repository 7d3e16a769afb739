"""Limits hold across worker processes (also without Redis, as in `make serve` with two gunicorn workers), and
residents' routes refuse methods they never take."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from consultations.services import SubmissionRefused, check_rate_limit

ROOT = Path(__file__).resolve().parents[2]
KEY = "status:shared-by-workers"

# One "worker": counts `tries` look-ups for KEY and prints how many the limit let through.
WORKER = f"""
import django
django.setup()
from django.utils import timezone
from consultations.services import SubmissionRefused, check_rate_limit
accepted = 0
for _ in range(int(__import__("sys").argv[1])):
    try:
        check_rate_limit({KEY!r}, timezone.now())
        accepted += 1
    except SubmissionRefused:
        pass
print(accepted)
"""


def worker(tries: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(tries)],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "mieplan_site.settings.test"} | env,
        stdout=subprocess.PIPE,
        text=True,
    )


def accepted(process: subprocess.Popen) -> int:
    out, _err = process.communicate(timeout=120)
    assert process.returncode == 0
    return int(out.split()[-1])


def test_another_process_sees_the_count_of_this_one():
    now = timezone.now()
    for _ in range(settings.COMMENT_RATE_LIMIT - 2):
        check_rate_limit(KEY, now)
    # Another process may still make 2 look-ups, not another 5.
    assert accepted(worker(settings.COMMENT_RATE_LIMIT)) == 2
    with pytest.raises(SubmissionRefused):
        check_rate_limit(KEY, now)


def test_two_processes_counting_at_once_lose_no_count():
    # A read-then-write counter lets both processes read n and write n + 1: more than the limit get through.
    limit = "60"
    workers = [worker(60, COMMENT_RATE_LIMIT=limit) for _ in range(2)]
    assert sum(accepted(process) for process in workers) == int(limit)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods_on_residents_routes_are_refused(client, consultation, method):
    routes = [
        "/ja/",
        consultation.url,
        f"/ja/comments/{consultation.pk}/",
        consultation.url + "comment/",
        consultation.url + "status/",
        "/ja/_util/login/",
        "/en/_util/login/",
        "/admin/login/",
        "/ja/search/",
        "/opendata/kpis.csv",
    ]
    client.get(consultation.url + "status/")  # a CSRF cookie and token make no difference
    token = client.cookies.get(settings.CSRF_COOKIE_NAME)
    headers = {"HTTP_X_CSRFTOKEN": token.value} if token else {}
    for url in routes:
        response = getattr(client, method)(url, "a=1", content_type="application/x-www-form-urlencoded", **headers)
        assert response.status_code == 405, url
        assert "POST" in response["Allow"]
