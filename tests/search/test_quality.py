"""Search quality on the query set in queries.yaml, run on SQLite and (in CI) on PostgreSQL.

`expected` there was computed mechanically (every query word a substring of the card's text, after NFKC,
case and kana folding), so a search that returns exactly `expected` on both databases returns the same sets.
"""

import pytest
from wagtail.models import Locale

from search.evaluation import evaluate, load_queries, ranked_cards

pytestmark = pytest.mark.django_db

QUERIES = load_queries()
CASES = [(item["q"], item["q"], item["expected"]) for item in QUERIES] + [
    (item["q"], variant, item["expected"]) for item in QUERIES for variant in item.get("variants", [])
]


def test_query_set_is_large_enough_and_has_kana_and_width_variants():
    assert len(QUERIES) >= 30
    variants = [v for item in QUERIES for v in item.get("variants", [])]
    assert any(v.isascii() is False and all("\u3041" <= c <= "\u309f" for c in v) for v in variants)  # hiragana
    assert any(any("\uff66" <= c <= "\uff9f" for c in v) for v in variants)  # half-width katakana
    assert any(any("\uff21" <= c <= "\uff3a" for c in v) for v in variants)  # full-width Latin


@pytest.mark.parametrize(("query", "typed", "expected"), CASES, ids=[typed for _q, typed, _e in CASES])
def test_search_finds_exactly_the_cards_that_contain_the_words(query, typed, expected):
    assert sorted(ranked_cards(typed, Locale.get_default())) == sorted(str(number) for number in expected)


def test_recall_at_10_and_mrr_of_the_wanted_card_meet_the_targets():
    evaluation = evaluate(QUERIES, Locale.get_default())
    assert evaluation.recall_at_10 >= 0.95
    assert evaluation.mrr >= 0.9
