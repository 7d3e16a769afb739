"""SQLite: rank the full-text matches once per query.

Wagtail's SQLite backend orders results by a correlated subquery that re-runs the FTS match and BM25 for every
matching row, which grows with the square of the matches (a common word over 4,100 pages took 8 s). Here the
FTS5 table is queried once for (object id, BM25 score); the page asked for is then fetched by primary key.
"""

from django.db.models import Subquery
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


class RankedOnceSQLiteCompiler(SQLiteSearchQueryCompiler):
    _ranked: list[int] | None = None

    def ranked_pks(self, config) -> list[int] | None:
        """Every matching object's pk, best first; None where the stock path must be used."""
        query = normalize(self.query)
        if not self.order_by_relevance or isinstance(query, (MatchAll, Not)):
            return None
        if self._ranked is None:
            match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
            entries = SQLiteFTSIndexEntry.objects.filter(match).filter(
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model)
            )
            scored = entries.annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
            ranked = [int(pk) for pk in scored.order_by("score").values_list("index_entry__object_id", flat=True)]
            # Keep only what the caller's queryset allows (locale, live, filters): one query, FTS unranked.
            ids = entries.values_list("index_entry__object_id", flat=True)
            allowed = set(self.queryset.filter(pk__in=Subquery(ids)).values_list("pk", flat=True))
            self._ranked = list(dict.fromkeys(pk for pk in ranked if pk in allowed))
        return self._ranked

    def search(self, config, start, stop, score_field=None):
        # Facets (start=None) and score annotations need a queryset: leave those to the stock path.
        ranked = self.ranked_pks(config) if score_field is None and start is not None else None
        if ranked is None:
            return super().search(config, start, stop, score_field=score_field)
        wanted = ranked[start:stop]
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]


class RankedOnceSQLiteResults(SQLiteSearchResults):
    def _do_count(self):
        compiler = self.query_compiler
        ranked = compiler.ranked_pks(compiler.get_config(self.backend)) if hasattr(compiler, "ranked_pks") else None
        return len(ranked) if ranked is not None else super()._do_count()
