"""The moderators' queue: dashboard counts, topic filters and columns, bulk work on everything a filter matches."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.admin_queue import QueueCounts
from consultations.choices import CommentState, Publication
from consultations.models import Comment, CommentStateChange, ReflectionStatus, ResponseTopic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

LIST = "wagtailsnippets_consultations_comment:list"
BULK = "consultations_comment_bulk"


def make_comments(consultation, count: int, **extra) -> list[Comment]:
    now = timezone.now()
    made = []
    body = extra.pop("body", "")
    for index in range(count):
        comment = Comment(
            consultation=consultation,
            body=body or f"防災アプリの改善について。意見{index}番です。",
            publication=Publication.ANONYMOUS,
            submitted_at=now - timedelta(minutes=count - index),
            **extra,
        )
        comment.change_state(CommentState.RECEIVED, note="post")
        made.append(comment)
    return made


def make_topic(consultation, title: str = "防災アプリ") -> ResponseTopic:
    return ResponseTopic.objects.create(
        consultation=consultation,
        title=title,
        summary="",
        response="",
        reflection=ReflectionStatus.objects.first(),
    )


def test_assign_topic_moves_every_matching_comment_and_refuses_another_consultations(consultation):
    comments = make_comments(consultation, 5)
    topic, other = make_topic(consultation), make_topic(consultation, "窓口")
    assert services.assign_topic(Comment.objects.all(), topic) == 5
    assert services.assign_topic(Comment.objects.filter(pk=comments[0].pk), other) == 1
    assert Comment.objects.filter(topic=topic).count() == 4
    assert services.assign_topic(Comment.objects.all(), None) == 5
    assert not Comment.objects.exclude(topic=None).exists()

    foreign = make_topic(consultation, "別の募集")
    foreign.consultation_id = consultation.pk + 10_000  # as if it belonged to another consultation
    with pytest.raises(services.WrongConsultation):
        services.assign_topic(Comment.objects.all(), foreign)
    assert not Comment.objects.exclude(topic=None).exists()  # all or none


def test_queue_counts_waiting_missing_topics_personal_data_and_the_oldest(consultation, moderator):
    comments = make_comments(consultation, 3)
    make_comments(consultation, 1, body="自宅は津市広明町13番地です。電話090-1234-5678まで。")
    services.change_state(Comment.objects.filter(pk=comments[0].pk), CommentState.PUBLISHED, moderator)
    counts = QueueCounts.now()
    assert counts.waiting == 3
    assert counts.needs_topic == 1
    assert counts.personal_data == 1
    assert counts.oldest_waiting == comments[1].submitted_at


def test_dashboard_shows_the_queue_panel_and_the_queue_opens_on_waiting_oldest_first(client, consultation, moderator):
    make_comments(consultation, 2)
    client.force_login(moderator)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "確認待ち 2件" in dashboard
    response = client.get(reverse("consultations_comment_queue"))
    assert response.status_code == 302
    assert "state=received" in response.url and "ordering=submitted_at" in response.url


def test_comment_list_filters_by_topic_or_no_topic_and_links_same_text_groups(client, consultation, moderator):
    with_topic = make_comments(consultation, 2, body="同じ文面の意見です。")
    without = make_comments(consultation, 1, body="別の意見です。")
    topic = make_topic(consultation)
    services.assign_topic(Comment.objects.filter(pk__in=[c.pk for c in with_topic]), topic)
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:list_results")
    none_yet = client.get(url, {"topic": "null"}).content.decode()
    assert without[0].receipt_number in none_yet and with_topic[0].receipt_number not in none_yet
    this_topic = client.get(url, {"topic": topic.pk}).content.decode()
    assert with_topic[0].receipt_number in this_topic and without[0].receipt_number not in this_topic
    assert "同一意見 2件" in this_topic
    assert f"fingerprint={with_topic[0].fingerprint}" in this_topic
    by_size = client.get(url, {"ordering": "-group_size"}).content.decode()
    assert by_size.index(with_topic[0].receipt_number) < by_size.index(without[0].receipt_number)


def test_topic_list_counts_its_comments_and_the_topic_shows_them(client, consultation, moderator):
    comments = make_comments(consultation, 3)
    topic = make_topic(consultation)
    services.assign_topic(Comment.objects.filter(pk__in=[c.pk for c in comments[:2]]), topic)
    client.force_login(moderator)
    listing = client.get(reverse("wagtailsnippets_consultations_responsetopic:list")).content.decode()
    assert "2件" in listing and f"?topic={topic.pk}" in listing
    edit = client.get(reverse("wagtailsnippets_consultations_responsetopic:edit", args=[topic.pk])).content.decode()
    assert "この論点には2件の意見があります。" in edit and comments[0].receipt_number in edit
    found = client.get(reverse("wagtailsnippets_consultations_responsetopic:list_results"), {"q": "防災"})
    assert "防災アプリ" in found.content.decode()


def test_bulk_assign_reaches_all_120_matching_comments_after_a_confirm_screen(client, consultation, moderator):
    make_comments(consultation, 120)
    make_comments(consultation, 3, body="対象外の別の話題です。")
    topic = make_topic(consultation)
    client.force_login(moderator)
    url = reverse(BULK) + "?q=防災アプリ&p=2"
    chosen = client.get(url).content.decode()
    assert "120件の意見" in chosen
    confirm = client.post(url, {"action": "assign", "topic": topic.pk})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "120件の意見に「論点に割り当てる（移す）」を行います" in html
    assert Comment.objects.filter(topic=topic).count() == 0  # nothing done before the confirmation
    ids = html.split('name="ids" value="')[1].split('"')[0]
    done = client.post(url, {"action": "assign", "topic": topic.pk, "ids": ids})
    assert done.status_code == 302
    assert Comment.objects.filter(topic=topic).count() == 120
    assert Comment.objects.filter(topic=None).count() == 3


def test_bulk_publish_lists_what_becomes_public_and_flags_personal_data(client, consultation, moderator):
    make_comments(consultation, 2)
    make_comments(consultation, 1, body="防災アプリについて。電話は090-1234-5678です。")
    hidden = make_comments(consultation, 1, body="防災アプリは公表しないでください。")[0]
    Comment.objects.filter(pk=hidden.pk).update(publication=Publication.NOT_PUBLISHED)
    client.force_login(moderator)
    url = reverse(BULK) + "?q=防災アプリ"
    html = client.post(url, {"action": "state:published"}).content.decode()
    assert "この操作の後に公開される意見（3件）" in html
    assert "公開される意見のうち1件に個人情報と思われる記載があります" in html and "［電話番号］" in html
    assert "090-1234-5678" not in html.split("対象の意見")[0].split("personal-data")[-1]
    ids = html.split('name="ids" value="')[1].split('"')[0]
    client.post(url, {"action": "state:published", "ids": ids})
    assert Comment.objects.filter(state=CommentState.PUBLISHED).count() == 4
    change = CommentStateChange.objects.filter(to_state=CommentState.PUBLISHED).first()
    assert change.changed_by == moderator


def test_bulk_does_only_what_the_confirm_screen_listed(client, consultation, moderator):
    make_comments(consultation, 2)
    client.force_login(moderator)
    url = reverse(BULK) + "?state=received"
    html = client.post(url, {"action": "state:rejected"}).content.decode()
    ids = html.split('name="ids" value="')[1].split('"')[0]
    late = make_comments(consultation, 1)[0]  # arrived while the moderator read the list
    client.post(url, {"action": "state:rejected", "ids": ids})
    late.refresh_from_db()
    assert late.state == CommentState.RECEIVED
    assert Comment.objects.filter(state=CommentState.REJECTED).count() == 2


def test_bulk_assign_without_a_topic_is_a_form_error_not_a_500(client, consultation, moderator):
    make_comments(consultation, 1)
    client.force_login(moderator)
    response = client.post(reverse(BULK), {"action": "assign"})
    assert response.status_code == 200
    assert "割り当てる論点を選んでください。" in response.content.decode()


def test_bulk_screens_refuse_editors(client, editor):
    client.force_login(editor)
    assert client.get(reverse(BULK)).status_code in (302, 403)
    assert client.get(reverse("consultations_comment_queue")).status_code in (302, 403)
