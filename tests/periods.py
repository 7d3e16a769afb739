"""Publishing a consultation's results in tests: the period must be over first (ConsultationPage.clean)."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import ConsultationPage


def end_period(consultation: ConsultationPage) -> None:
    """Move the period of the consultation and its translations into the past (as the calendar would)."""
    now = timezone.now()
    if consultation.closes_at <= now:
        return
    pages = ConsultationPage.objects.filter(translation_key=consultation.translation_key)
    pages.update(opens_at=now - timedelta(days=32), closes_at=now - timedelta(minutes=1))
    consultation.refresh_from_db()


def publish_results(consultation: ConsultationPage) -> None:
    end_period(consultation)
    consultation.results_published = True
    consultation.save_revision().publish()
