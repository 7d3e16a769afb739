"""Tests: SQLite by default; DATABASE_URL and REDIS_URL (set by .ci/run) switch to the real services."""

import os
import re

# Parallel test workers (pytest-xdist) each get the Redis database after the one before: each test empties its
# worker's cache, which must not wipe another worker's rate-limit counters. Read before base.py builds CACHES.
# Processes a test starts inherit the shifted URL and the marker, so they share their worker's database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("REDIS_URL") and _worker.startswith("gw") and not os.environ.get("MIEPLAN_REDIS_SHIFTED"):
    os.environ["REDIS_URL"] = re.sub(
        r"/(\d+)$", lambda match: f"/{int(match.group(1)) + int(_worker[2:])}", os.environ["REDIS_URL"]
    )
    os.environ["MIEPLAN_REDIS_SHIFTED"] = "1"

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PUBLIC_ORIGIN = WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True  # serve from the finders; tests never run collectstatic
WHITENOISE_USE_FINDERS = True
# Tests roll back Site edits without signals: a process-wide Site cache would outlive them (tests/home turn it on).
SITE_CACHE_SECONDS = 0

# Without Redis the rate-limit counters are files (mieplan_site/limits.py): one folder per xdist worker, so one
# worker's tests emptying their counters never wipe the other's mid-count (processes a test starts inherit it).
if CACHES["limits"]["BACKEND"] == "mieplan_site.limits.LockedFileCache":  # noqa: F405
    CACHES["limits"]["LOCATION"] = BASE_DIR / "var" / f"limits-{_worker or 'main'}"  # noqa: F405
