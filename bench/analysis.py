"""The comment analysis in `make bench`: agreement with the labelled sets, and a run over many stored comments.

`python bench/run.py analysis` runs only this part and replaces its section of docs/PERFORMANCE.md.
"""

import hashlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALES = (10_000, 100_000)  # the first is run twice to check the output is byte-identical
SECTION = "## Comment analysis"

FILL_SNIPPET = """
import sys
sys.path.insert(0, '.')
from bench.analysis_corpus import corpus
from consultations.models import Comment, ConsultationPage
from consultations.models.comments import fingerprint
from plan.models import InitiativePage
consultation = ConsultationPage.objects.get(locale__language_code='ja')
wanted = {count}
have = Comment.objects.filter(consultation=consultation).count()
if have != wanted:
    Comment.objects.filter(consultation=consultation).delete()
    cards = {{c.number: c for c in InitiativePage.objects.filter(locale__language_code='ja')}}
    rows = corpus(wanted)
    Comment.objects.bulk_create(
        [Comment(consultation=consultation, body=row['text'], target_page=cards.get(row['card']),
                 target_part=row['part'] if row['card'] else 'whole', publication='anonymous',
                 client_key=f'bench-{{i}}', fingerprint=fingerprint(row['text']))
         for i, row in enumerate(rows)],
        batch_size=1000,
    )
print(consultation.slug)
"""


def labelled_rows() -> list[str]:
    from consultations.analysis.pipeline import analyse
    from tests.consultations.labelled_set import LABELLED_SETS, card_texts, load, scores

    rows = []
    for name in LABELLED_SETS:
        labelled = load(name)
        measured = scores(labelled, analyse(labelled.inputs, card_texts()))
        rows.append(
            f"| `{name}` | {len(labelled.inputs)} | {len(set(labelled.topic.values()) - {'other', 'foreign'})} "
            f"| {measured['topics']} | {measured['ari']:.2f} | {measured['nmi']:.2f} "
            f"| {measured['campaign_precision']:.2f} / {measured['campaign_recall']:.2f} "
            f"| {measured['language_accuracy']:.2f} |"
        )
    return rows


MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def scale_row(env: dict, manage, count: int, runs: int) -> str:
    slug = manage(env, "shell", "-c", FILL_SNIPPET.format(count=count)).split()[-1]
    digests = []
    for run in range(1, runs + 1):
        out = ROOT / "var" / f"bench-analysis-{run}.json"
        started = time.monotonic()
        command = [sys.executable, "manage.py", "analyse_comments", slug, "--json", str(out)]
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        wall = time.monotonic() - started
        peak_mib = int(result.stdout.split()[-1]) / 1024
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    campaigns = len({c["campaign"] for c in data["comments"] if c["campaign"]})
    identical = ("yes" if digests[0] == digests[1] else "NO") if runs > 1 else "(run once)"
    return f"| {count:,} | {wall:.1f} | {peak_mib:,.0f} | {len(data['topics'])} | {campaigns} | {identical} |"


def machine() -> str:
    """Where and when the figures were measured, with the load they were measured under (a shared machine)."""
    import datetime
    import os
    import platform
    from zoneinfo import ZoneInfo

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            platform.processor() or "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    when = datetime.datetime.now(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M JST")
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"Measured {when} on {os.cpu_count()} × {cpu}, Python {platform.python_version()}; "
        f"load average after the runs (1 / 5 / 15 min): {load}."
    )


def section(labelled: list[str], scale: list[str]) -> list[str]:
    return [
        SECTION,
        "",
        machine(),
        "",
        "Agreement with the hand-labelled sets (`tests/consultations/data/`): adjusted Rand index and NMI of the "
        "topics against the labels on Japanese on-topic comments (every campaign letter counted), pair "
        "precision/recall of the campaigns, languages detected. Number of topics chosen automatically.",
        "",
        "| set | comments | labelled topics | topics found | ARI | NMI | campaigns P / R | languages |",
        "|---|---|---|---|---|---|---|---|",
        *labelled,
        "",
        "`manage.py analyse_comments` over stored comments (SQLite, its own process: Django start-up, masking, "
        "analysis, storing the proposal, writing the JSON), 10,000 run twice to check the output is byte-identical. "
        "The comments are `bench/analysis_corpus.py`'s, grown from the labelled sets. One process, so one core: "
        "past one machine the per-comment steps run as Celery chunks on several workers (docs/DEPLOY.md). "
        "Target for 10,000: ≤ 60 s, ≤ 1.5 GiB.",
        "",
        "| comments | wall (s) | peak RSS (MiB) | topics | campaigns | byte-identical |",
        "|---|---|---|---|---|---|",
        *scale,
        "",
    ]


def bench(env: dict, manage) -> list[str]:
    labelled = labelled_rows()
    print(*labelled, sep="\n", flush=True)
    scale = []
    for count in SCALES:
        scale.append(scale_row(env, manage, count, 2 if count == SCALES[0] else 1))
        print(scale[-1], flush=True)
    return section(labelled, scale)


def splice(report: Path, lines: list[str], kept_marker: str, heading: str = SECTION) -> None:
    """Replace a section (the analysis, by default) of an existing report, or put it before what the bench
    keeps as it is."""
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    section = "\n".join(lines)
    if heading in text:
        head, _found, rest = text.partition(heading)
        ends = [i for i in (rest.find("\n## "), rest.find(kept_marker)) if i >= 0]
        tail = rest[min(ends) :].lstrip("\n") if ends else ""
    else:
        head, marker, rest = text.partition(kept_marker)
        tail = marker + rest
    report.write_text(head.rstrip("\n") + "\n\n" + section + ("\n" + tail if tail else "\n"), encoding="utf-8")
