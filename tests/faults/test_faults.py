"""Faults under load against a production-like app server: Redis killed while residents send comments, and
PostgreSQL restarted while residents read and comment.

What must hold:
- readers keep getting pages: with Redis gone a page-cache miss falls through to Django, and with the database
  gone the pages already in the page cache are still served;
- a resident whose request meets a dead database gets the 503 "try again" page, never a 500 or a traceback;
- every comment that got a receipt (the 302 to thanks/) is in the database afterwards, and the mail that could
  not be queued while Redis was down is sent later by send_pending_mail;
- the app server recovers by itself once the database is back.

Both servers are the test's own: a PostgreSQL cluster made with initdb in a temporary directory and a
redis-server, each on a free port, behind one gunicorn (two workers, production settings). Stopping them disturbs
neither the machine's PostgreSQL and Redis, other work using them, nor this pytest process's own test database.
The start-up, HTTP and form helpers are deploy/smoke.py's (the deployment check).
"""

import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from consultations.views import RECEIPT_COOKIE
from tests.deploy.test_layout import load_smoke

smoke = load_smoke()

REDIS_SERVER = Path("/usr/bin/redis-server")
DB_NAME = "mieplan_faults"
CARD_NUMBER = "3-1"
FORM_PATH = "/ja/consultation/comment/"
TRY_AGAIN = "ただいま混み合っています"  # templates/503.html
NOT_RECEIVED = "送信した内容はまだ受け付けられていません"  # templates/503.html, after a POST
RESIDENTS = 8  # threads: open the comment form, send a comment, again
READERS = 2  # threads: open a card page that is in the page cache
RECOVERY_SECONDS = 5.0  # the site must work again this soon after the database is back
HANG_SECONDS = 10.0  # an answer slower than this counts as a hang (the client gives up at 15 s)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's programs (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        return None
    return max(found, key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()]).parent


PG_BIN = postgres_bin()


def skip_reason() -> str:
    if not (os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get("MIEPLAN_FAULTS")):
        return "runs in the PostgreSQL + Redis pass of .ci/run (DATABASE_URL=postgres://…), or alone: `make faults`"
    if not REDIS_SERVER.exists():
        return f"{REDIS_SERVER} is missing (apt-get install redis-server)"
    if PG_BIN is None:
        return "no PostgreSQL server programs under /usr/lib/postgresql (apt-get install postgresql)"
    return ""


pytestmark = [pytest.mark.faults, pytest.mark.skipif(bool(skip_reason()), reason=skip_reason() or "-")]


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own: initdb in a temporary directory, a free port, trust auth."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "postgres"
        self.directory.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")  # the server refuses to run as root
        self.data = self.directory / "data"
        self.port = smoke.free_port()

    def tool(self, name: str, *args: str) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / name), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=90)

    def check(self, name: str, *args: str) -> None:
        done = self.tool(name, *args)
        if done.returncode != 0:
            raise smoke.SmokeFailure(f"{name} {' '.join(args)}: {done.stdout}{done.stderr}\n{self.log_tail()}")

    def create(self) -> None:
        self.check("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        self.start()
        self.sql(f'CREATE DATABASE "{DB_NAME}"', database="postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self.check("pg_ctl", "start", "-D", str(self.data), "-l", log, "-w", "-t", "60", "-o", options)

    def stop(self, mode: str = "fast") -> None:
        """`fast`: the server ends every session (rolling back what is open) and shuts down cleanly."""
        self.check("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")

    def running(self) -> bool:
        return self.data.exists() and self.tool("pg_ctl", "status", "-D", str(self.data)).returncode == 0

    def url(self, database: str = DB_NAME) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, params: tuple = (), database: str = DB_NAME) -> list[tuple]:
        import psycopg  # a connection per call: nothing of this process is left holding a dead socket

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def log_tail(self) -> str:
        log = self.directory / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""


class PrivateRedis:
    """A redis-server of the test's own, without persistence: after a SIGKILL it comes back empty, as a cache
    server does after a crash."""

    def __init__(self, processes) -> None:
        self.processes = processes
        self.port = smoke.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]  # nothing kept on disk: a restart starts empty
        self.processes.start("redis", command, dict(os.environ))
        smoke.wait_for("redis-server to answer", self.ping, 10, interval=0.05)

    def ping(self) -> bool:
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5) as client:
            return client.ping()

    def queued(self) -> int:
        """Tasks waiting in Celery's default queue (no worker runs here, so every queued mail stays there)."""
        import redis

        with redis.Redis.from_url(self.url, socket_timeout=2) as client:
            return client.llen("celery")

    def kill(self) -> None:
        process = self.processes.running.pop("redis")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def ensure_running(self) -> None:
        if "redis" not in self.processes.running or not self.processes.alive("redis"):
            self.start()


