"""A resident's accepted comment survives the broker (Redis) being down; its mail goes out later."""

import pytest
from django.core import mail
from django.test import override_settings

from consultations.models import Comment
from consultations.tasks import send_pending_mail
from mieplan_site.celery import app as celery_app

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]


@pytest.fixture
def unreachable_broker():
    """Point Celery at a port where nothing listens, with tasks really sent (not eager)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url="redis://127.0.0.1:9/0", task_always_eager=False)
    forget_connections()
    yield
    celery_app.conf.update(saved)
    forget_connections()


def forget_connections() -> None:
    # Celery caches its broker connections; drop them so the next publish connects to the configured URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@override_settings(COMMENT_MODERATOR_EMAILS=["digital@pref.mie.lg.jp"])
def test_comment_is_stored_and_receipt_shown_when_broker_is_down(
    client, consultation, comment_data, unreachable_broker, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(consultation.url + "comment/", comment_data())
    # The publish really failed on the connection (not on some other error).
    failures = [record for record in caplog.records if record.getMessage().startswith("could not queue")]
    assert len(failures) == 1
    assert all("Connection refused" in str(record.exc_info[1]) for record in failures)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.receipt_number in client.get(response["Location"]).content.decode()
    assert comment.receipt_mail_sent_at is None and comment.moderators_notified_at is None
    assert mail.outbox == []


@override_settings(COMMENT_MODERATOR_EMAILS=["digital@pref.mie.lg.jp"])
def test_periodic_task_sends_what_the_broker_could_not_take(
    client, consultation, comment_data, unreachable_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(consultation.url + "comment/", comment_data())
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(submitted_at=comment.submitted_at.replace(year=2020))

    handled = send_pending_mail.apply().get()  # what beat runs every five minutes
    assert handled == 1
    receipt, notification = sorted(mail.outbox, key=lambda message: message.to != ["taro@example.jp"])
    assert receipt.to == ["taro@example.jp"] and comment.receipt_number in receipt.subject
    assert notification.to == ["digital@pref.mie.lg.jp"]
    assert "taro@example.jp" not in notification.body  # personal data stays in the admin
    comment.refresh_from_db()
    assert comment.receipt_mail_sent_at and comment.moderators_notified_at

    assert send_pending_mail.apply().get() == 0  # nothing is sent twice
    assert len(mail.outbox) == 2


@override_settings(COMMENT_MODERATOR_EMAILS=["digital@pref.mie.lg.jp"])
def test_mail_is_sent_right_away_when_the_worker_runs(
    client, consultation, comment_data, django_capture_on_commit_callbacks
):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        celery_app.conf.task_always_eager = True
        with django_capture_on_commit_callbacks(execute=True):
            client.post(consultation.url + "comment/", comment_data())
    comment = Comment.objects.get()
    assert comment.receipt_mail_sent_at is not None
    assert [message.to for message in mail.outbox] == [["taro@example.jp"], ["digital@pref.mie.lg.jp"]]


def test_comment_without_email_gets_no_receipt_mail(client, consultation, comment_data):
    client.post(consultation.url + "comment/", comment_data(email=""))
    send_pending_mail.apply()
    assert not any(message.to == [""] for message in mail.outbox)
    assert Comment.objects.get().receipt_mail_sent_at is None


def test_comment_is_stored_when_the_cache_is_down(client, consultation, comment_data, monkeypatch):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(caches["limits"], "add", broken)
    monkeypatch.setattr(caches["limits"], "incr", broken)
    response = client.post(consultation.url + "comment/", comment_data())
    assert response.status_code == 302
    assert Comment.objects.count() == 1
