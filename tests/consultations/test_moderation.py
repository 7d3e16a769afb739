"""Moderators screen comments in the Wagtail admin; personal data stays with them."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, CommentStateChange, ReflectionStatus, ResponseTopic
from consultations.services import change_state
from tests.periods import publish_results

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]


@pytest.fixture
def comments(consultation, card):
    page = card("3-1")
    made = []
    for index, (body, publication) in enumerate(
        [
            ("マイナンバーカードで手続できるようにしてください。", "name"),
            ("マイナンバーカードで手続できるようにしてください!", "anonymous"),  # near-identical (campaign)
            ("窓口での支援も続けてください。", "none"),
        ]
    ):
        made.append(
            Comment.objects.create(
                consultation=consultation,
                target_page=page,
                target_label="3-1 行政手続のデジタル化",
                body=body,
                name=f"県民{index}",
                email=f"resident{index}@example.jp",
                residence="tsu",
                age_group="30s",
                publication=publication,
                client_key=f"client-{index}",
                submitted_at=timezone.now() - timedelta(minutes=index),
            )
        )
    return made


def bulk_url(action: str, objects) -> str:
    ids = "&".join(f"id={obj.pk}" for obj in objects)
    return reverse("wagtail_bulk_action", args=("consultations", "comment", action)) + "?" + ids


def test_moderator_bulk_publishes_and_the_history_records_who(client, moderator, comments):
    client.force_login(moderator)
    response = client.post(bulk_url("publish_comments", comments[:2]), {"next": "/admin/"})
    assert response.status_code == 302
    assert set(Comment.objects.filter(state="published").values_list("pk", flat=True)) == {
        comments[0].pk,
        comments[1].pk,
    }
    change = CommentStateChange.objects.filter(comment=comments[0]).latest("changed_at")
    assert (change.from_state, change.to_state, change.changed_by) == ("received", "published", moderator)


@pytest.mark.parametrize(("action", "state"), [("reject_comments", "rejected"), ("spam_comments", "spam")])
def test_moderator_bulk_rejects_or_marks_spam(client, moderator, comments, action, state):
    client.force_login(moderator)
    client.post(bulk_url(action, comments), {"next": "/admin/"})
    assert set(Comment.objects.values_list("state", flat=True)) == {state}


def test_changing_state_in_the_edit_form_is_recorded(client, moderator, comments):
    comment = comments[2]
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])
    html = client.get(url).content.decode()
    assert "resident2@example.jp" in html  # moderators see the personal data
    assert "状態の変更履歴" in html


def test_near_identical_comments_are_grouped_with_their_size(client, moderator, comments):
    assert comments[0].fingerprint == comments[1].fingerprint != comments[2].fingerprint
    sizes = dict(Comment.objects.with_group_size().values_list("pk", "group_size"))
    assert sizes == {comments[0].pk: 2, comments[1].pk: 2, comments[2].pk: 1}
    client.force_login(moderator)
    listing = client.get(reverse("wagtailsnippets_consultations_comment:list"))
    assert listing.status_code == 200
    assert "同一意見数" in listing.content.decode()


def test_queue_filters_by_state_and_target(client, moderator, comments, card):
    change_state(Comment.objects.filter(pk=comments[0].pk), "published", moderator)
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:list_results")
    published = client.get(url, {"state": "published"}).content.decode()
    assert comments[0].receipt_number in published and comments[2].receipt_number not in published
    other_card = client.get(url, {"target": str(card("1-1").translation_key)}).content.decode()
    assert comments[0].receipt_number not in other_card


def test_editors_and_the_public_never_see_comment_personal_data(client, editor, comments, card, moderator):
    client.force_login(editor)
    list_url = reverse("wagtailsnippets_consultations_comment:list")
    assert client.get(list_url).status_code in (302, 403)
    edit_url = reverse("wagtailsnippets_consultations_comment:edit", args=[comments[0].pk])
    assert "resident0@example.jp" not in client.get(edit_url).content.decode()
    assert client.get(reverse("consultations_comment_export", args=["csv"])).status_code in (302, 403)

    change_state(Comment.objects.all(), "published", moderator)
    client.logout()
    html = client.get(card("3-1").url).content.decode()
    assert "マイナンバーカードで手続できるようにしてください。" in html
    assert "県民0" in html  # agreed to publication with the name
    assert "県民1" not in html  # anonymous
    assert "窓口での支援も続けてください。" not in html  # asked not to be published
    assert "@example.jp" not in html
    assert "寄せられたご意見（2件）" in html


def test_staff_export_csv_and_xlsx_have_the_columns_and_intact_japanese(client, moderator, comments):
    client.force_login(moderator)
    response = client.get(reverse("consultations_comment_export", args=["csv"]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:6] == ["受付番号", "受付日時", "提出方法", "状態", "対象", "ご意見"]
    assert len(rows) == 1 + len(comments)
    assert {row[5] for row in rows[1:]} == {comment.body for comment in comments}
    assert "resident0@example.jp" in {row[9] for row in rows[1:]}

    response = client.get(reverse("consultations_comment_export", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert sheet_rows[0][5] == "ご意見"
    assert {row[5] for row in sheet_rows[1:]} == {comment.body for comment in comments}


def test_staff_enter_a_fax_comment_into_the_same_queue(client, moderator, consultation):
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:add")
    data = {
        "consultation": consultation.pk,
        "channel": "fax",
        "submitted_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "target_page": "",
        "target_part": "whole",
        "target_label": "計画全体",
        "body": "FAXで届いた意見です。",
        "name": "",
        "age_group": "",
        "residence": "outside",
        "email": "",
        "publication": "anonymous",
        "language": "ja",
        "state": "received",
        "topic": "",
        "moderator_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    comment = Comment.objects.get(channel="fax")
    assert comment.history.get().changed_by == moderator


def test_results_page_counts_match_the_comments(client, consultation, comments, moderator, card):
    change_state(Comment.objects.filter(pk__in=[c.pk for c in comments[:2]]), "published", moderator)
    change_state(Comment.objects.filter(pk=comments[2].pk), "spam", moderator)
    topic = ResponseTopic.objects.create(
        consultation=consultation,
        target_page=card("3-1"),
        title="マイナンバーカードの活用",
        summary="マイナンバーカードで手続できるようにしてほしい。",
        response="重点手続からデジタル化を進めます。",
        reflection=ReflectionStatus.objects.get(label="既に盛り込み済み"),
    )
    Comment.objects.filter(pk__in=[c.pk for c in comments[:2]]).update(topic=topic)
    publish_results(consultation)

    html = client.get(consultation.url + "results/").content.decode()
    assert "2人の方から2件のご意見をいただきました。" in html  # spam is not counted
    assert "3-1 行政手続のデジタル化" in html
    assert "既に盛り込み済み" in html and "重点手続からデジタル化を進めます。" in html
    assert "@example.jp" not in html

    records = client.get(consultation.url + "results/opendata/json/").json()
    assert len(records) == 2
    assert set(records[0]) == {"number", "submitted_on", "target", "body", "topic", "response", "reflection"}


def test_results_page_is_hidden_until_published(client, consultation):
    assert client.get(consultation.url + "results/").status_code == 404
    assert client.get(consultation.url + "results/opendata/csv/").status_code == 404


def test_status_lookup_by_receipt_number_with_email_or_secret(client, consultation, comments):
    comment = comments[0]
    secret = comment.issue_secret()
    comment.save()
    url = consultation.url + "status/"
    by_email = client.post(url, {"receipt_number": comment.receipt_number.lower(), "email_or_secret": comment.email})
    assert by_email.status_code == 200 and "受付済み" in by_email.content.decode()
    by_secret = client.post(url, {"receipt_number": comment.receipt_number, "email_or_secret": secret})
    assert by_secret.status_code == 200
    wrong = client.post(url, {"receipt_number": comment.receipt_number, "email_or_secret": "guess"})
    assert wrong.status_code == 404 and "見つかりません" in wrong.content.decode()


def test_editors_are_warned_about_a_consultation_period_under_30_days(rf, consultation):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from wagtail import hooks

    from consultations.wagtail_hooks import warn_if_period_is_short

    assert warn_if_period_is_short in hooks.get_hooks("after_edit_page")
    assert warn_if_period_is_short in hooks.get_hooks("after_create_page")
    request = rf.post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)

    warn_if_period_is_short(request, consultation)  # the demo runs 31 days
    assert list(get_messages(request)) == []

    consultation.closes_at = consultation.opens_at + timedelta(days=14)
    warn_if_period_is_short(request, consultation)
    (warning,) = list(get_messages(request))
    assert "30日未満" in str(warning)


def test_moderators_get_a_japanese_machine_rendering_of_a_foreign_language_comment(client, moderator, consultation):
    from plan.translations import shipped_strings

    english_title = shipped_strings("en")["暮らしのDX"]
    comment = Comment.objects.create(
        consultation=consultation, body=english_title, language="en", publication="anonymous"
    )
    client.force_login(moderator)
    html = client.get(reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])).content.decode()
    assert "機械翻訳（日本語）" in html
    assert '<blockquote lang="ja">暮らしのDX</blockquote>' in html  # the offline translator's memory


def test_translation_panel_says_no_translator_rather_than_echoing_the_original(client, moderator, consultation):
    comment = Comment.objects.create(
        consultation=consultation, body="Please add bus timetables to the app.", language="en", publication="anonymous"
    )
    client.force_login(moderator)
    html = client.get(reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])).content.decode()
    assert "機械翻訳は設定されていません" in html
    assert '<blockquote lang="ja">' not in html


def edit_form_data(comment: Comment, **changes) -> dict:
    data = {
        "consultation": comment.consultation_id,
        "channel": comment.channel,
        "submitted_at": timezone.localtime(comment.submitted_at).strftime("%Y-%m-%d %H:%M"),
        "target_page": comment.target_page_id or "",
        "target_part": comment.target_part,
        "target_label": comment.target_label,
        "body": comment.body,
        "name": comment.name,
        "age_group": comment.age_group,
        "residence": comment.residence,
        "email": comment.email,
        "publication": comment.publication,
        "language": comment.language,
        "state": comment.state,
        "topic": "",
        "moderator_note": comment.moderator_note,
    }
    return {**data, **changes}


def test_state_changed_in_the_edit_form_is_recorded_with_who(client, moderator, comments):
    comment = comments[2]
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])
    response = client.post(url, edit_form_data(comment, state="rejected", moderator_note="対象外"))
    assert response.status_code == 302, response.content.decode()[:3000]
    comment.refresh_from_db()
    assert (comment.state, comment.moderator_note) == ("rejected", "対象外")
    change = comment.history.latest("pk")
    assert (change.from_state, change.to_state, change.changed_by) == ("received", "rejected", moderator)

    # Saving other fields only adds no history entry.
    client.post(url, edit_form_data(comment, moderator_note="再確認"))
    assert comment.history.count() == 1


def test_edit_form_refuses_an_illegal_state_change(client, moderator, comments):
    comment = comments[0]
    change_state(Comment.objects.filter(pk=comment.pk), "published", moderator)
    comment.refresh_from_db()
    client.force_login(moderator)
    url = reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])
    assert 'value="received"' not in client.get(url).content.decode()
    response = client.post(url, edit_form_data(comment, state="received"))
    assert response.status_code == 200  # the form again, with the error
    comment.refresh_from_db()
    assert comment.state == "published"
    assert comment.history.count() == 1  # only the publication


@pytest.mark.parametrize(("before", "after"), [("received", "received"), ("published", "received"), ("spam", "spam")])
def test_comment_state_machine_refuses_illegal_changes(comments, before, after):
    from consultations.models import IllegalStateChange

    comment = comments[0]
    Comment.objects.filter(pk=comment.pk).update(state=before)
    comment.refresh_from_db()
    with pytest.raises(IllegalStateChange):
        comment.change_state(after)
    comment.refresh_from_db()
    assert comment.state == before
    assert not comment.history.exists()


def test_comment_state_machine_records_every_change(comments, moderator):
    comment = comments[0]
    comment.change_state("spam", by=moderator, note="広告")
    comment.change_state("published", by=moderator)
    comment.refresh_from_db()
    assert comment.state == "published"
    assert [(c.from_state, c.to_state, c.note) for c in comment.history.all()] == [
        ("received", "spam", "広告"),
        ("spam", "published", ""),
    ]
