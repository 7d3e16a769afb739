"""Celery tasks: they only look the comment up and call the service."""

from celery import shared_task

from consultations import services
from consultations.models import Comment

RETRY = {"autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
def send_receipt_mail(comment_id: int) -> bool:
    comment = Comment.objects.filter(pk=comment_id).first()
    return bool(comment) and services.send_receipt(comment)


@shared_task(**RETRY)
def notify_moderators(comment_id: int) -> bool:
    comment = Comment.objects.filter(pk=comment_id).first()
    return bool(comment) and services.notify_moderators_of(comment)


@shared_task
def send_pending_mail() -> int:
    """Celery beat: whatever could not be queued when the broker was down goes out now."""
    return services.send_pending_mail()
