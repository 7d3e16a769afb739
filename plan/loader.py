"""Loads the shipped interim draft (plan/data/ja/*.yaml) into the page tree.

Idempotent: a page is saved, as a new published revision, only when its data differs from what is live.
StreamField blocks get ids derived from their place in the plan, so a reload changes nothing and comments
can keep pointing at list items (wagtail-localize also needs ids on code-made blocks, #298).
"""

import html
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from home.models import HomePage
from home.origin import sync_default_site
from plan.models import (
    KPI,
    AreaPage,
    CardDepartment,
    ChapterPage,
    Department,
    DirectionPage,
    InitiativePage,
    PlanPage,
)
from plan.translations import TranslationReport, load_translations
from search.signals import reindex_published_page

DATA_DIR = Path(__file__).resolve().parent / "data" / "ja"
BLOCK_ID_NAMESPACE = uuid.UUID("0d6f4a8e-5a43-4c55-9d0c-6a1f3b2f6c11")
CARD_FILES = ("cards-1.yaml", "cards-2.yaml", "cards-3.yaml")
# Chapters 10-12 of the document are the three areas; the rest are general chapters around them.
FIRST_CHAPTER_AFTER_AREAS = 13
KPI_FIELDS = (
    "indicator",
    "baseline_label",
    "baseline",
    "target_label",
    "target",
    "note",
    "repost_of_id",
    "schedule",
)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    translations: TranslationReport | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or (self.translations and self.translations.translated))


def block_id(*parts: object) -> str:
    return str(uuid.uuid5(BLOCK_ID_NAMESPACE, ":".join(str(part) for part in parts)))


def list_value(items: list[Any], *key: object) -> list[dict]:
    """A ListBlock value in Wagtail's current format: every item carries an id."""
    return [{"type": "item", "value": item, "id": block_id(*key, index)} for index, item in enumerate(items)]


def item_stream(items: list[str], *key: object) -> list[dict]:
    return [{"type": "item", "value": item, "id": block_id(*key, index)} for index, item in enumerate(items)]


def chapter_body(blocks: list[dict], key: str) -> list[dict]:
    stream = []
    for index, block in enumerate(blocks):
        ((kind, value),) = block.items()
        bid = block_id(key, index)
        if kind == "paragraph":
            value = "".join(f"<p>{html.escape(line)}</p>" for line in str(value).split("\n") if line.strip())
        elif kind == "list":
            value = list_value(value, key, index)
        elif kind == "table":
            value = {
                "caption": value["caption"],
                "header": list_value(value["header"], key, index, "header"),
                "rows": list_value(
                    [list_value(row, key, index, "row", r) for r, row in enumerate(value["rows"])],
                    key,
                    index,
                    "rows",
                ),
            }
        elif kind == "figure":
            value = {"image": None, "caption": value, "alt_text": "", "decorative": False}
        elif kind not in {"heading", "quote", "note"}:
            raise ValueError(f"unknown block type {kind!r} in {key}")
        stream.append({"type": kind, "value": value, "id": bid})
    return stream


@contextmanager
def bulk_indexing() -> Iterator[None]:
    """Search-index and reference-index each object once when the block ends, not on each of its saves.

    A load saves a page several times (created, revised, published, copied as an alias, translated) and
    Wagtail re-indexes it after every save: most of a first load's time. The block must run inside the load's
    transaction, so a failed or dry run leaves no index entries either.
    """
    saved: dict[type, set] = defaultdict(set)

    def remember(sender, instance, raw=False, **kwargs) -> None:
        if not raw:
            saved[sender].add(instance.pk)

    indexed = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in indexed:
        post_save.disconnect(post_save_signal_handler, sender=model)
    page_published.disconnect(reindex_published_page)
    post_save.connect(remember, weak=False, dispatch_uid="plan.loader.bulk_indexing")
    try:
        with disable_reference_index_auto_update():
            yield
        if not transaction.get_rollback():  # a dry run is rolled back: nothing to index
            index_saved(saved)
    finally:
        post_save.disconnect(dispatch_uid="plan.loader.bulk_indexing")
        page_published.connect(reindex_published_page)
        for model in indexed:
            post_save.connect(post_save_signal_handler, sender=model)


def index_saved(saved: dict[type, set]) -> None:
    page_ids = {pk for model, pks in saved.items() if issubclass(model, Page) for pk in pks}
    by_model: dict[type, list] = defaultdict(list)
    for page in Page.objects.filter(pk__in=page_ids).specific():
        by_model[type(page)].append(page)
    for model, pks in saved.items():
        if not issubclass(model, Page):
            by_model[model].extend(model._default_manager.filter(pk__in=pks))
    backends = list(get_search_backends(with_auto_update=True))
    for model, objects in by_model.items():
        if ReferenceIndex.is_indexed(model):
            for instance in objects:
                ReferenceIndex.create_or_update_for_object(instance)
        if issubclass(model, search_index.Indexed) and getattr(model, "search_auto_update", True):
            indexed = list(model.get_indexed_objects().filter(pk__in=[instance.pk for instance in objects]))
            for backend in backends:
                backend.add_bulk(model, indexed)


