from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages() -> None:
    """Run by Celery beat every minute: publishes revisions whose go-live time has come."""
    call_command("publish_scheduled")
