"""Personal data typed into a comment is masked on every screen and file but the moderator's own view of it."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from consultations.models import Comment
from consultations.services import change_state

pytestmark = pytest.mark.django_db

ADDRESS = "津市栄町3丁目222"
PHONE = "090-1234-5678"
BODY = f"{ADDRESS}に住んでいます。バスの本数を増やしてください。連絡は{PHONE}へ。"


@pytest.fixture
def comment(consultation, card):
    return Comment.objects.create(
        consultation=consultation,
        target_page=card("3-1"),
        target_label="3-1 行政手続のデジタル化",
        body=BODY,
        publication="anonymous",
    )


def assert_masked(text: str) -> None:
    assert ADDRESS not in text and PHONE not in text
    assert "［住所］" in text and "［電話番号］" in text


def test_the_card_page_shows_a_published_comment_masked(client, comment, card, moderator):
    change_state(Comment.objects.filter(pk=comment.pk), "published", moderator)
    html = client.get(card("3-1").url).content.decode()
    assert "バスの本数を増やしてください" in html
    assert_masked(html)


def test_bulk_publishing_warns_of_personal_data_and_the_results_page_masks_it(
    client, comment, moderator, closed_consultation
):
    consultation = closed_consultation  # results follow the period
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=("consultations", "comment", "publish_comments")) + f"?id={comment.pk}"
    confirm = client.get(url).content.decode()
    assert "個人情報と思われる記載があります" in confirm
    assert "［住所］" in confirm and "［電話番号］" in confirm
    assert client.post(url, {"next": "/admin/"}).status_code == 302
    consultation.results_published = True
    consultation.save_revision().publish()
    client.logout()
    html = client.get(consultation.url + "results/").content.decode()
    assert "バスの本数を増やしてください" in html
    assert_masked(html)
    assert_masked(client.get(consultation.url + "results/opendata/json/").content.decode())
    assert_masked(b"".join(client.get(consultation.url + "results/opendata/csv/").streaming_content).decode())


def test_bulk_publishing_a_comment_without_personal_data_has_no_warning(client, comment, moderator):
    Comment.objects.filter(pk=comment.pk).update(body="バスの本数を増やしてください。")
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=("consultations", "comment", "publish_comments")) + f"?id={comment.pk}"
    assert "個人情報と思われる記載" not in client.get(url).content.decode()


def test_staff_exports_mask_the_text(client, comment, moderator):
    client.force_login(moderator)
    body = b"".join(client.get(reverse("consultations_comment_export", args=["csv"])).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert_masked(rows[1][5])
    response = client.get(reverse("consultations_comment_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert_masked(list(sheet.iter_rows(values_only=True))[1][5])


def test_the_admin_list_masks_and_the_comments_own_edit_view_shows_the_original(client, comment, moderator):
    client.force_login(moderator)
    listing = client.get(reverse("wagtailsnippets_consultations_comment:list")).content.decode()
    assert "［住所］" in listing and ADDRESS not in listing
    edit = client.get(reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk])).content.decode()
    assert ADDRESS in edit and PHONE in edit


def test_staff_exports_escape_cells_that_start_like_a_formula(client, comment, moderator):
    Comment.objects.filter(pk=comment.pk).update(body='=HYPERLINK("http://example.com","見て")')
    client.force_login(moderator)
    body = b"".join(client.get(reverse("consultations_comment_export", args=["csv"])).streaming_content)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1][5].startswith("'=HYPERLINK")
    response = client.get(reverse("consultations_comment_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["F2"].data_type == "s" and sheet["F2"].quotePrefix
