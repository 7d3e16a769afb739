import json
from pathlib import Path

from django.core.management.base import BaseCommand
from wagtail.models import Locale

from search.evaluation import evaluate, load_queries, ranked_cards


class Command(BaseCommand):
    help = "Measure search quality on tests/search/queries.yaml (recall@10, MRR); optionally record result sets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write-result-sets", type=Path, help="Write every query's matching cards to this JSON.")

    def handle(self, *args, write_result_sets: Path | None = None, **options) -> None:
        locale = Locale.get_default()
        queries = load_queries()
        evaluation = evaluate(queries, locale)
        for result in evaluation.results:
            if result.recall_at_10 < 1 or result.reciprocal_rank < 1:
                self.stdout.write(
                    f"{result.query}: recall@10 {result.recall_at_10:.2f}, RR {result.reciprocal_rank:.2f} "
                    f"(wanted {result.wanted}, got {result.ranked[:5]})"
                )
        self.stdout.write(f"queries {len(queries)}, recall@10 {evaluation.recall_at_10:.3f}, MRR {evaluation.mrr:.3f}")
        if write_result_sets:
            sets = {}
            for item in queries:
                for text in [item["q"], *item.get("variants", [])]:
                    sets[text] = sorted(ranked_cards(text, locale))
            write_result_sets.write_text(json.dumps(sets, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {write_result_sets}")
