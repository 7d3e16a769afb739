"""`make bench`: bounded load runs on loopback, written to docs/PERFORMANCE.md.

Every number is measured beside a reference in the same run: the same gunicorn (2 workers) serving a trivial
WSGI app that returns a byte string of the same size. Pages run on the embedded default (SQLite) and, when the
machine has them, on PostgreSQL + Redis; comment submission runs on PostgreSQL + Redis only.
"""

import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import analysis  # bench/analysis.py, beside this file
import instructions  # bench/instructions.py

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
DURATION = os.environ.get("BENCH_SECONDS", "8")
PAGES = {
    "home": "/ja/",
    "area": "/ja/plan/kurashi/",
    "initiative": "/ja/plan/kurashi/1-2/1-2-1/",
}
PG_URL = "postgres://postgres@127.0.0.1:5432/mieplan_bench"
PG_4100_URL = "postgres://postgres@127.0.0.1:5432/mieplan_bench_4100"
REDIS_URL = "redis://127.0.0.1:6379/14"
CSRF = "B3nchCsrfT0kenB3nchCsrfT0ken1234"
BENCH_RATE_LIMIT = "1000000000"
# `make serve`'s default (WEB_CONCURRENCY): one worker per core measured fastest here (more only contend).
COMMENT_WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url: str, redis_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "mieplan_site.settings.production",
        "SECRET_KEY": (ROOT / "var" / "secret_key").read_text().strip(),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        # The comment rate limit (5 per 10 minutes per address) would stop a one-address load test at once.
        "COMMENT_RATE_LIMIT": BENCH_RATE_LIMIT,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout


class Server:
    def __init__(self, app: str, env: dict, workers: int = 2) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [GUNICORN, app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/robots.txt" if "mieplan" in app else self.url + "/1", timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def wrk(url: str, connections: int, script: str | None = None, script_args: tuple = ()) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label in ("50", "99"):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        result[f"p{label}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    receipts = re.search(r"RECEIPTS (\d+) REFUSED (\d+)", output)
    if receipts:
        result["receipts"], result["refused"] = int(receipts.group(1)), int(receipts.group(2))
    return result


def page_size(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return len(response.read())


def bench_pages(env: dict, label: str) -> list[str]:
    app = Server("mieplan_site.wsgi", uncached(env))
    reference = Server("bench.reference_app:application", env)
    rows = []
    try:
        for name, path in PAGES.items():
            size = page_size(app.url + path)
            for connections in (1, 8):
                measured = wrk(app.url + path, connections)
                baseline = wrk(f"{reference.url}/{size}", connections)
                rows.append(
                    f"| {label} | {name} `{path}` | {size:,} | {connections} | {measured['rps']:.0f} "
                    f"| {measured['p50']:.1f} | {measured['p99']:.1f} | {baseline['rps']:.0f} "
                    f"| {measured['rps'] / baseline['rps']:.1%} | {measured['errors']} |"
                )
                print(rows[-1], flush=True)
    finally:
        app.stop()
        reference.stop()
    return rows


def uncached(env: dict) -> dict:
    return env | {"PAGE_CACHE_SECONDS": "0"}


CACHE_PAGES = {
    "home": "/ja/",
    "initiative": "/ja/plan/kurashi/1-2/1-2-1/",
    "search": "/ja/search/?q=%E9%98%B2%E7%81%BD",  # 防災
}


def bench_page_cache(env: dict) -> list[str]:
    """The same pages cold (page cache off) and from the page cache, beside the trivial app."""
    cold = Server("mieplan_site.wsgi", uncached(env))
    cached = Server("mieplan_site.wsgi", env)
    reference = Server("bench.reference_app:application", env)
    rows = []
    try:
        for name, path in CACHE_PAGES.items():
            size = page_size(cached.url + path)
            page_size(cached.url + path)  # the second request is the first hit
            for connections in (1, 8, 32):
                baseline = wrk(f"{reference.url}/{size}", connections)
                for mode, server in (("cold", cold), ("cached", cached)):
                    measured = wrk(server.url + path, connections)
                    rows.append(
                        f"| {name} `{path}` | {mode} | {size:,} | {connections} | {measured['rps']:.0f} "
                        f"| {measured['p50']:.1f} | {measured['p99']:.1f} | {baseline['rps']:.0f} "
                        f"| {measured['rps'] / baseline['rps']:.1%} | {measured['errors']} |"
                    )
                    print(rows[-1], flush=True)
    finally:
        for server in (cold, cached, reference):
            server.stop()
    return rows


PUBLISH_SNIPPET = """
import os, time
from plan.models import InitiativePage
card = InitiativePage.objects.get(number='1-2-1', locale__language_code='ja', slug='1-2-1')
page = card.get_latest_revision_as_object()
page.subtitle = os.environ['BENCH_MARKER']
print('STARTED', time.time())
page.save_revision().publish()
print('PUBLISHED', time.time())
"""


def bench_publish_freshness(env: dict, trials: int = 5) -> list[str]:
    """Publish a new subtitle for card 1-2-1 (another process, as an editor's admin request would) while 32
    readers load it from the page cache; time from the start of the publish to the first response showing it
    (so the publish itself, revision and search index included, counts too)."""
    server = Server("mieplan_site.wsgi", env)
    url = server.url + PAGES["initiative"]
    load = subprocess.Popen(
        ["wrk", "-t2", "-c32", f"-d{trials * 20}s", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    delays: list[float] = []
    publishing: list[float] = []
    try:
        for trial in range(trials):
            marker = f"更新確認{time.time_ns()}"
            page_size(url)
            publisher = subprocess.Popen(
                [PYTHON, "manage.py", "shell", "-c", PUBLISH_SNIPPET],
                cwd=ROOT,
                env=env | {"BENCH_MARKER": marker},
                stdout=subprocess.PIPE,
                text=True,
            )
            seen_at = None
            deadline = time.monotonic() + 60
            while seen_at is None and time.monotonic() < deadline:
                with urllib.request.urlopen(url, timeout=10) as response:
                    if marker in response.read().decode():
                        seen_at = time.time()
                time.sleep(0.005)
            output, _ = publisher.communicate(timeout=60)
            started_at, published_at = (float(value) for value in re.findall(r"(?:STARTED|PUBLISHED) ([\d.]+)", output))
            publishing.append((published_at - started_at) * 1000)
            # 0: the new text was already being served when publish() returned (the purge runs on commit).
            delays.append(max(seen_at - published_at, 0.0) * 1000 if seen_at else float("inf"))
            print(f"freshness trial {trial + 1}: publish {publishing[-1]:.0f} ms, then {delays[-1]:.0f} ms", flush=True)
    finally:
        load.terminate()
        load.wait()
        server.stop()
    return [f"| {trials} | {statistics.median(publishing):.0f} | {statistics.median(delays):.0f} | {max(delays):.0f} |"]


def postgres_available() -> bool:
    return (
        shutil.which("psql") is not None
        and subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0
    )


def redis_available() -> bool:
    return subprocess.run(["redis-cli", "-n", "14", "ping"], check=False, capture_output=True).returncode == 0


def prepare_database(env: dict, postgres_name: str = "", japanese_only: bool = False) -> None:
    """Create (PostgreSQL) and set up a benchmark database as `make run` would; reused by later runs."""
    if postgres_name:
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres"]
        query = f"SELECT 1 FROM pg_database WHERE datname='{postgres_name}'"  # noqa: S608 - our constant
        exists = subprocess.run([*psql, "-tAc", query], check=True, capture_output=True, text=True).stdout.strip()
        if not exists:
            subprocess.run([*psql, "-c", f"CREATE DATABASE {postgres_name}"], check=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_plan", "-v0", *(["--japanese-only"] if japanese_only else []))
    if not japanese_only:
        manage(env, "create_demo_consultation", "-v0")
    manage(env, "update_index", "-v0")
    manage(env, "shell", "-c", SETTLE_SNIPPET)


SHELL_SNIPPET = """
import time
from django.core import signing
from consultations.forms import FORM_SIGNING_SALT
from consultations.models import Comment, ConsultationPage
from plan.models import InitiativePage
c = ConsultationPage.objects.get(locale__language_code='ja')
print(signing.TimestampSigner(salt=FORM_SIGNING_SALT).sign(str(int(time.time()) - 60)))
print(InitiativePage.objects.get(number='3-1', locale__language_code='ja').pk)
print(c.pk)
print(Comment.objects.count())
"""


def bench_comments(env: dict) -> list[str]:
    token, target, consultation_id, before = manage(env, "shell", "-c", SHELL_SNIPPET).split()[-4:]
    app = Server("mieplan_site.wsgi", env, workers=COMMENT_WORKERS)
    try:
        url = app.url + f"/ja/comments/{consultation_id}/"
        run_id = str(time.time_ns())
        result = wrk(url, 16, str(ROOT / "bench" / "comment.lua"), (token, target, CSRF, run_id))
    finally:
        app.stop()
    after = int(manage(env, "shell", "-c", SHELL_SNIPPET).split()[-1])
    stored = after - int(before)
    lost = max(result["receipts"] - stored, 0)
    cut_off = max(stored - result["receipts"], 0)  # answered after wrk stopped counting: stored, not counted
    return [
        f"| {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | {result['receipts']:,} "
        f"| {stored:,} | {lost} | {cut_off} | {result['refused']} |"
    ]


QUEUE_SNIPPET = """
import statistics, time
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from consultations.models import Comment, ConsultationPage
from django.utils import timezone
consultation = ConsultationPage.objects.get(locale__language_code='ja')
missing = 100_000 - Comment.objects.count()
now = timezone.now()
batch = []
for i in range(max(missing, 0)):
    batch.append(Comment(consultation=consultation, body=f'大量試験用の意見 {i} ' + 'デジタル化について' * (i % 7),
                         fingerprint=str(i % 5000), publication='anonymous', submitted_at=now, target_label='計画全体'))
    if len(batch) == 5000:
        Comment.objects.bulk_create(batch); batch = []
Comment.objects.bulk_create(batch)
User = get_user_model()
admin = User.objects.filter(username='bench-admin').first()
admin = admin or User.objects.create_superuser('bench-admin', password=None)
client = Client(HTTP_HOST='127.0.0.1')
client.force_login(admin)
url = '/admin/snippets/consultations/comment/'
client.get(url)
timings = []
for _ in range(7):
    start = time.perf_counter(); response = client.get(url); timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200
print(Comment.objects.count(), round(statistics.median(timings), 1), round(max(timings), 1))
"""


EXPORT_SNIPPET = """
import os, resource
from consultations import exports
from consultations.models import Comment
comments = Comment.objects.all()
count = comments.count()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mode = os.environ['BENCH_EXPORT']
if mode == 'csv':
    size = sum(len(chunk) for chunk in exports.staff_csv_response(comments).streaming_content)
elif mode == 'xlsx':
    size = sum(len(chunk) for chunk in exports.staff_xlsx_response(comments).streaming_content)
else:
    size = len(list(comments))  # the reference: every comment held in memory at once
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(count, round(before / 1024), round(growth, 1), round(size / 2**20, 1))
"""


def bench_exports(env: dict) -> str:
    """Peak memory of each staff export over every comment (its own process), beside holding them in a list."""
    measured = {}
    for mode in ("csv", "xlsx", "list"):
        output = manage(env | {"BENCH_EXPORT": mode}, "shell", "-c", EXPORT_SNIPPET)
        measured[mode] = output.split()[-4:]
    count, base, csv_growth, csv_size = measured["csv"]
    _count, _base, xlsx_growth, xlsx_size = measured["xlsx"]
    list_growth = measured["list"][2]
    return f"| {int(count):,} | {base} | {csv_growth} | {csv_size} | {xlsx_growth} | {xlsx_size} | {list_growth} |"


MASKING_SNIPPET = """
import json, time
from consultations.masking import mask_personal_data
from consultations.masking_evaluation import evaluate, load_cases
cases = load_cases()
scores, _problems = evaluate(cases)
# 10,000 different comments of about 200 characters, each made of five labelled cases in turn.
texts = [" ".join(cases[(i * 5 + k) % len(cases)].text for k in range(5)) + f"（{i}）" for i in range(10000)]
mask_personal_data.cache_clear()
start = time.perf_counter()
for text in texts:
    mask_personal_data(text)
seconds = time.perf_counter() - start
print(json.dumps({"cases": len(cases), "seconds": seconds, "chars": sum(map(len, texts)) / len(texts),
    "scores": {k: [s.precision, s.recall, s.marks] for k, s in scores.items()}}))
"""


def bench_masking(env: dict) -> list[str]:
    """Precision and recall per kind on the labelled set, and the time to mask 10,000 comments."""
    measured = json.loads(manage(env, "shell", "-c", MASKING_SNIPPET).strip().splitlines()[-1])
    rows = [
        f"| {kind} | {marks} | {precision:.3f} | {recall:.3f} |"
        for kind, (precision, recall, marks) in measured["scores"].items()
    ]
    speed = (
        f"10,000 comments of {measured['chars']:.0f} characters on average masked in {measured['seconds']:.1f} s "
        f"({10000 / measured['seconds']:,.0f} comments/s, one process)."
    )
    return [*rows, "", speed]


def bench_moderation_queue(env: dict) -> str:
    count, median, worst = manage(env, "shell", "-c", QUEUE_SNIPPET).split()[-3:]
    return f"| {int(count):,} | {median} | {worst} |"


COPY_CARDS_SNIPPET = """
from plan.models import InitiativePage, KPI, CardDepartment
from wagtail.models import Page
originals = list(InitiativePage.objects.filter(locale__language_code='ja', slug__regex=r'^[0-9-]+$'))
copies = InitiativePage.objects.count() // len(originals)
for k in range(copies, 100):
    for card in originals:
        copy = InitiativePage(title=card.title, slug=f'{card.slug}-copy{k}', number=card.number,
                              subtitle=card.subtitle, goal=card.goal.raw_data, issues=card.issues.raw_data,
                              overview=card.overview.raw_data, measures=card.measures.raw_data, live=True)
        card.get_parent().add_child(instance=copy)
        for row in card.kpis.all():
            KPI.objects.create(page=copy, indicator=row.indicator, baseline=row.baseline, target=row.target,
                               note=row.note, sort_order=row.sort_order)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert, as autovacuum would give
print(InitiativePage.objects.count())
"""


# After re-indexing 4,100 pages, as autovacuum would within a minute: PostgreSQL's GIN index keeps fresh
# entries in a pending list that every search scans until VACUUM merges it; fresh planner statistics.
SETTLE_SNIPPET = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
"""


def search_queries() -> list[str]:
    from urllib.parse import quote

    import yaml

    items = yaml.safe_load((ROOT / "tests" / "search" / "queries.yaml").read_text(encoding="utf-8"))["queries"]
    return [quote(item["q"]) for item in items[:30]]


def bench_search(env: dict, label: str, pages: int) -> str:
    if pages > 41:
        cards = int(manage(env, "shell", "-c", COPY_CARDS_SNIPPET).split()[-1])
        manage(env, "update_index", "-v0")
        manage(env, "shell", "-c", SETTLE_SNIPPET)
    else:
        cards = 41
    app = Server("mieplan_site.wsgi", uncached(env))
    try:
        result = wrk(app.url + "/ja/search/", 1, str(ROOT / "bench" / "search.lua"), tuple(search_queries()))
    finally:
        app.stop()
    return (
        f"| {label} | {cards:,} | 30 | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
        f"| {result['errors']} |"
    )


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, {system}, Python {platform.python_version()}"


def main() -> None:
    started = datetime.now(ZoneInfo("Asia/Tokyo"))
    sqlite_env = base_env(f"sqlite:///{ROOT / 'db.sqlite3'}")
    page_rows = bench_pages(sqlite_env, "SQLite")
    sqlite_4100 = base_env(f"sqlite:///{ROOT / 'var' / 'bench-4100.sqlite3'}")
    prepare_database(sqlite_4100, japanese_only=True)
    search_rows = [bench_search(sqlite_env, "SQLite", 41), bench_search(sqlite_4100, "SQLite", 4100)]
    print(*search_rows, sep="\n", flush=True)
    report = Report(started, page_rows, search_rows, masking_rows=bench_masking(sqlite_env))
    report.instruction_lines = bench_instructions(sqlite_env, started)
    print(*report.masking_rows, sep="\n", flush=True)
    report.analysis_lines = bench_analysis()
    if postgres_available() and redis_available():
        pg_env = base_env(PG_URL, REDIS_URL)
        prepare_database(pg_env, "mieplan_bench")
        pg_4100 = base_env(PG_4100_URL, REDIS_URL)
        prepare_database(pg_4100, "mieplan_bench_4100", japanese_only=True)
        search_rows += [bench_search(pg_env, "PostgreSQL", 41), bench_search(pg_4100, "PostgreSQL", 4100)]
        print(*search_rows[2:], sep="\n", flush=True)
        page_rows += bench_pages(pg_env, "PostgreSQL + Redis")
        report.cache_rows = bench_page_cache(pg_env)
        report.freshness_rows = bench_publish_freshness(pg_env)
        report.comment_rows = bench_comments(pg_env)
        print(report.comment_rows[-1], flush=True)
        report.queue_row = bench_moderation_queue(pg_env)
        print(report.queue_row, flush=True)
        report.export_row = bench_exports(pg_env)
        print(report.export_row, flush=True)
    else:
        print("PostgreSQL or Redis not reachable: cache, comment and moderation benchmarks skipped", flush=True)
    write_report(report)


@dataclass
class Report:
    started: datetime
    page_rows: list[str]
    search_rows: list[str]
    cache_rows: list[str] = field(default_factory=list)
    freshness_rows: list[str] = field(default_factory=list)
    comment_rows: list[str] = field(default_factory=list)
    queue_row: str = ""
    export_row: str = ""
    masking_rows: list[str] = field(default_factory=list)
    analysis_lines: list[str] = field(default_factory=list)
    instruction_lines: list[str] = field(default_factory=list)


KEPT_MARKER = "<!-- make bench keeps what follows -->"


def write_report(report: Report) -> None:
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {report.started:%Y-%m-%d %H:%M} (Asia/Tokyo).",
        f"Machine: {machine()}.",
        f"Each run: `wrk` on loopback for {DURATION} s; the app under `gunicorn` with 2 workers and production "
        "settings (DEBUG off, WhiteNoise static files). The reference is the same gunicorn serving a trivial WSGI "
        "app that returns a byte string of the same size as the page, measured in the same run: the ratio says "
        "how much of the server's capacity the application itself uses.",
        "",
        "## Pages (anonymous readers, page cache off)",
        "",
        "| database | page | bytes | clients | req/s | p50 ms | p99 ms | reference req/s | ratio | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *report.page_rows,
        "",
        "Target (issue 2): an uncached initiative page within 25 ms median at one client.",
        "",
        *report.instruction_lines,
        "## Search (`/ja/search/?q=…`, one client, page cache off)",
        "",
        "The first 30 queries of `tests/search/queries.yaml` in turn, through the whole search page (query, ten "
        "hits with snippets, template). 4,100 pages = the 41 cards and 99 copies of each, indexed.",
        "",
        "| database | cards | queries | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *report.search_rows,
        "",
        "Target (issue 5): median ≤ 20 ms at 4,100 pages.",
        "",
        "## Personal-data masking (`consultations/masking.py`)",
        "",
        "Precision and recall per kind on the labelled comments of `tests/consultations/data/masking_cases.yaml` "
        "(`manage.py evaluate_masking`): a finding is right when it overlaps a mark of its kind, a mark is found "
        "when findings of its kind cover all of it.",
        "",
        "| kind | marks | precision | recall |",
        "|---|---:|---:|---:|",
        *report.masking_rows,
        "",
        "Targets (issue 12): ≥ 0.95 precision and recall for phones, e-mails, postal codes and 12-digit numbers; "
        "names recall ≥ 0.9.",
        "",
    ]
    if report.cache_rows:
        lines += [
            "## Page cache (PostgreSQL + Redis)",
            "",
            "The same pages from a server with the page cache off (cold: every request renders) and on (cached: "
            "`mieplan_site/pagecache.py` answers from Redis before Django runs), beside the trivial app measured in "
            "the same run with the same number of clients.",
            "",
            "| page | mode | bytes | clients | req/s | p50 ms | p99 ms | reference req/s | ratio | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            *report.cache_rows,
            "",
            "Targets (issue 6): cached initiative page ≥ 50% of the trivial app's requests/s; p99 < 100 ms at 32 "
            "concurrent readers.",
            "",
            "### From publish to readers",
            "",
            "Another process publishes a new subtitle for card 1-2-1 (as an editor's admin request on another app "
            "server would) while 32 readers load the card from the page cache; a poller measures from the moment "
            "`publish()` returned to the first response that shows the new text (0: it was already served). The "
            "app servers keep a local copy of a served page for `PAGE_CACHE_LOCAL_SECONDS` (0.5 s) on top of "
            "Redis; a purge reaches them within it.",
            "",
            "| trials | publishing took (median ms) | new text served after (median ms) | worst ms |",
            "|---:|---:|---:|---:|",
            *report.freshness_rows,
            "",
            "Target (issue 6): new text served within 1 s.",
            "",
        ]
    if report.comment_rows:
        lines += [
            f"## Comment submission (PostgreSQL + Redis, 16 connections, `make serve`'s {COMMENT_WORKERS} workers)",
            "",
            f"The rate limit is a setting; this run raises `COMMENT_RATE_LIMIT` to {int(BENCH_RATE_LIMIT):,} so that "
            "one loopback address can post at full speed. Every request posts a different comment; success is "
            "the 302 to the receipt page. Rows are counted in the database before and after the run.",
            "",
            "| comments/s | p50 ms | p99 ms | receipts (302) | rows stored | receipts without a row (lost) "
            "| rows stored after wrk stopped counting | other responses |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            *report.comment_rows,
            "",
            "Target (issue 3): ≥ 200 comments/s with zero lost.",
            "",
            "## Moderation queue with 100,000 comments (PostgreSQL)",
            "",
            "First page of `/admin/snippets/consultations/comment/` as an administrator, in-process Django test "
            "client, median and worst of 7 requests after one warm-up.",
            "",
            "| comments | median ms | worst ms |",
            "|---:|---:|---:|",
            report.queue_row,
            "",
            "Target (issue 3): first page in < 300 ms.",
            "",
            "## Staff exports of every comment (PostgreSQL)",
            "",
            "The CSV (streamed) and XLSX (rows written to a temporary file as they come) exports of all comments, "
            "each in its own process and consumed to the end: growth of the process's peak resident memory over "
            "its size before, beside the growth from holding every comment in a Python list (the reference).",
            "",
            "| comments | RSS before MB | CSV: peak growth MB | CSV size MB | XLSX: peak growth MB | XLSX size MB "
            "| reference: all comments in a list, growth MB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            report.export_row,
            "",
            "Target (issue 3): 100,000 comments export in bounded memory.",
            "",
        ]
    lines += report.analysis_lines
    target = ROOT / "docs" / "PERFORMANCE.md"
    # Numbers measured outside the bench (first run, test suite, CI) follow this marker and are kept as they are.
    kept = target.read_text(encoding="utf-8").partition(KEPT_MARKER) if target.exists() else ("", "", "")
    if kept[1]:
        lines += [KEPT_MARKER + kept[2].rstrip("\n"), ""]
    target.write_text("\n".join(lines), encoding="utf-8")
    print("wrote docs/PERFORMANCE.md")


def bench_instructions(env: dict, started: datetime, note: str = "") -> list[str]:
    """Issue 11: CPU instructions (callgrind) and SQL queries per uncached render of each page type."""
    results = instructions.measure(env)
    lines = instructions.section(results, f"{started:%Y-%m-%d %H:%M} (Asia/Tokyo)", machine(), note)
    print(*lines, sep="\n", flush=True)
    return lines


def bench_analysis() -> list[str]:
    """Issue 12: the labelled sets' scores and 10,000- and 100,000-comment runs, on a SQLite database of its own."""
    env = base_env(f"sqlite:///{ROOT / 'var' / 'bench-analysis.sqlite3'}")
    prepare_database(env, japanese_only=True)
    manage(env, "create_demo_consultation", "-v0")
    return analysis.bench(env, manage)


if __name__ == "__main__":
    if sys.argv[1:] == ["analysis"]:  # only the analysis section, spliced into the existing report
        analysis.splice(ROOT / "docs" / "PERFORMANCE.md", bench_analysis(), KEPT_MARKER)
        print("updated docs/PERFORMANCE.md")
    elif sys.argv[1:2] == ["instructions"]:  # only the instructions section, spliced into the existing report
        note = " ".join(sys.argv[2:])  # e.g. "; the machine was loaded by other work"
        lines = bench_instructions(
            base_env(f"sqlite:///{ROOT / 'db.sqlite3'}"), datetime.now(ZoneInfo("Asia/Tokyo")), note
        )
        analysis.splice(ROOT / "docs" / "PERFORMANCE.md", lines, KEPT_MARKER, instructions.SECTION)
        print("updated docs/PERFORMANCE.md")
    else:
        main()
