"""Personal data: kept only until the retention period after the results has passed, and never written to the
logs or to the moderators' notification mail."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry

from consultations import results
from consultations.models import Comment, ConsultationPage, ReflectionStatus, ResponseTopic
from consultations.services import PURGE_LOG_ACTION, change_state, client_key
from mieplan_site.celery import app as celery_app
from tests import periods

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

NAMES = ["県民一郎", "県民二郎", "県民三郎"]


@pytest.fixture
def comments(consultation, card, moderator) -> list[Comment]:
    """Three comments from two addresses (two of them published, one with its sender's name), with a topic."""
    page = card("3-1")
    topic = ResponseTopic.objects.create(
        consultation=consultation,
        target_page=page,
        title="マイナンバーカードの活用",
        summary="マイナンバーカードで手続できるようにしてほしい。",
        response="重点手続からデジタル化を進めます。",
        reflection=ReflectionStatus.objects.get(label="既に盛り込み済み"),
    )
    made = [
        Comment.objects.create(
            consultation=consultation,
            target_page=page,
            target_part="goal",
            target_label="3-1 行政手続のデジタル化 めざす姿",
            body=f"{index}番目の意見：手続のオンライン化を進めてください。",
            name=NAMES[index],
            email=f"kenmin{index}@example.jp",
            age_group="30s",
            residence="tsu",
            publication="name" if index == 0 else "anonymous",
            client_key=client_key("192.0.2.1" if index < 2 else "192.0.2.2"),
            topic=topic,
        )
        for index in range(3)
    ]
    change_state(Comment.objects.filter(pk__in=[made[0].pk, made[1].pk]), "published", moderator)
    return made


def publish_results(consultation: ConsultationPage, days_ago: int, closed_days_ago: int | None = None) -> None:
    """Results published `days_ago` days ago, the consultation closed before that (set in the database: the
    publication time is otherwise always now)."""
    periods.publish_results(consultation)
    closed = timezone.now() - timedelta(days=closed_days_ago if closed_days_ago is not None else days_ago + 7)
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        opens_at=closed - timedelta(days=31),
        closes_at=closed,
        results_published_at=timezone.now() - timedelta(days=days_ago),
    )
    consultation.refresh_from_db()


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def personal_data(comment: Comment) -> tuple:
    comment.refresh_from_db()
    return comment.name, comment.email, comment.client_key, comment.personal_data_purged_at


def kept_data(comment: Comment) -> tuple:
    comment.refresh_from_db()
    return (
        comment.body,
        comment.target_page_id,
        comment.target_part,
        comment.target_label,
        comment.age_group,
        comment.residence,
        comment.state,
        comment.topic_id,
        comment.publication,
        comment.receipt_number,
    )


def test_purge_removes_personal_data_and_keeps_what_the_results_are_made_of(client, consultation, comments):
    publish_results(consultation, days_ago=100)
    kept_before = [kept_data(comment) for comment in comments]
    summary_before = results.summary(consultation)
    opendata_before = client.get(consultation.url + "results/opendata/json/").content
    results_before = client.get(consultation.url + "results/").content.decode()
    assert NAMES[0] in results_before  # published with the name until the purge

    output = purge("--older-than", "90d")

    assert "purged personal data of 3 comment(s) in 1 consultation(s)" in output
    for comment in comments:
        name, email, key, purged_at = personal_data(comment)
        assert (name, email) == ("", "")
        assert key.startswith("purged:") and key not in {client_key("192.0.2.1"), client_key("192.0.2.2")}
        assert purged_at is not None
    assert [kept_data(comment) for comment in comments] == kept_before
    # The same sender stays one commenter: the results still say "2 people, 3 comments".
    assert comments[0].client_key == comments[1].client_key != comments[2].client_key
    assert results.summary(consultation) == summary_before
    assert client.get(consultation.url + "results/opendata/json/").content == opendata_before

    results_after = client.get(consultation.url + "results/").content.decode()
    for text in [
        "2人の方から3件のご意見をいただきました。",
        comments[0].body,
        comments[1].body,
        "3-1 行政手続のデジタル化",
    ]:
        assert text in results_before and text in results_after
    assert NAMES[0] not in results_after and "@example.jp" not in results_after

    entry = PageLogEntry.objects.get(page=consultation, action=PURGE_LOG_ACTION)
    assert entry.data == {"comments": 3} and entry.user is None


def test_purge_is_idempotent(consultation, comments):
    publish_results(consultation, days_ago=100)
    purge("--older-than", "90")
    first = [personal_data(comment) for comment in comments]

    output = purge("--older-than", "90d")

    assert "purged personal data of 0 comment(s) in 0 consultation(s)" in output
    assert [personal_data(comment) for comment in comments] == first  # not even the pseudonyms change
    assert PageLogEntry.objects.filter(page=consultation, action=PURGE_LOG_ACTION).count() == 1


def test_recently_published_results_keep_their_personal_data(consultation, comments):
    publish_results(consultation, days_ago=30, closed_days_ago=200)  # closed long ago, published recently
    before = [personal_data(comment) for comment in comments]
    assert "0 comment(s)" in purge("--older-than", "90d")
    assert [personal_data(comment) for comment in comments] == before


