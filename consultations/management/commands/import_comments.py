from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.importing import DEFAULT_CHANNEL, IMPORT_CHANNELS, ImportFileError, plan_import, save_import
from consultations.models import ConsultationPage


def find_consultation(key: str) -> ConsultationPage:
    """A consultation by its slug or id; comments live on the Japanese page, whichever language's is named."""
    pages = ConsultationPage.objects.filter(slug=key)
    if key.isdigit():
        pages = pages | ConsultationPage.objects.filter(pk=int(key))
    page = pages.order_by("pk").first()
    if page is None:
        raise CommandError(f"意見募集 {key} が見つかりません（スラッグまたはIDを指定してください）。")
    return page.source_consultation


class Command(BaseCommand):
    help = (
        "Import comments typed up from post, FAX, e-mail or the counter (CSV UTF-8 or XLSX): all rows or none; "
        "rows whose id was imported before are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("consultation", help="the consultation page's slug or id")
        parser.add_argument("file", type=Path, help=".csv (UTF-8, BOM optional) or .xlsx")
        parser.add_argument("--channel", choices=IMPORT_CHANNELS, default=DEFAULT_CHANNEL)
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")

    def handle(self, *args, consultation: str, file: Path, channel: str, dry_run: bool, **options) -> None:
        page = find_consultation(consultation)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイルを読めません: {error}") from None
        try:
            plan = plan_import(page, file.name, data, channel)
            if plan.errors:
                for message in plan.errors:
                    self.stderr.write(message)
                raise CommandError(f"{len(plan.errors)}件のエラーがあります。何も取り込んでいません。")
            if not dry_run:
                save_import(page, plan)
        except ImportFileError as error:
            raise CommandError(f"{error} 何も取り込んでいません。") from None
        done = "取り込めます（--dry-run: 書き込んでいません）" if dry_run else "取り込みました"
        self.stdout.write(f"{done}: {len(plan.rows)}件、既に取り込み済みで飛ばした行: {len(plan.already_imported)}件")
