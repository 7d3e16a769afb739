#!/usr/bin/env python3
"""Deployment check on one machine: the production layout of docs/DEPLOY.md, started for real and exercised.

    .venv/bin/python deploy/smoke.py [--keep]

Starts, on free loopback ports and with production settings:
  - a throwaway PostgreSQL database (mieplan_deploy_check, created and dropped) on the local server,
    migrated, with the Japanese plan and the demo consultation loaded;
  - Redis database 14 (flushed before and after) as cache and Celery broker;
  - an S3 endpoint (moto_server) holding the media bucket;
  - TWO gunicorn app servers from deploy/gunicorn.conf.py;
  - a Celery worker and Celery beat;
  - nginx as the TLS load balancer, from deploy/nginx/mieplan.conf.template (checked with `nginx -t` first).
Then, through the load balancer: pages and a static file, requests served by both app servers, a comment
posted as a resident would (CSRF token, form token, fill time), its mail sent by the worker, an image served
from the bucket on /media/, one app server stopped without a failed request (rolling restart), the nightly
backup run and restored into a second database, and a job dispatched by beat and run by the worker.

Needs nginx, openssl, pg_dump/pg_restore, PostgreSQL and Redis (see SMOKE_DATABASE_URL / SMOKE_REDIS_URL
below) and moto[server] from requirements-dev.txt. Exits non-zero, with the logs' tails, on the first failure;
prints one `SMOKE-RESULT {json}` line on success. Everything it started is stopped, whatever happens.
"""

# ruff: noqa: S603, S310 - a test harness: it runs the project's own tools and requests its own loopback URLs.
import html.parser
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DB_NAME = "mieplan_deploy_check"
RESTORE_DB_NAME = "mieplan_deploy_check_restore"
REDIS_DB = 14  # 0 is the usual default; the test suite uses 12 and 13 (one per worker)
MEDIA_BUCKET = "mieplan-smoke-media"
BACKUP_BUCKET = "mieplan-smoke-backups"
MEDIA_COPY_BUCKET = "mieplan-smoke-media-copy"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "smoke", "AWS_SECRET_ACCESS_KEY": "smoke-not-secret"}  # moto takes any
BEAT_FIRST_RUN_SECONDS = 75  # beat's first "every minute" job is due 60 s after it starts
STARTED = time.monotonic()


