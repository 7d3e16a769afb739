"""Loads the shipped やさしい日本語 summaries (plan/data/easy-ja.yaml) into the Japanese cards.

A step of its own after `load_plan` (the plan loader stays about the document); the consultation's summary in
the same file is set by consultations' `load_easy_japanese` command, which calls this. Idempotent: a page gets a new
published revision only when its easy summary differs from the file; a page the file does not name is left as
the editors wrote it.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from wagtail.models import Page

from plan.models import InitiativePage

EASY_FILE = Path(__file__).resolve().parent / "data" / "easy-ja.yaml"


@dataclass
class EasyReport:
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def shipped_texts(path: Path = EASY_FILE) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"cards": data.get("cards") or {}, "consultation": data.get("consultation") or ""}


def set_easy_summary(page: Page, text: str, label: str, report: EasyReport) -> None:
    text = text.strip()
    if page.easy_summary == text:
        report.unchanged.append(label)
        return
    page.easy_summary = text
    page.save_revision().publish()
    report.updated.append(label)


@transaction.atomic
def load_easy_texts(path: Path = EASY_FILE, report: EasyReport | None = None) -> EasyReport:
    texts = shipped_texts(path)
    report = report or EasyReport()
    cards = {card.number: card for card in InitiativePage.objects.filter(locale__language_code="ja")}
    for number, text in texts["cards"].items():
        if (card := cards.get(str(number))) is None:
            report.missing.append(str(number))
        else:
            set_easy_summary(card, text, str(number), report)
    return report
