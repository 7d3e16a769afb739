"""Precision and recall of the personal-data masker per kind, on a labelled set of comments.

A case is a text with `[[kind:text]]` marks around what must be masked. A finding counts as right when it
overlaps a mark of its kind; a mark counts as found when findings of its kind cover all of it.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from consultations.masking import PRIORITY, Span, find_personal_data

MARK_RE = re.compile(r"\[\[(\w+):(.+?)\]\]")
DEFAULT_CASES = Path(__file__).resolve().parent.parent / "tests" / "consultations" / "data" / "masking_cases.yaml"


@dataclass(frozen=True)
class Case:
    text: str
    marks: tuple[Span, ...]


def parse_case(marked: str) -> Case:
    text, marks, position = "", [], 0
    for match in MARK_RE.finditer(marked):
        text += marked[position : match.start()]
        start = len(text)
        text += match.group(2)
        marks.append(Span(start, len(text), match.group(1)))
        position = match.end()
    return Case(text + marked[position:], tuple(marks))


def load_cases(path: Path = DEFAULT_CASES) -> list[Case]:
    return [parse_case(marked) for marked in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


@dataclass
class KindScore:
    kind: str
    marks: int
    found: int  # marks covered
    findings: int
    right: int  # findings overlapping a mark of the kind

    @property
    def recall(self) -> float:
        return self.found / self.marks if self.marks else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.findings if self.findings else 1.0


def evaluate(cases: list[Case]) -> tuple[dict[str, KindScore], list[str]]:
    """Scores per kind, and one line per miss or false finding (for the report)."""
    counts: Counter = Counter()
    problems = []
    for case in cases:
        findings = find_personal_data(case.text)
        for mark in case.marks:
            covered = {i for f in findings if f.kind == mark.kind for i in range(f.start, f.end)}
            counts[mark.kind, "marks"] += 1
            if set(range(mark.start, mark.end)) <= covered:
                counts[mark.kind, "found"] += 1
            else:
                problems.append(f"missed {mark.kind} {case.text[mark.start : mark.end]!r} in {case.text!r}")
        for finding in findings:
            counts[finding.kind, "findings"] += 1
            if any(m.kind == finding.kind and m.start < finding.end and finding.start < m.end for m in case.marks):
                counts[finding.kind, "right"] += 1
            else:
                wrong = case.text[finding.start : finding.end]
                problems.append(f"false {finding.kind} {wrong!r} in {case.text!r}")
    scores = {
        kind: KindScore(kind, *(counts[kind, key] for key in ("marks", "found", "findings", "right")))
        for kind in PRIORITY
    }
    return scores, problems
