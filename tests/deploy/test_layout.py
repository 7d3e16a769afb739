"""The deployment files of deploy/ checked with the real tools this machine has: the whole layout started and
exercised (deploy/smoke.py), nginx -t on the load balancer's template, systemd-analyze on the units,
docker-compose's own validation of compose.yaml, gunicorn's check of its config, and the documentation of
every variable the settings read."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_smoke():
    spec = importlib.util.spec_from_file_location("deploy_smoke", DEPLOY / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_layout_serves_pages_takes_a_comment_and_survives_a_restart_behind_nginx():
    """Two gunicorn servers, worker, beat, nginx, S3 and a throwaway PostgreSQL database (deploy/smoke.py)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if not (on_postgres or os.environ.get("MIEPLAN_DEPLOY_CHECK")):
        pytest.skip("runs in the PostgreSQL + Redis pass of .ci/run, or alone with `make deploy-check`")
    completed = subprocess.run(
        [sys.executable, str(DEPLOY / "smoke.py")], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    print(completed.stdout)  # the timed steps, shown with -s or on failure
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-8000:]
    summary = json.loads(completed.stdout.split("SMOKE-RESULT ", 1)[1].splitlines()[0])
    assert all(count > 0 for count in summary["requests_per_app_server"].values())
    assert summary["backup"]["comments"] >= 1


def test_load_balancer_template_passes_nginx_t(tmp_path):
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx is None:
        pytest.skip("nginx is not installed (make test-tools)")
    smoke = load_smoke()
    tmp_path.chmod(0o755)
    cert, key = smoke.make_certificate(tmp_path)
    upstream = tmp_path / "upstream.conf"
    upstream.write_text("server 127.0.0.1:8001 max_fails=3 fail_timeout=10s;\nserver 127.0.0.1:8002;\n")
    config = smoke.render_nginx(
        tmp_path,
        {
            "MIEPLAN_SERVER_NAME": "plan.example.jp",
            "MIEPLAN_HTTP_LISTEN": "127.0.0.1:8080",
            "MIEPLAN_HTTPS_LISTEN": "127.0.0.1:8443",
            "MIEPLAN_TLS_CERTIFICATE": str(cert),
            "MIEPLAN_TLS_CERTIFICATE_KEY": str(key),
            "MIEPLAN_UPSTREAM_CONF": str(upstream),
            "MIEPLAN_MEDIA_ORIGIN": "http://127.0.0.1:9000/mieplan-media",
        },
    )
    assert not re.search(r"\$\{MIEPLAN_[A-Z_]+\}", (tmp_path / "mieplan.conf").read_text())
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_template_variables_are_the_documented_ones():
    template = (DEPLOY / "nginx/mieplan.conf.template").read_text()
    used = set(re.findall(r"\$\{(MIEPLAN_[A-Z_]+)\}", template))
    documented = set(re.findall(r"^#\s+(MIEPLAN_[A-Z_]+)\s", template, flags=re.MULTILINE))
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert used == documented
    assert used <= set(compose["services"]["nginx"]["environment"])


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """The units as installed, with /srv/mieplan and /etc/mieplan pointed at this checkout."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    env_file = tmp_path / "mieplan.env"
    shutil.copy(DEPLOY / "mieplan.env.example", env_file)
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text().replace("/srv/mieplan", str(ROOT)).replace("/etc/mieplan/mieplan.env", str(env_file))
        (tmp_path / unit.name).write_text(text)
        units.append(unit.name)
    assert {"mieplan-web.service", "mieplan-worker.service", "mieplan-beat.service"} <= set(units)
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    # verify exits 0 on unknown keys too, only warning: any output at all is a failure here.
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    return [shutil.which("docker-compose")] if shutil.which("docker-compose") else None


def test_compose_file_is_valid_for_docker_compose(tmp_path):
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed (make test-tools)")
    env_file = tmp_path / "compose.env"
    shutil.copy(DEPLOY / "compose.env.example", env_file)
    base = [*command, "--env-file", str(env_file), "-f", str(DEPLOY / "compose.yaml")]
    for profiles in ([], ["--profile", "replica", "--profile", "backup"]):
        result = subprocess.run([*base, *profiles, "config", "-q"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    empty = tmp_path / "empty.env"
    empty.write_text("")
    missing = subprocess.run(
        [*command, "--env-file", str(empty), "-f", str(DEPLOY / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "POSTGRES_PASSWORD"}},
    )
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr  # no default secrets


def test_compose_runs_the_documented_process_layout():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    command = {name: " ".join(service.get("command") or []) for name, service in services.items()}
    assert [n for n in services if "gunicorn" in command[n]] == ["web1", "web2"]
    assert [n for n in services if " worker" in command[n]] == ["worker"]
    assert [n for n in services if " beat" in command[n]] == ["beat"]  # exactly one beat
    upstream = (DEPLOY / "nginx/upstream.compose.conf").read_text()
    assert re.findall(r"^server (\w+):8000", upstream, flags=re.MULTILINE) == ["web1", "web2"]
    assert services["postgres-replica"]["profiles"] == ["replica"]
    opensearch = (DEPLOY / "opensearch/Dockerfile").read_text()
    assert "analysis-kuromoji" in opensearch and "analysis-icu" in opensearch
    for name in ("web1", "web2", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "mieplan_site.settings.production"


def test_gunicorn_config_is_accepted_by_gunicorn():
    env = {**os.environ, "WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:0"}
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--print-config",
            "mieplan_site.wsgi",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))
    assert printed["workers"] == "3"
    assert printed["bind"] == "['127.0.0.1:0']"
    assert printed["control_socket_disable"] == "True"


def variables_read() -> set[str]:
    """What the settings and deploy/gunicorn.conf.py read, plus what libraries read for them (not test.py's:
    it never runs on a server)."""
    names = {"DATABASE_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # dj-database-url, boto3
    settings = [path for path in (ROOT / "mieplan_site/settings").glob("*.py") if path.name != "test.py"]
    for path in [*settings, DEPLOY / "gunicorn.conf.py"]:
        names |= set(re.findall(r"os\.environ(?:\.get\(|\[)\"([A-Z0-9_]+)\"", path.read_text()))
    return names


def test_every_variable_the_settings_read_is_in_the_env_example_and_docs():
    names = variables_read()
    assert {"SECRET_KEY", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "WEB_CONCURRENCY"} <= names
    example = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", (DEPLOY / "mieplan.env.example").read_text(), re.MULTILINE))
    docs = (ROOT / "docs/DEPLOY.md").read_text()
    # DB_CONN_MAX_AGE is read by base.py only: production.py fixes the connection age (the docs say so).
    assert not names - example - {"DB_CONN_MAX_AGE", "GUNICORN_CONTROL_SOCKET", "GUNICORN_PROC_NAME"}
    assert not {name for name in names if f"`{name}`" not in docs}
