"""CPU instructions and SQL queries per uncached page render, beside a plain Django reference in the same run.

Counted with valgrind's callgrind (the machine's `perf` has no hardware counters here). One Python process
runs under callgrind: Django starts, each page is requested twice (filling what a process keeps: templates,
the Site, translations; the second request's queries are counted), then rendered REPEAT more times with a
marker call (`os.getppid()`, which nothing else calls) before each render and after the last. Callgrind
dumps its counters at each marker (`--dump-before=getppid`), so each dump between two markers holds exactly one
render: the Django handler and every middleware, the view, the template, the database, through the test
client (no HTTP server, no network). The page cache is off; production settings (DEBUG off).

The reference is a plain Django view (bench/reference_urls.py) rendering a template of about a card's size
from a list, through the same middleware and the same process: what a page of that size costs with no CMS.

`python bench/run.py instructions` runs only this part and replaces its section of docs/PERFORMANCE.md.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Instructions and queries per page render"
REPEAT = 5
REFERENCE = "reference: plain Django view and template"


def pages() -> dict[str, str]:
    from plan.models import AreaPage, InitiativePage

    urls = {}
    for language in ("ja", "en"):
        card = InitiativePage.objects.get(number="1-2-1", locale__language_code=language)
        urls[f"home `/{language}/`"] = f"/{language}/"
        area = AreaPage.objects.get(slug="kurashi", locale__language_code=language)
        urls[f"area `{area.url}`"] = area.url
        direction = card.get_parent()
        urls[f"direction `{direction.url}`"] = direction.url
        urls[f"initiative `{card.url}`"] = card.url
    urls[REFERENCE] = "/bench-reference/"
    return urls


def inside() -> None:
    """Run under callgrind: render each page and print what was rendered, in marker order."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ROOT_URLCONF = "bench.reference_urls"
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])  # as the bench's servers are addressed
    results = []
    for name, url in pages().items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        for _ in range(REPEAT):
            os.getppid()  # marker: callgrind dumps here
            client.get(url)
        os.getppid()  # ends the last render (the next page's warm-up is not counted)
        results.append({"name": name, "queries": len(context.captured_queries), "bytes": len(response.content)})
    print("RESULTS " + json.dumps(results), flush=True)


def measure(env: dict) -> list[dict]:
    if shutil.which("valgrind") is None:
        raise RuntimeError("valgrind is missing (apt-get install valgrind)")
    env = env | {"PAGE_CACHE_SECONDS": "0", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cg.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            "--dump-before=getppid",
            "--dump-instr=no",
            "--compress-strings=no",
            sys.executable,
            str(Path(__file__)),
            "--inside",
        ]
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        results = json.loads(run.stdout.split("RESULTS ", 1)[1])
        counts = {}
        for dump in Path(folder).glob("cg.out.*"):  # cg.out.N: the counters up to the N-th marker
            number = int(dump.name.rsplit(".", 1)[1])
            summary = re.search(r"^summary: (\d+)", dump.read_text(encoding="utf-8", errors="replace"), re.M)
            counts[number] = int(summary.group(1))
    # Markers: one before each of a page's REPEAT renders and one after the last.
    for index, result in enumerate(results):
        first = index * (REPEAT + 1) + 2  # dump N holds what ran between marker N-1 and marker N
        result["renders"] = [counts[number] for number in range(first, first + REPEAT)]
        result["median"] = statistics.median(result["renders"])
    return results


def rows(results: list[dict]) -> list[str]:
    reference = next(result for result in results if result["name"] == REFERENCE)
    lines = []
    for result in results:
        spread = f"{min(result['renders']) / 1e6:.1f}–{max(result['renders']) / 1e6:.1f}"
        lines.append(
            f"| {result['name']} | {result['bytes']:,} | {result['queries']} | {result['median'] / 1e6:.1f} "
            f"| {spread} | {result['median'] / reference['median']:.1f}× |"
        )
    return lines


def section(results: list[dict], started: str, machine: str, note: str = "") -> list[str]:
    return [
        SECTION,
        "",
        f"Measured {started} on {machine}{note}. Uncached renders (page cache off, production settings, "
        f"DEBUG off, SQLite) in one process under valgrind's callgrind, through Django's test client: "
        f"instructions of each of {REPEAT} renders after two warm-up requests (median, and the range), SQL "
        "queries of one render. The reference is a plain Django view rendering a template of about a card's "
        "size through the same middleware in the same run (`bench/reference_urls.py`). "
        "`python bench/run.py instructions` measures this section alone.",
        "",
        "| page | bytes | SQL queries | M instructions (median) | range | × reference |",
        "|---|---:|---:|---:|---:|---:|",
        *rows(results),
        "",
        "Targets (issue 11): an initiative card ≤ 12 queries and ≤ 60 M instructions whatever its KPI rows and "
        "comments; area and direction pages ≤ 12 queries; home ≤ 8; English no more than Japanese (query "
        "budgets checked by tests/plan/test_page_queries.py).",
        "",
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["--inside"]:
        inside()