class PlanLoader:
    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = data_dir
        self.report = LoadReport()
        self.locale = Locale.get_default()

    def read(self, name: str) -> dict:
        with open(self.data_dir / name, encoding="utf-8") as stream:
            return yaml.safe_load(stream)

    def run(self, dry_run: bool = False, translations: bool = True) -> LoadReport:
        plan_data = self.read("plan.yaml")
        cards = [card for name in CARD_FILES for card in self.read(name)["cards"]]
        with transaction.atomic(), bulk_indexing():
            home = self.load_home(plan_data["plan"])
            plan = self.load_plan_page(home, plan_data)
            chapters = sorted(plan_data["chapters"], key=lambda chapter: chapter["number"])
            for chapter in chapters:
                if chapter["number"] < FIRST_CHAPTER_AFTER_AREAS:
                    self.load_chapter(plan, chapter)
            directions = {}
            for area_data in plan_data["areas"]:
                area = self.load_area(plan, area_data)
                for direction_data in area_data["directions"]:
                    directions[str(direction_data["number"])] = self.load_direction(area, direction_data)
            for chapter in chapters:
                if chapter["number"] >= FIRST_CHAPTER_AFTER_AREAS:
                    self.load_chapter(plan, chapter)
            for card in cards:
                number = str(card["number"])
                direction_number = "-".join(number.split("-")[:2])
                self.load_card(directions[direction_number], card)
            if translations:
                self.report.translations = load_translations()
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    # Pages ---------------------------------------------------------------------------------------

    def sync_page(self, parent: Page, model: type[Page], slug: str, values: dict[str, Any], label: str) -> Page:
        """Create the page or bring it in line with `values`, publishing a revision only on a change."""
        page = model.objects.filter(locale=self.locale, slug=slug).child_of(parent).first()
        created = page is None
        if created:
            page = model(slug=slug, locale=self.locale, live=False)
        changed = created or self.differs(page, values)
        if not changed:
            self.report.unchanged.append(label)
            return page
        for name, value in values.items():
            setattr(page, name, value)
        if created:
            parent.add_child(instance=page)
        self.publish(page, label, created)
        return page

    def differs(self, page: Page, values: dict[str, Any]) -> bool:
        if not page.live or page.has_unpublished_changes:
            return True
        return any(
            self.comparable(page, name, getattr(page, name)) != self.comparable(page, name, value)
            for name, value in values.items()
        )

    @staticmethod
    def comparable(page: Page, name: str, value: Any) -> Any:
        model_field = page._meta.get_field(name)
        if hasattr(model_field, "stream_block"):
            prepared = model_field.get_prep_value(model_field.to_python(value) if isinstance(value, list) else value)
            return json.dumps(prepared, sort_keys=True, ensure_ascii=False)
        return value

    def publish(self, page: Page, label: str, created: bool) -> None:
        revision = page.save_revision(log_action=True)
        revision.publish()
        (self.report.created if created else self.report.updated).append(label)

    def load_home(self, data: dict) -> HomePage:
        root = Page.get_first_root_node()
        values = {
            "title": data["title"],
            "plan_status": data["status"],
            "published_on": data.get("published", ""),
            "philosophy": data["philosophy"],
            "philosophy_description": data.get("philosophy_description", ""),
            "vision": data["vision"],
            "vision_description": data.get("vision_description", ""),
        }
        existing = HomePage.objects.filter(locale=self.locale).child_of(root).first()
        if existing is None:
            self.remove_wagtail_welcome_page(root)
        home = self.sync_page(root, HomePage, "home", values, "home")
        site = Site.objects.filter(is_default_site=True).first() or Site(
            hostname="localhost", port=80, is_default_site=True
        )
        if site.root_page_id != home.pk:
            site.root_page = home
            site.site_name = str(data["title"])
            site.save()
        sync_default_site()
        return home

    def remove_wagtail_welcome_page(self, root: Page) -> None:
        """Wagtail's first migration makes a "Welcome" page with our home's slug; it has nothing in it."""
        for page in Page.objects.child_of(root).filter(slug="home", content_type__model="page"):
            if not page.get_children().exists():
                Site.objects.filter(root_page=page).update(root_page=root)
                page.delete()

    def load_plan_page(self, home: HomePage, data: dict) -> PlanPage:
        contact = data["contact"]
        values = {
            "title": data["plan"]["title"],
            "intro": data["plan"].get("intro", ""),
            "contact_department": contact["department"],
            "contact_postcode": contact.get("postcode", ""),
            "contact_address": contact.get("address", ""),
            "contact_tel": str(contact.get("tel", "")),
            "contact_fax": str(contact.get("fax", "")),
            "contact_email": contact.get("email", ""),
        }
        return self.sync_page(home, PlanPage, "plan", values, "plan")

    def load_chapter(self, plan: PlanPage, data: dict) -> ChapterPage:
        values = {
            "title": data["title"],
            "number": data["number"],
            "body": chapter_body(data["body"], f"chapter-{data['slug']}"),
        }
        return self.sync_page(plan, ChapterPage, data["slug"], values, f"chapter {data['number']}")

    def load_area(self, plan: PlanPage, data: dict) -> AreaPage:
        values = {
            "title": data["title"],
            "number": data["number"],
            "goal": data["goal"],
            "goal_description": data.get("goal_description", ""),
            "policy": data["policy"],
            "overview": item_stream(data.get("overview", []), "area", data["slug"], "overview"),
        }
        return self.sync_page(plan, AreaPage, data["slug"], values, f"area {data['number']}")

    def load_direction(self, area: AreaPage, data: dict) -> DirectionPage:
        number = str(data["number"])
        values = {"title": data["title"], "number": number, "summary": data.get("summary", "")}
        return self.sync_page(area, DirectionPage, number, values, f"direction {number}")

    def load_card(self, direction: DirectionPage, data: dict) -> InitiativePage:
        number = str(data["number"])
        key = ("card", number)
        values = {
            "title": data["title"],
            "number": number,
            "subtitle": data.get("subtitle", ""),
            "goal": [
                {
                    "type": "paragraph",
                    "value": {"label": p.get("label", ""), "text": p["text"]},
                    "id": block_id(*key, "goal", i),
                }
                for i, p in enumerate(data.get("goal", []))
            ],
            "issues": item_stream(data.get("issues", []), *key, "issues"),
            "overview": item_stream(data.get("overview", []), *key, "overview"),
            "measures": item_stream(data.get("measures", []), *key, "measures"),
            "figures": [
                {
                    "type": "figure",
                    "value": {"image": None, "caption": caption, "alt_text": "", "decorative": False},
                    "id": block_id(*key, "figures", i),
                }
                for i, caption in enumerate(data.get("figures", []))
            ],
        }
        department_ids = [self.department(name).pk for name in data.get("departments", [])]
        kpi_rows = [self.kpi_values(number, row) for row in data.get("kpis", [])]

        page = InitiativePage.objects.filter(locale=self.locale, slug=number).child_of(direction).first()
        if (
            page is not None
            and not self.differs(page, values)
            and self.card_relations(page)
            == (
                department_ids,
                [self.kpi_signature(row) for row in kpi_rows],
            )
        ):
            self.report.unchanged.append(f"card {number}")
            return page

        created = page is None
        if created:
            page = InitiativePage(slug=number, locale=self.locale, live=False)
        for name, value in values.items():
            setattr(page, name, value)
        if created:
            direction.add_child(instance=page)
        page.department_links = [
            CardDepartment(department_id=department_id, sort_order=index)
            for index, department_id in enumerate(department_ids)
        ]
        existing_rows = list(page.kpis.all())
        rows = []
        for index, row_values in enumerate(kpi_rows):
            row = existing_rows[index] if index < len(existing_rows) else KPI(locale=self.locale)
            for name, value in row_values.items():
                setattr(row, name, value)
            row.sort_order = index
            rows.append(row)
        page.kpis = rows
        self.publish(page, f"card {number}", created)
        return page

    def card_relations(self, page: InitiativePage) -> tuple[list[int], list[dict]]:
        department_ids = list(page.department_links.order_by("sort_order").values_list("department_id", flat=True))
        rows = [
            self.kpi_signature({name: getattr(row, name) for name in KPI_FIELDS})
            for row in page.kpis.order_by("sort_order")
        ]
        return department_ids, rows

    def kpi_signature(self, values: dict) -> dict:
        return values | {"schedule": self.comparable(KPI(), "schedule", values["schedule"])}

    def kpi_values(self, card_number: str, data: dict) -> dict:
        schedule = [
            {
                "type": "step",
                "value": {"period": str(step["period"]), "text": step["text"]},
                "id": block_id("kpi", card_number, data["indicator"], "schedule", i),
            }
            for i, step in enumerate(data.get("schedule", []))
        ]
        values = {
            "indicator": data["indicator"],
            "baseline_label": data.get("baseline_label", ""),
            "baseline": str(data.get("baseline", "")),
            "target_label": data.get("target_label", ""),
            "target": str(data.get("target", "")),
            "note": data.get("note", ""),
            "repost_of_id": None,
            "schedule": schedule,
        }
        if data.get("repost_of"):
            original = KPI.objects.filter(
                locale=self.locale, page__number=str(data["repost_of"]), indicator=data["indicator"], repost_of=None
            ).first()
            if original is None:
                raise ValueError(f"card {card_number}: 再掲 row {data['indicator']!r} has no original")
            # A re-listed row stores no copy of the values: it shows its original's.
            values |= {
                "indicator": "",
                "baseline_label": "",
                "baseline": "",
                "target_label": "",
                "target": "",
                "note": "",
                "repost_of_id": original.pk,
                "schedule": [],
            }
        return values

    def department(self, name: str) -> Department:
        department, _created = Department.objects.get_or_create(name=name, locale=self.locale)
        return department
