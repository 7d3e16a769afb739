"""The comment form: what a resident sees for every kind of bad input, and that nothing is half-saved."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.html import escape

from consultations.models import Comment, CommentStateChange
from tests.conftest import form_token

pytestmark = pytest.mark.django_db


def form_url(consultation) -> str:
    return consultation.url + "comment/"


def test_valid_comment_is_stored_with_its_exact_target_and_language(client, consultation, comment_data, card):
    response = client.post(form_url(consultation), comment_data())
    assert response.status_code == 302
    assert response["Location"].endswith("/consultation/thanks/")
    comment = Comment.objects.get()
    row = card("3-1").kpis.first()
    assert comment.target_page_id == card("3-1").pk
    assert (comment.target_part, comment.target_item) == ("kpi", str(row.translation_key))
    assert comment.target_label == f"3-1 行政手続のデジタル化 KPI「{row.indicator}」"
    assert comment.language == "ja"
    assert comment.state == "received"
    assert CommentStateChange.objects.filter(comment=comment, to_state="received").exists()

    receipt = client.get(response["Location"]).content.decode()
    assert comment.receipt_number in receipt
    # The receipt is shown once; reloading it leads back to the consultation instead of showing it again.
    assert client.get(response["Location"]).status_code == 302


def test_general_comment_on_the_whole_plan_is_possible(client, consultation, comment_data):
    response = client.post(form_url(consultation), comment_data(page="", part="", item=""))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.target_page is None and comment.target_label == "計画全体"


def test_comment_on_a_measure_item_records_that_item(client, consultation, comment_data, card):
    page = card("1-2-1")
    item = page.measures[2]
    response = client.post(form_url(consultation), comment_data(page=str(page.pk), part="measure", item=item.id))
    assert response.status_code == 302
    assert Comment.objects.get().target_label.endswith("「AIを活用した路面標示劣化検知システムの開発」")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": ""}, "ご意見を入力してください。"),
        ({"body": "   \n  "}, "ご意見を入力してください。"),
        ({"body": "あ" * 4001}, "4000"),
        ({"body": "制御文字\x07を含む"}, "使用できない制御文字"),
        ({"body": "NUL\x00を含む"}, "使用できない制御文字"),
        ({"consent": None}, "個人情報の取扱いへの同意が必要です"),
        ({"publication": "everyone"}, "正しく選択してください"),
        ({"email": "not-an-address"}, "有効なメールアドレス"),
        ({"age_group": "999"}, "正しく選択してください"),
        ({"website": "http://spam.example"}, "送信できませんでした"),
        ({"form_token": "just issued"}, "送信が早すぎます"),
        ({"form_token": "forged:token"}, "有効期限が切れました"),
        ({"form_token": None}, "有効期限が切れました"),
    ],
)
def test_bad_input_gets_a_message_and_a_4xx_and_stores_nothing(client, consultation, comment_data, changes, message):
    if changes.get("form_token") == "just issued":
        changes = {"form_token": form_token(age_seconds=0)}
    response = client.post(form_url(consultation), comment_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "target",
    [
        {"page": "999999"},
        {"page": "abc"},
        {"part": "nonsense"},
        {"item": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_target_that_does_not_exist_is_refused(client, consultation, comment_data, target):
    response = client.post(form_url(consultation), comment_data(**target))
    assert response.status_code == 400
    assert "意見の対象が見つかりません" in response.content.decode()
    assert Comment.objects.count() == 0


def test_pages_outside_the_plan_cannot_be_targets(client, consultation, comment_data, home_page):
    response = client.post(form_url(consultation), comment_data(page=str(home_page.pk), part="whole", item=""))
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_closed_consultation_refuses_comments(client, closed_consultation, comment_data):
    response = client.post(form_url(closed_consultation), comment_data())
    assert response.status_code == 403
    assert "現在受け付けていません" in response.content.decode()
    assert Comment.objects.count() == 0


def test_not_yet_open_consultation_refuses_comments(client, consultation, comment_data):
    from datetime import timedelta

    from django.utils import timezone

    consultation.opens_at = timezone.now() + timedelta(days=3)
    consultation.closes_at = timezone.now() + timedelta(days=40)
    consultation.save_revision().publish()
    response = client.post(form_url(consultation), comment_data())
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_oversized_request_gets_a_friendly_400(client, consultation, comment_data):
    response = client.post(form_url(consultation), comment_data(body="あ" * 400_000))
    assert response.status_code == 400
    assert "大きすぎる" in response.content.decode()
    assert Comment.objects.count() == 0


def test_missing_csrf_token_gets_a_clear_403_in_japanese(consultation, comment_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(form_url(consultation), comment_data())
    assert response.status_code == 403
    assert "有効期限が切れました" in response.content.decode()
    assert Comment.objects.count() == 0


def test_body_is_plain_text_never_html(client, consultation, comment_data, card, moderator):
    from consultations.services import change_state

    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(form_url(consultation), comment_data(body=hostile))
    change_state(Comment.objects.all(), "published", moderator)
    html = client.get(card("3-1").url).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


@override_settings(COMMENT_RATE_LIMIT=5)
def test_sixth_comment_in_ten_minutes_from_one_address_is_refused(client, consultation, comment_data):
    for index in range(5):
        assert client.post(form_url(consultation), comment_data(body=f"意見その{index}")).status_code == 302
    response = client.post(form_url(consultation), comment_data(body="意見その6"))
    assert response.status_code == 429
    assert "しばらく時間をおいて" in response.content.decode()
    assert Comment.objects.count() == 5
    other = client.post(form_url(consultation), comment_data(body="別の人の意見"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_identical_comment_from_the_same_address_within_a_day_is_recorded_once(client, consultation, comment_data):
    first = client.post(form_url(consultation), comment_data())
    first_receipt = client.get(first["Location"]).content.decode()
    second = client.post(form_url(consultation), comment_data())
    second_receipt = client.get(second["Location"]).content.decode()
    assert Comment.objects.count() == 1
    number = Comment.objects.get().receipt_number
    assert number in first_receipt and number in second_receipt
    assert "すでに受け付けています" in second_receipt


def test_resubmission_from_the_same_browser_shows_its_first_receipt_and_secret_again(
    client, consultation, comment_data
):
    first = client.post(form_url(consultation), comment_data())
    first_receipt = client.get(first["Location"]).content.decode()
    secret = re.search(r'<dd class="receipt__secret"><code>([^<]+)</code>', first_receipt).group(1)
    second = client.post(form_url(consultation), comment_data())
    second_receipt = client.get(second["Location"]).content.decode()
    assert Comment.objects.count() == 1
    assert Comment.objects.get().receipt_number in second_receipt and secret in second_receipt


def test_resubmission_from_another_browser_on_the_same_address_shows_no_ones_receipt(
    client, consultation, comment_data, mailoutbox, monkeypatch
):
    from consultations import tasks

    # With a broker (the PostgreSQL + Redis pass) tasks are queued, not run: run the re-send as a worker would.
    monkeypatch.setattr(tasks.resend_receipt_mail, "delay", lambda comment_id: tasks.resend_receipt_mail(comment_id))
    first = client.post(form_url(consultation), comment_data())
    first_receipt = client.get(first["Location"]).content.decode()
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(receipt_mail_sent_at=timezone.now() - timedelta(hours=1))
    mailoutbox.clear()

    someone_else = Client()  # same address (a shared office network), another browser
    second = someone_else.post(form_url(consultation), comment_data(email=""))
    second_receipt = someone_else.get(second["Location"]).content.decode()
    assert Comment.objects.count() == 1
    assert "すでに受け付けています" in second_receipt
    assert comment.receipt_number not in second_receipt and comment.target_label not in second_receipt
    assert comment.receipt_number in first_receipt
    # The first sender gets their receipt again, at the address they gave.
    assert [mail.to for mail in mailoutbox] == [[comment.email]]
    assert comment.receipt_number in mailoutbox[0].subject


def test_the_same_text_about_another_part_is_another_comment(client, consultation, comment_data, card):
    first = client.post(form_url(consultation), comment_data(page=str(card("1-2-4").pk), part="", item=""))
    second = client.post(form_url(consultation), comment_data(page=str(card("1-7").pk), part="", item=""))
    assert first.status_code == second.status_code == 302
    comments = Comment.objects.order_by("submitted_at")
    assert [c.target_label.split()[0] for c in comments] == ["1-2-4", "1-7"]
    second_receipt = client.get(second["Location"]).content.decode()
    assert comments[1].receipt_number in second_receipt and "receipt__secret" in second_receipt


def test_form_page_shows_the_target_and_privacy_notice(client, consultation, card):
    page = card("1-1")
    response = client.get(form_url(consultation) + f"?page={page.pk}&part=goal")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1-1 デジタルを活用した防災対策 めざす姿" in html
    assert "個人情報の取扱い" in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_comment_from_another_language_is_kept_with_the_japanese_consultation(client, consultation, comment_data):
    from consultations.models import ConsultationPage

    vietnamese = ConsultationPage.objects.get(locale__language_code="vi")
    response = client.post(f"/vi/comments/{vietnamese.pk}/", comment_data())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.consultation_id == consultation.pk
    assert comment.language == "vi"


def test_receipt_links_to_the_status_form_with_its_number_filled_in(client, consultation, comment_data):
    response = client.post(form_url(consultation), comment_data())
    receipt = client.get(response["Location"]).content.decode()
    number = Comment.objects.get().receipt_number
    link = re.search(r'href="([^"]*status/\?receipt=[^"]+)"', receipt).group(1)
    status_form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'name="receipt_number" value="{number}"' in status_form


def test_english_target_labels_use_english_quotation_marks(client, card, comment_data):
    from consultations.models import ConsultationPage

    english = ConsultationPage.objects.get(locale__language_code="en")
    page = card("3-1").get_translation(english.locale)
    row = page.kpis.first()
    html = client.get(english.url + f"comment/?page={page.pk}&part=kpi&item={row.translation_key}").content.decode()
    assert f"KPIs “{escape(row.indicator)}”" in html and f"「{escape(row.indicator)}」" not in html
