from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from progress import importing


class Command(BaseCommand):
    help = "Import KPI actuals from a CSV or XLSX file (all rows or none; rows already stored are skipped)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")
        parser.add_argument("--draft", action="store_true", help="Save drafts for approval instead of publishing.")

    def handle(self, *args, file: Path, dry_run: bool, draft: bool, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            plan = importing.plan_import(file.name, data)
        except importing.ImportFileError as error:
            raise CommandError(f"{error} 何も取り込んでいません。") from None
        if not plan.valid:
            raise CommandError("\n".join([*plan.errors, "何も取り込んでいません。"]))
        changed = plan.changed
        if dry_run:
            self.stdout.write(f"{len(changed)} row(s) would change, {len(plan.rows) - len(changed)} unchanged.")
            return
        saved = importing.save_import(plan, publish=not draft)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(saved)} actual(s) {'saved as drafts' if draft else 'published'}, "
                f"{len(plan.rows) - len(saved)} unchanged."
            )
        )
