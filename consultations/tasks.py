"""Celery tasks: they only look the comment up and call the service."""

import logging

from celery import shared_task
from django.conf import settings

from consultations import services, topic_services
from consultations.models import AnalysisRun, Comment

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_comment_mail(comment_id: int) -> None:
    """The resident's receipt and the moderators' notice; each is sent once, whatever the retries."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is not None:
        services.send_receipt(comment)
        services.notify_moderators_of(comment)


@shared_task
def send_pending_mail() -> int:
    """Celery beat: whatever could not be queued when the broker was down goes out now."""
    return services.send_pending_mail()


def _run(run_id: int) -> AnalysisRun | None:
    return AnalysisRun.objects.filter(pk=run_id).select_related("consultation").first()


@shared_task
def analyse_consultation(run_id: int) -> None:
    """The analysis run the admin's button started: its per-comment steps go out as chunks (to as many workers
    as there are), the last chunk to finish starts the combining step. Progress is written to the run."""
    run = _run(run_id)
    if run is None:
        return
    try:
        chunks = topic_services.plan_chunks(run, settings.ANALYSIS_CHUNK_SIZE)
    except Exception as error:
        topic_services.fail_run(run_id, error)
        raise
    if not chunks:
        finish_analysis_run.delay(run_id)
    for position, ids in enumerate(chunks):
        prepare_analysis_chunk.delay(run_id, position, ids)


@shared_task(acks_late=True)
def prepare_analysis_chunk(run_id: int, position: int, comment_ids: list[int]) -> None:
    try:
        last = topic_services.prepare_chunk(run_id, position, comment_ids)
    except Exception as error:
        topic_services.fail_run(run_id, error)
        raise
    if last:
        finish_analysis_run.delay(run_id)


@shared_task
def finish_analysis_run(run_id: int) -> None:
    run = _run(run_id)
    if run is None:
        return
    try:
        topic_services.finish_run(run)
    except Exception as error:
        topic_services.fail_run(run_id, error)
        raise


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def resend_receipt_mail(comment_id: int) -> None:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is not None:
        services.send_receipt(comment, again=True)


def queue_comment_mail(comment_id: int) -> None:
    """Hand the mail to Celery; if the broker is down the comment stays marked unsent for send_pending_mail."""
    try:
        send_comment_mail.delay(comment_id)
    except Exception:  # broker unreachable: send_pending_mail picks it up later
        logger.warning("could not queue the mail for comment %s", comment_id, exc_info=True)


def queue_receipt_resend(comment: Comment) -> None:
    """A resident sent the same comment again: their receipt goes once more to the address they gave, never
    to the screen (the same network address may be another person's)."""
    if not comment.email:
        return
    try:
        resend_receipt_mail.delay(comment.pk)
    except Exception:  # broker unreachable: the first mail is still in their inbox
        logger.warning("could not queue the receipt re-send for comment %s", comment.pk, exc_info=True)
