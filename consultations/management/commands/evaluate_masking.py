import json
from pathlib import Path

from django.core.management.base import BaseCommand

from consultations.masking_evaluation import DEFAULT_CASES, evaluate, load_cases


class Command(BaseCommand):
    help = "Precision and recall of the personal-data masking per kind on a labelled set ([[kind:text]] marks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("cases", nargs="?", type=Path, default=DEFAULT_CASES)
        parser.add_argument("--json", action="store_true", help="Print the scores as JSON.")

    def handle(self, *args, cases: Path, **options) -> None:
        scores, problems = evaluate(load_cases(cases))
        if options["json"]:
            self.stdout.write(_as_json(scores))
            return
        for problem in problems:
            self.stdout.write(problem)
        for score in scores.values():
            self.stdout.write(
                f"{score.kind}: precision {score.precision:.3f} ({score.right}/{score.findings}), "
                f"recall {score.recall:.3f} ({score.found}/{score.marks})"
            )


def _as_json(scores) -> str:
    return json.dumps(
        {kind: {"precision": s.precision, "recall": s.recall, "marks": s.marks} for kind, s in scores.items()}
    )
