"""意見を追加: staff type up a paper comment with its exact target, date received and channel."""

import pytest
from django.urls import reverse

from consultations.choices import CommentState, TargetPart
from consultations.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

INTAKE = "consultations_comment_intake"


def letter(consultation, page, **changes) -> dict:
    data = {
        "received_on": "2026-11-20",
        "channel": "post",
        "consultation": consultation.pk,
        "target_page": page.pk,
        "target_part": "whole",
        "target_item": "",
        "body": "紙で届いた意見です。",
        "publication": "anonymous",
    }
    return data | changes


def test_intake_preselects_the_consultation_and_lists_japanese_pages_with_card_numbers(client, moderator, consultation):
    client.force_login(moderator)
    html = client.get(reverse(INTAKE)).content.decode()
    assert f'<option value="{consultation.pk}" selected>' in html
    assert "3-1 " in html
    form_html = html.split('name="target_page"')[1].split("</select>")[0]
    assert "Digital" not in form_html  # only the Japanese pages, not every language's copy


def test_intake_stores_a_kpi_row_target_with_date_and_channel_and_adds_another(client, moderator, consultation, card):
    page = card("3-1")
    row = page.kpi_rows()[0]
    client.force_login(moderator)
    items = client.get(reverse("consultations_target_items", args=[page.pk])).json()
    assert [str(row.translation_key), row.shown.indicator] in items["kpi"]
    response = client.post(
        reverse(INTAKE),
        letter(consultation, page, target_part="kpi", target_item=str(row.translation_key), add_another="1"),
    )
    assert response.status_code == 302
    assert "channel=post" in response.url and "received_on=2026-11-20" in response.url
    comment = Comment.objects.get()
    assert (comment.target_page_id, comment.target_part, comment.target_item) == (
        page.pk,
        TargetPart.KPI,
        str(row.translation_key),
    )
    assert row.shown.indicator in comment.target_label and comment.target_label.startswith("3-1")
    assert comment.channel == "post" and comment.state == CommentState.RECEIVED
    assert comment.submitted_at.astimezone().date().isoformat() == "2026-11-20"
    assert comment.history.get().changed_by == moderator
    again = client.get(response.url).content.decode()
    assert 'value="2026-11-20"' in again


def test_intake_refuses_a_kpi_part_without_its_row_with_a_message(client, moderator, consultation, card):
    client.force_login(moderator)
    response = client.post(reverse(INTAKE), letter(consultation, card("3-1"), target_part="kpi"))
    assert response.status_code == 200
    assert "対象の項目を選んでください" in response.content.decode()
    assert not Comment.objects.exists()


def test_intake_refuses_an_item_of_another_card(client, moderator, consultation, card):
    row = card("3-1").kpi_rows()[0]
    client.force_login(moderator)
    response = client.post(
        reverse(INTAKE),
        letter(consultation, card("1-1"), target_part="kpi", target_item=str(row.translation_key)),
    )
    assert response.status_code == 200 and not Comment.objects.exists()


def test_comment_list_add_button_opens_the_intake_form(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("wagtailsnippets_consultations_comment:list")).content.decode()
    assert reverse(INTAKE) in html
