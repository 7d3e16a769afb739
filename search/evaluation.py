"""Search quality on a query set: recall@10 of the expected cards and MRR of the card a resident wants."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from wagtail.models import Locale

from search.query import matching_pages

QUERY_SET = Path(__file__).resolve().parent.parent / "tests" / "search" / "queries.yaml"


@dataclass
class QueryResult:
    query: str
    ranked: list[str]
    expected: list[str]
    wanted: str

    @property
    def recall_at_10(self) -> float:
        return len(set(self.ranked[:10]) & set(self.expected)) / len(self.expected)

    @property
    def reciprocal_rank(self) -> float:
        return 1 / (self.ranked.index(self.wanted) + 1) if self.wanted in self.ranked else 0.0


@dataclass
class Evaluation:
    results: list[QueryResult] = field(default_factory=list)

    @property
    def recall_at_10(self) -> float:
        return sum(r.recall_at_10 for r in self.results) / len(self.results)

    @property
    def mrr(self) -> float:
        return sum(r.reciprocal_rank for r in self.results) / len(self.results)


def load_queries(path: Path = QUERY_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def ranked_cards(query: str, locale: Locale) -> list[str]:
    """Card numbers of every matching card, in the order the search page lists them."""
    results = matching_pages(query, locale)
    return [card.number for card in results.cards]


def evaluate(queries: list[dict], locale: Locale) -> Evaluation:
    evaluation = Evaluation()
    for item in queries:
        ranked = ranked_cards(item["q"], locale)
        evaluation.results.append(
            QueryResult(item["q"], ranked, [str(n) for n in item["expected"]], str(item["wanted"]))
        )
    return evaluation
