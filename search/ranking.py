"""Rank the full-text matches once per query, on both databases.

The stock compilers rank inside the page query: SQLite re-runs the FTS match and BM25 in a correlated subquery
for every matching row (a common word over 4,100 pages took 8 s), and every count or slice repeats the work.
Here one query returns the ranked primary keys (and their page types); pages of a result page are then fetched
by primary key. The search page lists cards first from this one ranking instead of searching twice.
"""

from django.db import models
from django.db.models import Expression, F, Q, Subquery
from django.db.models.functions import Cast
from modelsearch.query import And, MatchAll, Not


class FlatAndMixin:
    """All of several search expressions in one level of parentheses, `(a AND b AND c …)`.

    The stock compilers nest one level per word, `(((a AND b) AND c) …)`: from about 17 words SQLite's FTS5
    parser overflows its stack (an OperationalError, shown as the "busy" page), whatever the words are.
    """

    connector = "AND"

    def __init__(self, queries, *args, **kwargs) -> None:
        self.queries = list(queries)
        super().__init__(*args, **kwargs)

    def get_source_expressions(self):
        return self.queries

    def set_source_expressions(self, exprs) -> None:
        self.queries = list(exprs)

    def resolve_expression(self, *args, **kwargs):
        return Expression.resolve_expression(self, *args, **kwargs)

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(query) for query in self.queries]
        params = [param for _sql, query_params in compiled for param in query_params]
        return "(" + f" {self.connector} ".join(sql for sql, _params in compiled) + ")", params


class RankedOnceMixin:
    _ranked_rows: list[tuple[int, int]] | None = None

    def can_rank_once(self, query) -> bool:
        return self.order_by_relevance and not isinstance(query, (MatchAll, Not))

    def ranked_rows(self, config) -> list[tuple[int, int]] | None:
        """(pk, content_type_id) of every match the caller's queryset allows, best first; None: stock path."""
        if self._ranked_rows is None:
            self._ranked_rows = self.compute_ranked_rows(config)
        return self._ranked_rows

    def ranked_pks(self, config) -> list[int] | None:
        rows = self.ranked_rows(config)
        return None if rows is None else [pk for pk, _content_type in rows]

    def search(self, config, start, stop, score_field=None, **kwargs):
        # Facets (start=None) and score annotations need a queryset: leave those to the stock path.
        ranked = self.ranked_pks(config) if score_field is None and start is not None else None
        if ranked is None:
            return super().search(config, start, stop, score_field=score_field, **kwargs)
        wanted = ranked[start:stop]
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]


def content_types_of(queryset, pks) -> dict[int, int]:
    has_content_type = any(f.name == "content_type" for f in queryset.model._meta.get_fields())
    if not has_content_type:
        return {pk: 0 for pk in queryset.filter(pk__in=pks).values_list("pk", flat=True)}
    return dict(queryset.filter(pk__in=pks).values_list("pk", "content_type_id"))


class RankedOnceResultsMixin:
    def _do_count(self):
        compiler = self.query_compiler
        ranked = compiler.ranked_pks(compiler.get_config(self.backend)) if hasattr(compiler, "ranked_pks") else None
        return len(ranked) if ranked is not None else super()._do_count()


def _object_in_allowed(queryset) -> Q:
    return Q(ranked_object__in=queryset.values("pk"))


def postgres_classes():
    from django.contrib.postgres.search import CombinedSearchQuery, SearchQueryField
    from modelsearch.backends.database.postgres.postgres import (
        IndexEntry,
        PostgresSearchQueryCompiler,
        PostgresSearchResults,
    )
    from modelsearch.utils import get_descendants_content_types_pks

    class AllOfPostgres(FlatAndMixin, CombinedSearchQuery):
        connector = "&&"

        def __init__(self, queries, config) -> None:
            queries = list(queries)
            super().__init__(queries, queries[0], self.connector, queries[-1], config, SearchQueryField())

    class RankedOncePostgresCompiler(RankedOnceMixin, PostgresSearchQueryCompiler):
        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, And) and not invert and len(query.subqueries) > 1:
                parts = [self.build_tsquery_content(subquery, config=config) for subquery in query.subqueries]
                return AllOfPostgres(parts, config)
            return super().build_tsquery_content(query, config=config, invert=invert)

        def compute_ranked_rows(self, config):
            if not self.can_rank_once(self.query) or self.fields is not None:
                return None
            if not isinstance(self.queryset.model._meta.pk, models.AutoField | models.BigAutoField):
                return None
            search_query = self.build_tsquery(self.query, config=config)
            # From the index entries, joined to the allowed objects on the integer key: the stock join casts
            # every page id to text (a seq scan of all pages with a cast per row) before it can match.
            vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
            entries = (
                IndexEntry.objects.filter(content_type_id__in=get_descendants_content_types_pks(self.queryset.model))
                .annotate(_vector_=F("title")._combine(F("body"), "||", False))
                .filter(_vector_=search_query)
                .annotate(ranked_object=Cast("object_id", models.BigIntegerField()))
                .filter(_object_in_allowed(self.queryset))
                .annotate(_rank_=self._build_rank_expression(vectors, config))
                .order_by(F("_rank_").desc(), F("ranked_object").desc())
            )
            return list(entries.values_list("ranked_object", "content_type_id"))

    class RankedOncePostgresResults(RankedOnceResultsMixin, PostgresSearchResults):
        pass

    return RankedOncePostgresCompiler, RankedOncePostgresResults


def sqlite_classes():
    from modelsearch.backends.database.sqlite.query import (
        MatchExpression,
        SearchQueryCombinable,
        SearchQueryField,
        normalize,
    )
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteFTSIndexEntry,
        SQLiteSearchQueryCompiler,
        SQLiteSearchResults,
    )
    from modelsearch.utils import get_descendants_content_types_pks

    class AllOfSQLite(FlatAndMixin, SearchQueryCombinable, Expression):
        def __init__(self, queries) -> None:
            super().__init__(queries, output_field=SearchQueryField())

    class RankedOnceSQLiteCompiler(RankedOnceMixin, SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            if isinstance(query, And) and len(query.subqueries) > 1:
                return AllOfSQLite(self.build_search_query_content(subquery, config) for subquery in query.subqueries)
            return super().build_search_query_content(query, config=config)

        def compute_ranked_rows(self, config):
            query = normalize(self.query)
            if not self.can_rank_once(query):
                return None
            match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
            entries = SQLiteFTSIndexEntry.objects.filter(match).filter(
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model)
            )
            scored = entries.annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
            ranked = [int(pk) for pk in scored.order_by("score").values_list("index_entry__object_id", flat=True)]
            # Keep only what the caller's queryset allows (locale, live, filters): one query, FTS unranked.
            ids = entries.values_list("index_entry__object_id", flat=True)
            allowed = content_types_of(self.queryset, Subquery(ids))
            return [(pk, allowed[pk]) for pk in dict.fromkeys(ranked) if pk in allowed]

    class RankedOnceSQLiteResults(RankedOnceResultsMixin, SQLiteSearchResults):
        pass

    return RankedOnceSQLiteCompiler, RankedOnceSQLiteResults
