"""Wagtail's database search backend with the Japanese layer of search/japanese.py.

Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backend": the public search, the admin's page
search and the API all go through it. Indexed text is tokenised by JapaneseSearchField (on the models);
queries are tokenised here the same way. Every word of the query must match, each as a phrase of its tokens.
"""

from django.utils.translation import get_language
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import And, Phrase, PlainText

from search.japanese import query_words
from search.ranking import postgres_classes, sqlite_classes


def japanese_query(query: str):
    """A query object for the backend, or None when nothing searchable is left."""
    parts = [
        PlainText(words[0]) if len(words) == 1 else Phrase(" ".join(words))
        for words in query_words(query, get_language())
    ]
    if not parts:
        return None
    # One And of all the words: the compilers (search/ranking.py) turn it into one flat expression.
    return parts[0] if len(parts) == 1 else And(parts)


def as_text(query):
    """The text of a plain query (a string, or the PlainText the Wagtail admin builds), else None."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText):
        return query.query_string
    return None


class JapaneseQueryMixin:
    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True, **kwargs):
        if (text := as_text(query)) is not None:
            words = query_words(text, get_language())
            if len(words) == 1 and len(words[0]) == 1 and len(words[0][0]) == 1:
                # One character cannot match a bigram: look for it as a title prefix instead (防 → 防災).
                return super().autocomplete(words[0][0], model_or_queryset, None, "and", order_by_relevance)
            query = japanese_query(text) or ""
        return super().search(query, model_or_queryset, fields, operator, order_by_relevance, **kwargs)

    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True, **kwargs):
        """Prefix matching for one character; from two characters on, full-text search.

        A phrase of bigrams is a substring match, so a partly typed word (防災対, てれわ) already finds what it
        begins. This also makes the Wagtail admin's page search (which calls autocomplete) search page text,
        not only titles.
        """
        if (text := as_text(query)) is not None:
            words = query_words(text, get_language())
            if len(words) == 1 and len(words[0]) == 1 and len(words[0][0]) == 1:
                return super().autocomplete(words[0][0], model_or_queryset, None, "and", order_by_relevance)
            return self.search(text, model_or_queryset, None, operator, order_by_relevance)
        return super().autocomplete(query, model_or_queryset, fields, operator, order_by_relevance, **kwargs)


def SearchBackend(params):
    backend = database_backend(params)
    attributes = {}
    # Each module imports only on its own database (they look up database-specific models).
    classes = {"SQLiteSearchBackend": sqlite_classes, "PostgresSearchBackend": postgres_classes}
    if type(backend).__name__ in classes:
        compiler, results = classes[type(backend).__name__]()
        attributes = {"query_compiler_class": compiler, "results_class": results}
    japanese = type(f"Japanese{type(backend).__name__}", (JapaneseQueryMixin, type(backend)), attributes)
    return japanese(params)