@dataclass
class Stack:
    processes: object  # smoke.Processes
    postgres: PrivatePostgres
    redis: PrivateRedis
    env: dict[str, str]
    base: str
    card_path: str
    card_title: str

    def manage(self, what: str, *args: str) -> str:
        return smoke.run([sys.executable, "manage.py", *args], self.env, what)

    def web_log(self) -> str:
        return self.processes.log_text("web")

    def tail(self) -> str:
        return "\n--- gunicorn log ---\n" + self.web_log()[-4000:]

    def warm_card(self) -> None:
        """Until the card is served from the page cache (after a Redis outage each worker waits 5 s first)."""
        client = smoke.Client(self.base)
        smoke.wait_for(
            "the card page to come from the page cache",
            lambda: client.request(self.card_path)[1].get("X-Page-Cache") == "hit",
            20,
        )


CARD_SNIPPET = (
    "import json; from plan.models import InitiativePage; "
    f"card = InitiativePage.objects.get(number='{CARD_NUMBER}', locale__language_code='ja'); "
    "print(json.dumps({'path': card.url, 'title': card.title}))"
)
SEND_PENDING_SNIPPET = (  # the mail kept in memory (locmem) and reported: who would have got what
    "import json; from datetime import timedelta; from django.conf import settings; from django.core import mail; "
    "from consultations.services import send_pending_mail; "
    "settings.EMAIL_BACKEND = 'django.core.mail.backends.locmem.EmailBackend'; mail.outbox = []; "
    "handled = send_pending_mail(older_than=timedelta(0)); "
    "print(json.dumps({'handled': handled, 'to': [message.to for message in mail.outbox]}))"
)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    directory = Path(tempfile.mkdtemp(prefix="mieplan-faults-"))
    directory.chmod(0o755)  # the PostgreSQL server runs as the postgres user inside it
    processes = smoke.Processes(directory)
    postgres = PrivatePostgres(directory)
    redis = PrivateRedis(processes)
    try:
        postgres.create()
        redis.start()
        port = smoke.free_port()
        inherited = ("AWS_", "DJANGO_", "OPENSEARCH_", "EMAIL_", "FRONTEND_", "CLOUDFRONT_", "PAGE_CACHE_", "GUNICORN_")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(inherited)},
            "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": postgres.url(),
            "REDIS_URL": redis.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP straight to gunicorn, like `make serve`
            "SECURE_COOKIES": "false",
            "COMMENT_RATE_LIMIT": "100000",  # every resident here is 127.0.0.1
            "COMMENT_MODERATOR_EMAILS": "moderators@example.jp",
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_PROC_NAME": f"mieplan-faults-{port}",
            "GUNICORN_ACCESS_LOG": "",  # the test records every answer itself
            "PYTHONUNBUFFERED": "1",
        }  # no EMAIL_URL: mail is only logged (home/mail.py); the send_pending_mail step counts it in memory
        smoke.prepare_site(env)
        stack = Stack(processes, postgres, redis, env, f"http://127.0.0.1:{port}", "", "")
        card = json.loads(stack.manage("card", "shell", "-c", CARD_SNIPPET).strip().splitlines()[-1])
        stack.card_path, stack.card_title = card["path"], card["title"]

        gunicorn = smoke.find_tool("gunicorn")
        processes.start("web", [gunicorn, "--config", "deploy/gunicorn.conf.py", "mieplan_site.wsgi"], env)
        client = smoke.Client(stack.base)
        try:
            smoke.wait_for("gunicorn to serve the home page", lambda: client.request("/ja/")[0] == 200, 60)
        except smoke.SmokeFailure as failure:
            raise smoke.SmokeFailure(f"{failure}{stack.tail()}") from None
        yield stack
    finally:
        processes.stop_all()
        if postgres.running():
            postgres.tool("pg_ctl", "stop", "-D", str(postgres.data), "-m", "immediate", "-w")
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Answer:
    """One request of the load and what came back."""

    kind: str  # "card" (in the page cache), "form" (the comment form, always rendered), "comment" (the POST)
    started: float
    ended: float
    status: int  # 0: no HTTP answer at all (refused, reset, timed out)
    cache: str  # X-Page-Cache: "hit", "miss", or "" when Django answered without asking the page cache
    try_again: bool  # the 503 page's text, with a Retry-After header
    not_received: bool  # …and its "your comment was NOT received" paragraph
    shows_card: bool
    traceback: bool
    start_of_body: str
    text: str = ""  # the comment sent
    receipt: str = ""  # its receipt number, from the receipt cookie of a 302

    @property
    def succeeded(self) -> bool:
        return self.status == {"card": 200, "form": 200, "comment": 302}[self.kind]


