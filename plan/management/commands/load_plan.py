from django.core.management.base import BaseCommand
from django.db import connection

from plan.loader import PlanLoader


class Command(BaseCommand):
    help = "Load the shipped interim draft into the page tree (idempotent; publishes a revision per change)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")
        parser.add_argument(
            "--japanese-only", action="store_true", help="Skip the other locales (benchmark databases)."
        )

    def handle(self, *args, dry_run: bool = False, japanese_only: bool = False, verbosity: int = 1, **options):
        report = PlanLoader().run(dry_run=dry_run, translations=not japanese_only)
        if not dry_run and (report.created or report.updated) and connection.vendor == "postgresql":
            # A first load fills empty tables: without statistics the planner picks nested loops that re-run
            # the full-text match per page (measured: 410 ms instead of 7 ms for one search).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        prefix = "would " if dry_run else ""
        if verbosity == 0:
            return
        for label in report.created:
            self.stdout.write(f"{prefix}create {label}")
        for label in report.updated:
            self.stdout.write(f"{prefix}update {label}")
        if report.translations:
            for label in report.translations.translated:
                self.stdout.write(f"{prefix}translate {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}create {len(report.created)}, {prefix}update {len(report.updated)}, "
                f"unchanged {len(report.unchanged)}"
            )
        )
