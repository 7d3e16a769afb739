from django.core.management.base import BaseCommand
from django.db import transaction

from consultations.models import ConsultationPage
from plan.easy_texts import EASY_FILE, load_easy_texts, set_easy_summary, shipped_texts


class Command(BaseCommand):
    help = "Load the shipped やさしい日本語 summaries into the Japanese cards and consultation (idempotent)."

    @transaction.atomic
    def handle(self, *args, verbosity: int = 1, **options):
        report = load_easy_texts(EASY_FILE)
        text = shipped_texts(EASY_FILE)["consultation"]
        if text:
            for consultation in ConsultationPage.objects.filter(locale__language_code="ja"):
                set_easy_summary(consultation, text, consultation.slug, report)
        if verbosity:
            for number in report.missing:
                self.stderr.write(f"no Japanese card {number}: its easy summary is skipped")
            self.stdout.write(self.style.SUCCESS(f"update {len(report.updated)}, unchanged {len(report.unchanged)}"))