def test_open_consultation_is_never_touched_whatever_its_switches_say(consultation, comments):
    # Switched on while the period runs (the page model refuses it now; data from before that rule may have it).
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        results_published=True, results_published_at=timezone.now() - timedelta(days=400)
    )
    before = [personal_data(comment) for comment in comments]
    assert "0 comment(s)" in purge("--older-than", "1d")
    assert [personal_data(comment) for comment in comments] == before


def test_closed_consultation_without_published_results_is_left_alone(closed_consultation, comments):
    ConsultationPage.objects.filter(pk=closed_consultation.pk).update(closes_at=timezone.now() - timedelta(days=500))
    before = [personal_data(comment) for comment in comments]
    assert "0 comment(s)" in purge("--older-than", "90d")
    assert [personal_data(comment) for comment in comments] == before


def test_closing_time_counts_when_the_publication_time_was_never_recorded(consultation, comments):
    publish_results(consultation, days_ago=0, closed_days_ago=100)
    ConsultationPage.objects.filter(pk=consultation.pk).update(results_published_at=None)
    assert "3 comment(s)" in purge("--older-than", "90d")
    assert all(personal_data(comment)[3] is not None for comment in comments)


def test_dry_run_reports_the_count_and_writes_nothing(consultation, comments):
    publish_results(consultation, days_ago=100)
    before = [personal_data(comment) for comment in comments]

    output = purge("--older-than", "90d", "--dry-run")

    assert "would purge 3 comment(s)" in output and "Dry run" in output
    assert [personal_data(comment) for comment in comments] == before
    assert not PageLogEntry.objects.filter(action=PURGE_LOG_ACTION).exists()


@pytest.mark.parametrize("value", ["", "abc", "90x", "-5", "0", "0d", "1.5d", "12w", "6m", "90 days", "9" * 30])
def test_bad_retention_period_is_refused_with_a_clear_error(consultation, comments, value):
    publish_results(consultation, days_ago=100)
    with pytest.raises(CommandError, match="--older-than"):
        purge("--older-than", value)
    assert Comment.objects.filter(personal_data_purged_at__isnull=False).count() == 0


def test_retention_period_is_required():
    with pytest.raises(CommandError, match="older-than"):
        purge()


def test_results_publication_time_is_stamped_once_and_survives_later_revisions(consultation):
    assert consultation.results_published_at is None
    periods.publish_results(consultation)
    consultation.refresh_from_db()
    stamped = consultation.results_published_at
    assert stamped is not None and timezone.now() - stamped < timedelta(minutes=1)

    # An editor's later change, drafted and published from the latest revision, keeps the original time.
    draft = consultation.get_latest_revision_as_object()
    draft.title += "（結果）"
    draft.save_revision().publish()
    consultation.refresh_from_db()
    assert consultation.results_published_at == stamped

    draft = consultation.get_latest_revision_as_object()
    draft.results_published = False
    draft.save_revision().publish()
    consultation.refresh_from_db()
    assert consultation.results_published_at is None


def test_purged_comment_says_so_in_the_moderators_history_tab(client, moderator, consultation, comments):
    from django.urls import reverse

    publish_results(consultation, days_ago=100)
    purge("--older-than", "90d")
    client.force_login(moderator)
    html = client.get(reverse("wagtailsnippets_consultations_comment:edit", args=[comments[0].pk])).content.decode()
    assert "氏名・メールアドレス・送信元の情報を削除しました" in html
    assert "kenmin0@example.jp" not in html


def test_purge_appears_in_the_consultation_pages_history(client, consultation, comments, django_user_model):
    from django.urls import reverse

    publish_results(consultation, days_ago=100)
    purge("--older-than", "90d")
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:history", args=[consultation.pk])).content.decode()
    assert "保存期間を過ぎた3件の意見から個人情報を削除しました。" in html


@pytest.fixture
def eager_celery():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@override_settings(COMMENT_MODERATOR_EMAILS=["digital@pref.mie.lg.jp"])
def test_name_and_email_never_reach_the_logs_or_the_moderators_mail(
    client, consultation, comment_data, caplog, eager_celery, django_capture_on_commit_callbacks
):
    name, email = "三重 花子", "hanako.private@example.jp"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        # A refused submission (bad address: logged as a 400) and an accepted one (mail queued and sent).
        refused = client.post(consultation.url + "comment/", comment_data(name=name, email="hanako@@example.jp"))
        accepted = client.post(consultation.url + "comment/", comment_data(name=name, email=email))
    assert (refused.status_code, accepted.status_code) == (400, 302)
    assert Comment.objects.get().email == email

    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert caplog.records  # the refused one at least is logged, so the check below is not vacuous
    for secret in (name, email, "hanako@@example.jp", "hanako"):
        assert secret not in logged

    (notification,) = [message for message in mail.outbox if message.to == ["digital@pref.mie.lg.jp"]]
    assert Comment.objects.get().receipt_number in notification.subject
    for secret in (name, email, "hanako"):
        assert secret not in notification.subject and secret not in notification.body
    (receipt,) = [message for message in mail.outbox if message.to == [email]]
    assert name not in receipt.body  # the receipt needs the address to be delivered, not the name
