from pathlib import Path

from django.core.management.base import BaseCommand

from consultations import response_table
from consultations.management.commands.import_comments import find_consultation


class Command(BaseCommand):
    help = "Write the table 意見の概要と県の考え方 (one row per 論点, no personal data) as CSV, XLSX or JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("consultation", help="the consultation page's slug or id")
        parser.add_argument("--format", choices=sorted(response_table.CONTENT_TYPES), required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--draft", action="store_true", help="from the analysis's proposed topics, not the 論点")

    def handle(self, *args, consultation: str, out: Path, **options) -> None:
        page = find_consultation(consultation)
        rows = response_table.draft_rows(page) if options["draft"] else response_table.response_rows(page)
        out.write_bytes(response_table.render(page, options["format"], rows))
        self.stdout.write(f"{out}: {len(rows)}件の論点")
