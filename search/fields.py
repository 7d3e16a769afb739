"""Search fields whose indexed value is Japanese-tokenised text (see search/japanese.py)."""

from django.conf import settings
from wagtail.models import Page
from wagtail.search import index

from search.japanese import index_text


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(as_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(as_text(item) for item in value.values())
    return str(value)


def prepared(value, obj) -> str:
    """Tokenised for the database backend; left as text for OpenSearch, whose kuromoji analyser does it."""
    text = as_text(value)
    if not getattr(settings, "SEARCH_JA_TOKENISE", True):
        return text
    locale = getattr(obj, "locale", None) if getattr(obj, "locale_id", None) else None
    return index_text(text, locale.language_code if locale else None)


class JapaneseSearchField(index.SearchField):
    def get_value(self, obj):
        return prepared(super().get_value(obj), obj)


class JapaneseAutocompleteField(index.AutocompleteField):
    def get_value(self, obj):
        return prepared(super().get_value(obj), obj)


def japanese_page_search_fields(*extra) -> list:
    """Wagtail's Page.search_fields with the title made Japanese-aware, plus `extra` (a name stands for a
    JapaneseSearchField of that name)."""
    fields = []
    for field in Page.search_fields:
        if isinstance(field, index.SearchField) and field.field_name == "title":
            fields.append(JapaneseSearchField("title", boost=field.boost or 2))
        elif isinstance(field, index.AutocompleteField) and field.field_name == "title":
            fields.append(JapaneseAutocompleteField("title"))
        else:
            fields.append(field)
    return [*fields, *(JapaneseSearchField(field) if isinstance(field, str) else field for field in extra)]