def receipt_number(client) -> str:
    """The receipt number in the signed receipt cookie the 302 set (then forgotten, so none is read twice)."""
    for cookie in list(client.cookies):
        if cookie.name == RECEIPT_COOKIE:
            client.cookies.clear(cookie.domain, cookie.path, cookie.name)
            parsed = http.cookies.SimpleCookie()
            parsed.load(f"{cookie.name}={cookie.value}")
            signed = parsed[cookie.name].value  # Django's signed cookie: value:timestamp:signature
            return json.loads(signed.rsplit(":", 2)[0])["number"]
    return ""


class Load:
    """Residents commenting and readers reading, in threads, until the block ends; every answer is kept."""

    def __init__(self, stack: Stack, label: str) -> None:
        self.stack = stack
        self.prefix = f"障害試験 {label}-{secrets.token_hex(3)} "  # marks this run's comments in the database
        self.answers: list[Answer] = []
        self.failures: list[str] = []  # errors of the harness itself
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def __enter__(self) -> "Load":
        residents = []
        for _ in range(RESIDENTS):
            client = smoke.Client(self.stack.base)
            status, _, body = client.request(FORM_PATH)
            assert status == 200, f"comment form before the fault: {status}{self.stack.tail()}"
            form = smoke.FormParser()
            form.feed(body.decode())
            assert form.action and form.fields.get("form_token"), "no comment form"
            residents.append((client, form))
        time.sleep(settings.COMMENT_MIN_FILL_SECONDS + 0.5)  # the form refuses comments sent faster
        targets = [(self.resident, (n, client, form)) for n, (client, form) in enumerate(residents)]
        targets += [(self.reader, ()) for _ in range(READERS)]
        for target, args in targets:
            thread = threading.Thread(target=self.guarded, args=(target, *args), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def guarded(self, target, *args) -> None:
        try:
            target(*args)
        except Exception as error:  # a broken harness must fail the test, not just end a thread quietly
            self.failures.append(f"{target.__name__}: {error!r}")

    def resident(self, number: int, client, form) -> None:
        sent = 0
        while not self.stopping.is_set():
            self.ask(client, "form", FORM_PATH)  # rendered for each resident: it needs the database
            sent += 1
            text = f"{self.prefix}{number}-{sent}: 障害が起きても、受付番号が出た意見は残ってください。"
            data = {
                **form.fields,  # the tokens of the first opening stay valid for a day
                "body": text,
                "email": f"resident{number}@example.jp",
                "publication": "anonymous",
                "consent": "on",
                "website": "",
            }
            self.ask(client, "comment", form.action, data, text)

    def reader(self) -> None:
        client = smoke.Client(self.stack.base)
        while not self.stopping.is_set():
            self.ask(client, "card", self.stack.card_path)
            time.sleep(0.05)  # a few dozen readers a second; the residents need the workers too

    def ask(self, client, kind: str, path: str, data: dict | None = None, text: str = "") -> Answer:
        started = time.monotonic()
        try:
            headers_sent = {"Referer": self.stack.base + FORM_PATH} if data else None
            status, headers, body = client.request(path, data, headers_sent)
        except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
            status, headers, body = 0, {}, repr(error).encode()
        page = body.decode(errors="replace")
        answer = Answer(
            kind=kind,
            started=started,
            ended=time.monotonic(),
            status=status,
            cache=headers.get("X-Page-Cache", ""),
            try_again=status == 503 and TRY_AGAIN in page and "Retry-After" in headers,
            not_received=NOT_RECEIVED in page,
            shows_card=self.stack.card_title in page,
            traceback=any(word in page for word in ("Traceback", "OperationalError", "psycopg", "redis.exceptions")),
            start_of_body=page[:300],
            text=text,
            receipt=receipt_number(client) if kind == "comment" and status == 302 else "",
        )
        with self.lock:
            self.answers.append(answer)
        return answer

    def of(self, kind: str, start: float = 0.0, end: float = float("inf")) -> list[Answer]:
        """Answers of one kind to requests made and answered within [start, end]."""
        return [a for a in self.answers if a.kind == kind and a.started >= start and a.ended <= end]

    def summary(self) -> dict:
        return {
            kind: dict(Counter(str(a.status) for a in self.answers if a.kind == kind))
            for kind in ("card", "form", "comment")
        } | {"slowest_s": round(max(a.ended - a.started for a in self.answers), 2)}

    def assert_sound(self, allowed: dict[str, set[int]]) -> None:
        """No harness failure, no 500, no connection error, no traceback, no hang; only the allowed statuses."""
        tail = self.stack.tail()
        assert not self.failures, f"{self.failures}{tail}"
        assert self.answers, "no requests were made"
        unexpected = [a for a in self.answers if a.status not in allowed[a.kind]]
        counts = Counter((a.kind, a.status) for a in unexpected)
        assert not unexpected, f"unexpected answers {dict(counts)}, e.g. {unexpected[:2]}{tail}"
        assert not [a for a in self.answers if a.traceback], "an answer showed an error's internals"
        slow = [a for a in self.answers if a.ended - a.started > HANG_SECONDS]
        assert not slow, f"{len(slow)} answers took over {HANG_SECONDS} s, e.g. {slow[:2]}{tail}"
        unavailable = [a for a in self.answers if a.status == 503]
        assert all(a.try_again for a in unavailable), f"a 503 without the try-again page: {unavailable[:2]}"
        posted = [a for a in unavailable if a.kind == "comment"]
        assert all(a.not_received for a in posted), "a refused comment was not told it was not received"
        cards = self.of("card")
        assert all(a.shows_card for a in cards), "a card page without the card"
        assert "Internal Server Error" not in self.stack.web_log(), tail
        assert "WORKER TIMEOUT" not in self.stack.web_log(), tail

    def assert_receipts_stored(self) -> tuple[int, int]:
        """Every comment answered with a receipt is in the database, under that number, with its text."""
        receipted = [a for a in self.answers if a.kind == "comment" and a.status == 302]
        assert all(a.receipt for a in receipted), "a 302 without a receipt cookie"
        stored = dict(
            self.stack.postgres.sql(
                "SELECT receipt_number, body FROM consultations_comment WHERE body LIKE %s", (self.prefix + "%",)
            )
        )
        missing = [a for a in receipted if stored.get(a.receipt) != a.text]
        assert not missing, f"{len(missing)} of {len(receipted)} receipted comments are not stored: {missing[:3]}"
        return len(receipted), len(stored)


def test_redis_killed_mid_submission_loses_no_receipted_comment_and_pages_fall_through(stack):
    stack.redis.ensure_running()
    stack.warm_card()
    with Load(stack, "redis") as load:
        time.sleep(3)
        killed = time.monotonic()
        stack.redis.kill()
        time.sleep(5)
        restarting = time.monotonic()
        stack.redis.start()
        back = time.monotonic()
        time.sleep(4)

    load.assert_sound({"card": {200}, "form": {200}, "comment": {302}})
    # While Redis was gone readers still got the card: the page-cache misses fell through to Django.
    cards_down = load.of("card", killed, restarting)
    assert cards_down, "no card request while Redis was down"
    assert any(a.cache != "hit" for a in cards_down)
    comments_down = load.of("comment", killed, restarting)
    assert comments_down, "no comment sent while Redis was down"
    receipts, rows = load.assert_receipts_stored()
    log = stack.web_log()
    unqueued = len(re.findall(r"could not queue the mail for comment", log))
    assert unqueued > 0, "no comment met the dead broker: the fault missed the submissions" + stack.tail()
    # The broker takes mail again as soon as Redis is back (Redis restarted empty: all it holds came after).
    receipted_after = sum(a.succeeded for a in load.of("comment", back))
    queued_after = stack.redis.queued()
    assert queued_after >= receipted_after > 0

    # Redis back (empty): pages are cached again once each worker's 5 s pause is over.
    stack.warm_card()

    # Celery beat's send_pending_mail, as it would run on the next quarter hour, sends what was not queued.
    sent = json.loads(stack.manage("send_pending_mail", "shell", "-c", SEND_PENDING_SNIPPET).splitlines()[-1])
    handled = sent["handled"]
    receipts_mailed = sum(to[0].startswith("resident") for to in sent["to"])
    notices = sum(to == ["moderators@example.jp"] for to in sent["to"])
    unsent = stack.postgres.sql(
        "SELECT count(*) FROM consultations_comment WHERE body LIKE %s "
        "AND (receipt_mail_sent_at IS NULL OR moderators_notified_at IS NULL)",
        (load.prefix + "%",),
    )[0][0]
    assert unsent == 0 and handled >= unqueued
    assert receipts_mailed == rows and notices == handled  # no worker ran: every mail of this run went now

    print(
        "FAULT-REDIS",
        json.dumps(
            {
                **load.summary(),
                "redis_down_s": round(restarting - killed, 1),
                "cards_while_down": len(cards_down),
                "cards_served_by_django_while_down": sum(a.cache != "hit" for a in cards_down),
                "comments_receipted_while_down": sum(a.status == 302 for a in comments_down),
                "receipts": receipts,
                "rows": rows,
                "mail_not_queued": unqueued,
                "receipted_after_redis_back": receipted_after,
                "mail_queued_after_redis_back": queued_after,
                "comments_handled_by_send_pending_mail": handled,
                "receipts_mailed": receipts_mailed,
                "moderator_notices": notices,
            }
        ),
    )


def test_postgres_restart_under_load_gives_try_again_pages_and_loses_no_receipted_comment(stack):
    stack.redis.ensure_running()
    stack.warm_card()
    try:
        with Load(stack, "postgres") as load:
            time.sleep(3)
            stopping = time.monotonic()
            stack.postgres.stop()
            stopped = time.monotonic()
            time.sleep(3)
            starting = time.monotonic()
            stack.postgres.start()
            started = time.monotonic()
            time.sleep(RECOVERY_SECONDS + 3)
    finally:
        if not stack.postgres.running():  # whatever failed, the database is up for the checks and the cleanup
            stack.postgres.start()

    load.assert_sound({"card": {200}, "form": {200, 503}, "comment": {302, 503}})
    # While the database was down: cached pages still served, everything else the try-again page.
    cards_down = load.of("card", stopped, starting)
    assert cards_down and all(a.cache == "hit" for a in cards_down), "a card was not served from the cache"
    needing_database = load.of("form", stopped, starting) + load.of("comment", stopped, starting)
    assert needing_database and all(a.status == 503 for a in needing_database)
    # Back by itself: gunicorn was never restarted, and within a few seconds everything works again.
    assert stack.processes.alive("web")
    recovered = [a for a in load.of("comment", started) if a.succeeded]
    assert recovered and min(a.ended for a in recovered) - started < RECOVERY_SECONDS, stack.tail()
    late = [a for a in load.answers if a.started > started + RECOVERY_SECONDS]
    assert late and all(a.succeeded for a in late), f"still failing after recovery: {late[:3]}"
    receipts, rows = load.assert_receipts_stored()

    unavailable = [a for a in load.answers if a.status == 503]
    print(
        "FAULT-POSTGRES",
        json.dumps(
            {
                **load.summary(),
                "stop_s": round(stopped - stopping, 2),
                "postgres_down_s": round(started - stopping, 1),
                "start_s": round(started - starting, 2),
                "cards_while_down": len(cards_down),
                "try_again_503": len(unavailable),
                "try_again_span_s": round(max(a.ended for a in unavailable) - min(a.started for a in unavailable), 1),
                "first_receipt_after_start_s": round(min(a.ended for a in recovered) - started, 2),
                "receipts": receipts,
                "rows_incl_503_but_committed": rows,
            }
        ),
    )
