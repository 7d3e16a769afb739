"""The public search: which pages match, in what order, and what each hit shows."""

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale, Page

from plan.models import AreaPage, CardDepartment, InitiativePage
from search.japanese import KATAKANA_TO_HIRAGANA, normalise

SNIPPET_RADIUS = 40
SNIPPET_LENGTH = 120


@dataclass
class Hit:
    page: Page
    area: AreaPage | None
    snippet: SafeString


class CardsFirst(Sequence):
    """Matching cards (best first), then the other matching pages: residents search for initiatives.

    One ranked search (search/ranking.py) is split by page type; only the pages of the slice asked for are
    fetched.
    """

    def __init__(self, results, pages) -> None:
        self.results = results
        self.pages = pages

    @cached_property
    def rows(self) -> list[tuple[int, int]]:
        compiler = self.results.query_compiler
        rows = None
        if hasattr(compiler, "ranked_rows"):
            rows = compiler.ranked_rows(compiler.get_config(self.results.backend))
        if rows is None:  # other backends, or the one-character prefix search: few results, iterate them
            rows = [(page.pk, page.content_type_id) for page in self.results]
        return rows

    @cached_property
    def card_type(self) -> int:
        return ContentType.objects.get_for_model(InitiativePage).pk

    @cached_property
    def order(self) -> list[int]:
        cards = [pk for pk, content_type in self.rows if content_type == self.card_type]
        return cards + [pk for pk, content_type in self.rows if content_type != self.card_type]

    @property
    def cards(self) -> list[InitiativePage]:
        return self.fetch([pk for pk, content_type in self.rows if content_type == self.card_type])

    def fetch(self, pks: list[int]) -> list[Page]:
        # Cards straight from their own table (one query); any other page type through specific().
        types = dict(self.rows)
        cards = [pk for pk in pks if types.get(pk) == self.card_type]
        found = {page.pk: page for page in InitiativePage.objects.filter(pk__in=cards)} if cards else {}
        others = [pk for pk in pks if pk not in found]
        if others:
            found |= {page.pk: page for page in self.pages.filter(pk__in=others).specific()}
        return [found[pk] for pk in pks if pk in found]

    def count(self) -> int:
        return len(self.order)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self.fetch(self.order[index])


def matching_pages(query: str, locale: Locale, area: AreaPage | None = None, department_id: int | None = None):
    """Live pages of the locale that match (Wagtail search through our Japanese backend), cards first."""
    pages = Page.objects.live().public().filter(locale=locale)
    if area is not None:
        pages = pages.descendant_of(area, inclusive=True)
    if department_id is not None:
        card_ids = CardDepartment.objects.filter(department_id=department_id).values_list("page_id", flat=True)
        pages = pages.type(InitiativePage).filter(id__in=list(card_ids))
    return CardsFirst(pages.search(query), pages)


def page_text(page: Page) -> str:
    """The page's readable text, for the snippet (cards: their sections in order)."""
    if isinstance(page, InitiativePage):
        parts = [p.value["text"] for p in page.goal] + [b.value for b in page.issues]
        parts += [b.value for b in page.overview] + [b.value for b in page.measures]
        return " ".join(parts)
    for name in ("goal_description", "summary", "vision_description", "intro"):
        value = getattr(page, name, "")
        if isinstance(value, str) and value:
            return re.sub(r"<[^>]+>", "", value)
    body = getattr(page, "body", None)
    if body is not None:
        return " ".join(str(item) for block in body for item in block.block.get_searchable_content(block.value))
    return ""


@functools.cache
def fold_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).casefold().translate(KATAKANA_TO_HIRAGANA)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The text normalised like the index (NFKC, case, kana), with each folded character's source index."""
    folded = [fold_char(char) for char in text]
    if all(len(piece) == 1 for piece in folded):  # the usual case: one character for one
        return "".join(folded), list(range(len(text)))
    positions = [index for index, piece in enumerate(folded) for _ in piece]
    return "".join(folded), positions


def snippet(text: str, query: str) -> SafeString:
    """About 120 characters around the first match, with every matched word in <mark> (escaped HTML)."""
    text = re.sub(r"\s+", " ", text).strip()
    folded, positions = fold_with_positions(text)
    spans = []
    for word in normalise(query).split():
        for match in re.finditer(re.escape(word), folded):
            start, end = positions[match.start()], positions[match.end() - 1] + 1
            spans.append((start, end))
    if not spans:
        cut = text[:SNIPPET_LENGTH]
        return mark_safe(escape(cut) + ("…" if len(text) > SNIPPET_LENGTH else ""))  # noqa: S308 - escaped above
    spans.sort()
    first = spans[0][0]
    start = max(0, first - SNIPPET_RADIUS)
    end = min(len(text), start + SNIPPET_LENGTH)
    html, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        html += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        cursor = span_end
    html.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(html) + suffix)  # noqa: S308 - every piece of text is escaped


def hits(pages: list[Page], query: str, areas: list[AreaPage]) -> list[Hit]:
    """Each page with its area (from the areas the search page lists anyway) and a highlighted snippet."""
    out = []
    for page in pages:
        area = next((a for a in areas if page.path.startswith(a.path) and page.pk != a.pk), None)
        out.append(Hit(page=page, area=area, snippet=snippet(page_text(page), query)))
    return out


def suggestions(prefix: str, locale: Locale, limit: int = 8) -> list[InitiativePage]:
    """Card titles for the search box while typing, also from a kanji prefix (防 → 防災)."""
    cards = InitiativePage.objects.live().public().filter(locale=locale)
    return list(cards.autocomplete(prefix)[:limit])