class SmokeFailure(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, probe, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = probe()
        except Exception:  # anything short of success means "not yet"
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def find_tool(name: str) -> str:
    found = shutil.which(name, path=str(VENV_BIN)) or shutil.which(name)
    found = found or next((str(p) for p in (Path("/usr/sbin") / name, Path("/sbin") / name) if p.exists()), None)
    if not found:
        raise SmokeFailure(f"{name} is not installed (make test-tools installs what is missing)")
    return found


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class Processes:
    """Every long-running process the check starts, each in its own process group, with its log file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        logfile = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
        )
        logfile.close()
        self.running[name] = process
        return process

    def log_text(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self, name: str) -> bool:
        return self.running[name].poll() is None

    def stop(self, name: str, timeout: float = 20) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)


class FormParser(html.parser.HTMLParser):
    """The fields of the comment form, as a browser would submit them untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "comment-form" in (attrs.get("class") or ""):
            self._in_form = True
            self.action = attrs.get("action")
        elif self._in_form and tag == "input" and attrs.get("name") and attrs.get("type") in {"hidden", "text"}:
            self.fields.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser through the load balancer: TLS checked against the check's own certificate, cookies kept.
    Without `cafile` it talks plain HTTP to an app server directly (tests/faults)."""

    def __init__(self, base: str, cafile: Path | None = None) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect(),
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            return error.code, dict(error.headers), error.read()


def run(command: list[str], env: dict[str, str], what: str, timeout: float = 180) -> str:
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise SmokeFailure(f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    log(f"{what}: ok in {time.monotonic() - started:.1f}s")
    return result.stdout


def prepare_site(env: dict[str, str]) -> None:
    """An empty database made ready to serve: migrated, the Japanese plan and the demo consultation loaded, with
    the static files collected meanwhile (production settings need their manifest). tests/faults uses it too."""
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env, "migrate")
    run([sys.executable, "manage.py", "load_plan", "--japanese-only", "-v0"], env, "load_plan --japanese-only")
    run(
        [sys.executable, "manage.py", "create_demo_consultation", "--japanese-only", "-v0"],
        env,
        "create_demo_consultation --japanese-only",
    )
    check(collect.wait(timeout=120) == 0, f"collectstatic failed: {collect.stdout.read().decode()[-2000:]}")


def render_nginx(directory: Path, values: dict[str, str]) -> Path:
    """deploy/nginx/mieplan.conf.template with envsubst's rules: only the listed ${MIEPLAN_…} are replaced."""
    template = (ROOT / "deploy/nginx/mieplan.conf.template").read_text()
    rendered = re.sub(r"\$\{(MIEPLAN_[A-Z_]+)\}", lambda m: values[m.group(1)], template)
    site = directory / "mieplan.conf"
    site.write_text(rendered)
    temp = directory / "nginx-temp"
    temp.mkdir()
    temp.chmod(0o777)  # nginx's workers drop root privileges when the check runs as root
    main = directory / "nginx.conf"
    main.write_text(
        f"""# The host's nginx.conf, reduced to what the check needs; the site is the deploy template.
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
daemon off;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$status $request_method $uri upstream=$upstream_addr upstream_status=$upstream_status';
    access_log {directory}/nginx-access.log upstreams;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
    )
    return main


def make_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "tls.crt", directory / "tls.key"
    subprocess.run(
        [
            *(find_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def upstream_counts(access_log: Path, ports: dict[str, int]) -> dict[str, int]:
    """Requests each app server answered, from nginx's log (after a retry, the last upstream answered)."""
    counts = dict.fromkeys(ports, 0)
    for line in access_log.read_text().splitlines() if access_log.exists() else []:
        found = re.search(r"upstream=(.*) upstream_status=", line)
        answered = found.group(1).split(", ")[-1] if found else ""
        for name, port in ports.items():
            counts[name] += answered == f"127.0.0.1:{port}"
    return counts


def main() -> int:
    keep = "--keep" in sys.argv
    import psycopg  # the app's own dependencies, from the virtualenv
    import redis

    # The PostgreSQL server and Redis the tests use (DATABASE_URL, REDIS_URL), else the local defaults.
    test_database = os.environ.get("DATABASE_URL", "")
    server = test_database if test_database.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"
    admin_url = os.environ.get("SMOKE_DATABASE_URL") or with_database(server, "postgres")
    redis_url = os.environ.get("SMOKE_REDIS_URL") or with_database(
        os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0", str(REDIS_DB)
    )
    database_url = with_database(admin_url, DB_NAME)
    restore_url = with_database(admin_url, RESTORE_DB_NAME)

    tools = {name: find_tool(name) for name in ("nginx", "openssl", "pg_dump", "pg_restore", "moto_server")}
    tools.update(gunicorn=find_tool("gunicorn"), celery=find_tool("celery"))
    directory = Path(tempfile.mkdtemp(prefix="mieplan-smoke-"))
    directory.chmod(0o755)
    processes = Processes(directory)
    ports = {name: free_port() for name in ("web1", "web2", "https", "http", "s3")}
    result: dict = {"ports": ports}

    def database(sql: str, url: str = admin_url, params: tuple = ()):
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    def drop_databases() -> None:
        for name in (DB_NAME, RESTORE_DB_NAME):
            database(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    flush = redis.Redis.from_url(redis_url, socket_timeout=5)
    try:
        log(f"work directory {directory}; ports {ports}")
        drop_databases()
        database(f'CREATE DATABASE "{DB_NAME}"')
        flush.flushdb()

        s3_endpoint = f"http://127.0.0.1:{ports['s3']}"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DJANGO_", "OPENSEARCH_"))},
            "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{ports['https']}",
            "PUBLIC_ORIGIN": f"https://127.0.0.1:{ports['https']}",
            "USE_X_FORWARDED_FOR": "true",
            "COMMENT_MODERATOR_EMAILS": "moderators@example.jp",
            "LOG_LEVEL": "WARNING",
            "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "ap-northeast-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{ports['https']}/media",
            "AWS_S3_URL_PROTOCOL": "https:",
            **S3_CREDENTIALS,
            "WEB_CONCURRENCY": "2",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "GUNICORN_LOG_LEVEL": "info",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("EMAIL_URL", None)  # mail to the worker's log: the check reads it there

        # Beat first: its first every-minute job is due 60 s after it starts, and the rest overlaps that wait.
        beat_schedule = directory / "celerybeat-schedule"
        processes.start(
            "beat",
            [tools["celery"], "--app", "mieplan_site", "beat", "--loglevel", "INFO", "--schedule", str(beat_schedule)],
            env,
        )
        processes.start("s3", [tools["moto_server"], "-H", "127.0.0.1", "-p", str(ports["s3"])], env)

        prepare_site(env)

        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            region_name="ap-northeast-1",
            aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        for bucket in (MEDIA_BUCKET, BACKUP_BUCKET, MEDIA_COPY_BUCKET):
            wait_for(
                "the S3 endpoint",
                lambda b=bucket: s3.create_bucket(
                    Bucket=b, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
                ),
                20,
            )

        # As in production (docs/DEPLOY.md): anonymous reads of images/ only, the rest of the bucket private.
        policy = (ROOT / "deploy/s3/media-bucket-policy.json").read_text().replace("mieplan-media", MEDIA_BUCKET)
        s3.put_bucket_policy(Bucket=MEDIA_BUCKET, Policy=policy)

        for name in ("web1", "web2"):
            processes.start(
                name,
                [tools["gunicorn"], "--config", "deploy/gunicorn.conf.py", "mieplan_site.wsgi"],
                {
                    **env,
                    "GUNICORN_BIND": f"127.0.0.1:{ports[name]}",
                    "GUNICORN_PROC_NAME": f"mieplan-smoke-{name}",
                    "GUNICORN_CONTROL_SOCKET": str(directory / f"{name}.ctl"),
                },
            )
        processes.start(
            "worker",
            [
                *(tools["celery"], "--app", "mieplan_site", "worker", "--concurrency", "1", "--loglevel", "INFO"),
                *("--hostname", f"smoke-{ports['web1']}@%h", "--without-gossip", "--without-mingle"),
            ],
            env,
        )

        cert, key = make_certificate(directory)
        upstream = directory / "upstream.conf"  # shorter fail_timeout than production: a quicker restart check
        upstream.write_text(
            "".join(f"server 127.0.0.1:{ports[n]} max_fails=1 fail_timeout=2s;\n" for n in ("web1", "web2"))
        )
        nginx_conf = render_nginx(
            directory,
            {
                "MIEPLAN_SERVER_NAME": "127.0.0.1 localhost",
                "MIEPLAN_HTTP_LISTEN": f"127.0.0.1:{ports['http']}",
                "MIEPLAN_HTTPS_LISTEN": f"127.0.0.1:{ports['https']}",
                "MIEPLAN_TLS_CERTIFICATE": str(cert),
                "MIEPLAN_TLS_CERTIFICATE_KEY": str(key),
                "MIEPLAN_UPSTREAM_CONF": str(upstream),
                "MIEPLAN_MEDIA_ORIGIN": f"{s3_endpoint}/{MEDIA_BUCKET}",
            },
        )
        tested = subprocess.run(
            [tools["nginx"], "-t", "-p", str(directory), "-c", str(nginx_conf)], capture_output=True, text=True
        )
        check(tested.returncode == 0, f"nginx -t failed:\n{tested.stderr}")
        result["nginx_t"] = [line for line in tested.stderr.splitlines() if line.strip()]
        log("nginx -t: " + " / ".join(result["nginx_t"]))
        processes.start("nginx", [tools["nginx"], "-p", str(directory), "-c", str(nginx_conf)], env)

        for name in ("web1", "web2"):
            wait_for(f"{name} to listen", lambda n=name: socket.create_connection(("127.0.0.1", ports[n]), 0.5), 60)
            check(processes.alive(name), f"{name} exited:\n{processes.log_text(name)[-3000:]}")
        base = f"https://127.0.0.1:{ports['https']}"
        client = Client(base, cert)
        wait_for("the home page through the load balancer", lambda: client.request("/ja/")[0] == 200, 60)
        log("two app servers up behind nginx")

        # Pages through the balancer: TLS terminated, Django told it was HTTPS, round-robin over both servers.
        paths = ["/ja/", "/ja/plan/", "/ja/consultation/", "/opendata/kpis.json", "/robots.txt"] * 4
        statuses = [client.request(path)[0] for path in paths]
        check(statuses == [200] * len(paths), f"pages through the load balancer: {statuses}")
        status, headers, body = client.request("/ja/")
        check("Strict-Transport-Security" in headers, "no HSTS: Django did not see X-Forwarded-Proto: https")
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body)
        check(stylesheet is not None, "no stylesheet link in the home page")
        status, headers, _ = client.request(stylesheet.group(1).decode())
        check(status == 200 and "max-age=" in headers.get("Cache-Control", ""), f"static file: {status} {headers}")
        # The sitemap and canonical links name the public origin (PUBLIC_ORIGIN), whatever the Site record was.
        status, _, sitemap = client.request("/sitemap.xml")
        locations = re.findall(rb"<loc>([^<]+)</loc>", sitemap)
        check(
            status == 200 and locations and all(loc.startswith(base.encode() + b"/") for loc in locations),
            f"sitemap not on {base}: {status} {locations[:3]}",
        )
        canonical = re.search(rb'<link rel="canonical" href="([^"]+)"', body)
        check(canonical is not None and canonical.group(1) == (base + "/ja/").encode(), f"canonical: {canonical}")
        result["sitemap_entries"] = len(locations)
        plain = urllib.request.build_opener(NoRedirect())
        try:
            plain.open(f"http://127.0.0.1:{ports['http']}/ja/", timeout=10)
            raise SmokeFailure("plain HTTP was served instead of redirected")
        except urllib.error.HTTPError as redirect:
            check(redirect.code == 301 and redirect.headers["Location"].startswith("https://"), "no HTTPS redirect")
        served = upstream_counts(directory / "nginx-access.log", {"web1": ports["web1"], "web2": ports["web2"]})
        check(all(count > 0 for count in served.values()), f"not both app servers served requests: {served}")
        result["requests_per_app_server"] = served
        log(f"{len(paths) + 3} requests through nginx; served by app servers: {served}")

        # A resident's comment: the form's CSRF and form tokens, the minimum fill time, then the receipt.
        status, _, body = client.request("/ja/consultation/comment/")
        check(status == 200, f"comment form: {status}")
        form = FormParser()
        form.feed(body.decode())
        check(form.action and "csrfmiddlewaretoken" in form.fields and form.fields.get("form_token"), "no form")
        filled_at = time.monotonic()

        # While the resident types: an image saved through the app's storage is served on /media/ by nginx.
        saved = (
            run(
                [sys.executable, "manage.py", "shell", "-c", MEDIA_SNIPPET],
                env,
                "image saved to the bucket through default_storage",
            )
            .strip()
            .splitlines()[-1]
        )
        key, url = saved.split(" ", 1)
        check(url == f"{base}/media/{key}", f"media URL not on the site's origin: {url}")
        status, headers, image = client.request(url)
        check(status == 200 and image == PNG_BYTES, f"image through nginx /media/: {status}")
        check(client.request("/media/documents/anything.pdf")[0] == 404, "documents must not be public")
        anonymous = urllib.request.urlopen  # straight to the bucket, without credentials: the policy decides
        check(anonymous(f"{s3_endpoint}/{MEDIA_BUCKET}/{key}", timeout=10).read() == PNG_BYTES, "image not public")
        s3.put_object(Bucket=MEDIA_BUCKET, Key="documents/private.txt", Body=b"private")
        try:
            anonymous(f"{s3_endpoint}/{MEDIA_BUCKET}/documents/private.txt", timeout=10)
            raise SmokeFailure("the bucket answered an anonymous read outside images/")
        except urllib.error.HTTPError as refused:
            check(refused.code == 403, f"anonymous read outside images/: {refused.code}")
        log(f"image {key} stored in the bucket and served through nginx /media/")

        time.sleep(max(0.0, 3.5 - (time.monotonic() - filled_at)))  # COMMENT_MIN_FILL_SECONDS is 3
        data = {
            **form.fields,
            "body": "デプロイ確認: ロードバランサー経由のコメントです。",
            "email": "resident@example.jp",
            "publication": "anonymous",
            "consent": "on",
            "website": "",
        }
        status, headers, _ = client.request(form.action, data, {"Referer": f"{base}/ja/consultation/comment/"})
        check(status == 302 and headers["Location"].endswith("/consultation/thanks/"), f"comment POST: {status}")
        status, _, receipt = client.request(headers["Location"])
        stored = database(
            "SELECT receipt_number FROM consultations_comment WHERE body LIKE %s", database_url, ("デプロイ確認%",)
        )
        check(len(stored) == 1, f"comments stored: {stored}")
        receipt_number = stored[0][0]
        check(status == 200 and receipt_number.encode() in receipt, "no receipt number on the thanks page")

        def mail_sent():
            rows = database(
                "SELECT receipt_mail_sent_at IS NOT NULL AND moderators_notified_at IS NOT NULL "
                "FROM consultations_comment WHERE receipt_number = %s",
                database_url,
                (receipt_number,),
            )
            return rows and rows[0][0]

        wait_for("the worker to send the comment's mail", mail_sent, 30)
        worker_log = processes.log_text("worker")
        check(receipt_number in worker_log, "the receipt mail is not in the worker's log")
        check(re.search(r"send_comment_mail\[[^\]]+\] succeeded", worker_log) is not None, "no task in the worker")
        result["comment"] = receipt_number
        log(f"comment {receipt_number} stored; receipt and moderators' notice sent by the Celery worker")

        # Rolling restart: one app server stops, residents see no error, it comes back and gets requests again.
        processes.stop("web1")
        statuses = [client.request("/ja/plan/")[0] for _ in range(10)]
        check(statuses == [200] * 10, f"requests while web1 was down: {statuses}")
        processes.start(
            "web1",
            [tools["gunicorn"], "--config", "deploy/gunicorn.conf.py", "mieplan_site.wsgi"],
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{ports['web1']}",
                "GUNICORN_PROC_NAME": "mieplan-smoke-web1",
                "GUNICORN_CONTROL_SOCKET": str(directory / "web1.ctl"),
            },
        )
        wait_for("web1 to listen again", lambda: socket.create_connection(("127.0.0.1", ports["web1"]), 0.5), 60)
        before = upstream_counts(directory / "nginx-access.log", {"web1": ports["web1"]})["web1"]

        def web1_serves_again():
            check(client.request("/ja/")[0] == 200, "home page failed after the restart")
            return upstream_counts(directory / "nginx-access.log", {"web1": ports["web1"]})["web1"] > before

        wait_for("web1 to be back in the rotation", web1_serves_again, 20, interval=0.5)
        log("rolling restart: 10/10 requests answered while web1 was stopped; web1 back in the rotation")

        # Backup and restore drill: deploy/backup.sh as the timer runs it, then the dump restored elsewhere.
        backup_env = {
            **env,
            "BACKUP_DIR": str(directory / "backups"),
            "BACKUP_S3_URI": f"s3://{BACKUP_BUCKET}/db",
            "BACKUP_MEDIA_S3_URI": f"s3://{MEDIA_COPY_BUCKET}",
            "MIEPLAN_PYTHON": sys.executable,
        }
        output = run(["bash", str(ROOT / "deploy/backup.sh")], backup_env, "deploy/backup.sh")
        dumps = sorted((directory / "backups").glob("mieplan-*.dump"))
        check(len(dumps) == 1, f"dumps: {dumps}")
        uploaded = [o["Key"] for o in s3.list_objects_v2(Bucket=BACKUP_BUCKET).get("Contents", [])]
        check(uploaded == [f"db/{dumps[0].name}"], f"dump not uploaded: {uploaded}")
        copied = [o["Key"] for o in s3.list_objects_v2(Bucket=MEDIA_COPY_BUCKET).get("Contents", [])]
        check(key in copied, f"media not mirrored: {copied}")
        database(f'CREATE DATABASE "{RESTORE_DB_NAME}"')
        run(
            [tools["pg_restore"], "--no-owner", "--no-privileges", "--dbname", restore_url, str(dumps[0])],
            env,
            "pg_restore",
        )
        counts = "SELECT (SELECT count(*) FROM consultations_comment), (SELECT count(*) FROM wagtailcore_page)"
        original, restored = database(counts, database_url)[0], database(counts, restore_url)[0]
        check(original == restored and original[0] >= 1, f"restored {restored}, original {original}")
        result["backup"] = {"dump_bytes": dumps[0].stat().st_size, "comments": original[0], "pages": original[1]}
        log(f"{output.strip().splitlines()[0]}; restored: {original[0]} comment(s), {original[1]} pages match")

        # Beat: its every-minute job reaches the worker through Redis.
        def beat_job_ran():
            check(processes.alive("beat"), f"beat exited:\n{processes.log_text('beat')[-3000:]}")
            return re.search(r"publish_scheduled_pages\[[^\]]+\] succeeded", processes.log_text("worker"))

        wait_for("beat's first publish_scheduled_pages to run in the worker", beat_job_ran, BEAT_FIRST_RUN_SECONDS, 1)
        check("Sending due task publish-scheduled-pages" in processes.log_text("beat"), "beat did not log the send")
        log("beat dispatched publish_scheduled_pages; the worker ran it")

        for name in ("web1", "web2", "worker", "beat", "nginx"):
            check(processes.alive(name), f"{name} died:\n{processes.log_text(name)[-3000:]}")
        result["seconds"] = round(time.monotonic() - STARTED, 1)
        print("SMOKE-RESULT " + json.dumps(result), flush=True)
        return 0
    except (SmokeFailure, subprocess.SubprocessError, OSError) as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        for name in ("web1", "web2", "worker", "beat", "nginx", "nginx-error"):
            text = processes.log_text(name)
            if text:
                print(f"--- {name}.log (end) ---\n{text[-2500:]}", file=sys.stderr)
        return 1
    finally:
        processes.stop_all()
        try:
            flush.flushdb()
            drop_databases()
        except Exception as error:  # report, but keep the check's own verdict
            print(f"cleanup: {error}", file=sys.stderr)
        if keep:
            print(f"kept {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


def one_pixel_png() -> bytes:
    """A valid 1×1 PNG, built here rather than shipped as a binary file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x66\x99")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# Written through the app's storage in a `manage.py shell`, as Wagtail writes a rendition.
PNG_BYTES = one_pixel_png()
MEDIA_SNIPPET = f"""
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
key = default_storage.save("images/smoke.png", ContentFile(bytes.fromhex("{PNG_BYTES.hex()}")))
print(key, default_storage.url(key))
"""

if __name__ == "__main__":
    sys.exit(main())
