"""`manage.py check --deploy` finds nothing to warn about in the production settings."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    alphabet = string.ascii_letters + string.digits + string.punctuation.replace("$", "").replace("'", "")
    # Only what production.py documents as required; no DATABASE_URL or REDIS_URL from the test run leaks in.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}} | {
        "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "example.jp",
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "STAFF_TWO_FACTOR"):
        env.pop(name, None)  # the production defaults, not whatever this shell has
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "System check identified no issues" in output
