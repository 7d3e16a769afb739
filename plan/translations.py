"""Locales and translations of the plan, made with wagtail-localize's own machinery.

For every language in settings.LANGUAGES the locale exists and its page tree is kept in step with Japanese
(LocaleSynchronization: untranslated pages appear as aliases of the Japanese page). Shipped translations
(plan/data/<lang>/) are imported the way a translator's PO file is: export the page's PO, fill each msgstr
from the shipped text, import it and publish the target. Only what changed is saved again.
"""

import html
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail_localize.models import LocaleSynchronization, StringTranslation, Translation, TranslationSource
from wagtail_localize.synctree import synchronize_tree

from home.roles import TRANSLATORS
from plan.models import Department

DATA_DIR = Path(__file__).resolve().parent / "data"
MIRRORED_FILES = ("plan.yaml", "cards-1.yaml", "cards-2.yaml", "cards-3.yaml")
TOOL_NAME = "mieplan load_plan"


@dataclass
class TranslationReport:
    locales: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    unchanged: int = 0


def mirrored_pairs(source, target, pairs: dict[str, str]) -> None:
    """Walk a Japanese data file and its translation in step, pairing each text with its rendering."""
    if isinstance(source, dict) and isinstance(target, dict):
        for key, value in source.items():
            if key in target:
                mirrored_pairs(value, target[key], pairs)
    elif isinstance(source, list) and isinstance(target, list) and len(source) == len(target):
        for source_item, target_item in zip(source, target, strict=True):
            mirrored_pairs(source_item, target_item, pairs)
    elif isinstance(source, str) and isinstance(target, str) and source.strip() and target.strip():
        pairs.setdefault(source, target)
        # wagtail-localize's segments are HTML: escaped text, <br/> for a line break inside one text.
        escaped_source, escaped_target = html.escape(source, quote=False), html.escape(target, quote=False)
        pairs.setdefault(escaped_source, escaped_target)
        if "\n" in source:
            pairs.setdefault(escaped_source.replace("\n", "<br/>"), escaped_target.replace("\n", "<br/>"))
        source_lines, target_lines = source.split("\n"), target.split("\n")
        if len(source_lines) > 1 and len(source_lines) == len(target_lines):
            # A multi-line paragraph is one <p> per line, and wagtail-localize makes each its own segment.
            for source_line, target_line in zip(source_lines, target_lines, strict=True):
                pairs.setdefault(source_line, target_line)


def shipped_strings(language_code: str) -> dict[str, str]:
    """Japanese text → translation, from plan/data/<lang>/ (mirrored data files and/or strings.yaml)."""
    folder = DATA_DIR / language_code
    pairs: dict[str, str] = {}
    for name in MIRRORED_FILES:
        if (folder / name).exists():
            source = yaml.safe_load((DATA_DIR / "ja" / name).read_text(encoding="utf-8"))
            target = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
            mirrored_pairs(source, target, pairs)
    if (folder / "strings.yaml").exists():
        pairs.update(yaml.safe_load((folder / "strings.yaml").read_text(encoding="utf-8")) or {})
    return pairs


def target_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE]


TRANSLATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def ensure_locales() -> list[Locale]:
    """Every configured language has a locale whose tree follows the Japanese one, open to translators."""
    source = Locale.get_default()
    translators = Group.objects.filter(name=TRANSLATORS).first()
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=TRANSLATOR_PAGE_PERMISSIONS
    )
    locales = []
    for code in target_languages():
        locale, _created = Locale.objects.get_or_create(language_code=code)
        _sync, created = LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source})
        if not created:  # a new synchronisation has just copied the tree (wagtail-localize's post_save)
            synchronize_tree(source, locale)
        home = Page.objects.filter(locale=locale, depth=2).first()
        if translators is not None and home is not None:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(group=translators, page=home, permission=permission)
        locales.append(locale)
    return locales


def translate_object(instance, locale: Locale, strings: dict[str, str]) -> bool:
    """Bring `instance`'s translation into `locale` up to date from shipped strings; True if it was saved."""
    previous = TranslationSource.objects.get_for_instance_or_none(instance)
    previous_content = previous.content_json if previous else None
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    if not any(entry.msgid in strings for entry in po):
        return False  # nothing shipped for this page: it stays an alias of the Japanese page
    target = translation.get_target_instance() if not created else None
    is_real_page = target is not None and not getattr(target, "alias_of_id", None)
    up_to_date = all(entry.msgstr == strings.get(entry.msgid, entry.msgstr) for entry in po)
    if up_to_date and not created and is_real_page and previous_content == source.content_json:
        return False  # a reload with nothing new: importing the same strings again would change nothing

    existing = StringTranslation.objects.filter(context__object_id=source.object_id, locale=locale)
    snapshot = set(existing.values_list("translation_of_id", "context_id", "data"))
    for entry in po:
        entry.msgstr = strings.get(entry.msgid, entry.msgstr)
    translation.import_po(po, translation_type="manual", tool_name=TOOL_NAME)

    changed = set(existing.values_list("translation_of_id", "context_id", "data")) != snapshot
    if created or changed or previous_content != source.content_json or not is_real_page:
        save_and_publish(translation, is_page=isinstance(instance, Page))
        return True
    return False


def save_and_publish(translation: Translation, is_page: bool) -> None:
    """Save the translated object and publish it now, inside the load's transaction.

    wagtail-localize's `save_target(publish=True)` defers a page's publication to the end of the outermost
    transaction: the load's bulk indexing would be over by then, and each deferred publish re-indexed the page
    on its own (a quarter of a first load's time). A draft saved, then its revision published here, is the same
    publication, done while the load still indexes in bulk.
    """
    if not is_page:
        translation.save_target(publish=True)  # a snippet is saved as it is, nothing is deferred
        return
    translation.save_target(publish=False)
    translation.get_target_instance().latest_revision.publish()


def scope_for(language_code: str) -> set[str] | None:
    """Which pages a language ships translated: None for all, else page types (the core pages)."""
    scope_file = DATA_DIR / language_code / "scope.yaml"
    if not scope_file.exists():
        return None
    return set(yaml.safe_load(scope_file.read_text(encoding="utf-8"))["page_types"])


def load_translations(pages: list[Page] | None = None) -> TranslationReport:
    """Every locale in step with Japanese, and the shipped translations of `pages` (default: all, and the
    departments) imported."""
    report = TranslationReport()
    with transaction.atomic():
        locales = ensure_locales()
        report.locales = [locale.language_code for locale in locales]
        source_locale = Locale.get_default()
        for locale in locales:
            strings = shipped_strings(locale.language_code)
            if not strings:
                continue
            if pages is None:
                for department in Department.objects.filter(locale=source_locale):
                    if department.name in strings:
                        translate_object(department, locale, strings)
            scope = scope_for(locale.language_code)
            sources = pages
            if sources is None:
                sources = Page.objects.filter(locale=source_locale, depth__gt=1).order_by("path").specific()
            for page in sources:
                if scope is not None and page.specific_class.__name__ not in scope:
                    continue
                if translate_object(page, locale, strings):
                    report.translated.append(f"{locale.language_code} {page.url_path}")
                else:
                    report.unchanged += 1
    return report
