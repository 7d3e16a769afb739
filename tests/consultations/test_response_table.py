"""The table 意見の概要と県の考え方: results page, CSV, XLSX and JSON, with no personal data and escaped cells."""

import csv
import io
import json
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Comment, ReflectionStatus, ResponseTopic
from consultations.services import change_state

pytestmark = pytest.mark.django_db

HEADERS = ["番号", "該当箇所", "意見の概要", "件数", "県の考え方", "反映状況"]


@pytest.fixture
def topics(consultation, card, moderator):
    first = ResponseTopic.objects.create(
        consultation=consultation,
        target_page=card("2-4-2"),
        title="KPIの目標",
        summary="目標値を高くすべきとの意見。〔K7Q2-M4TX、R8ZD-2HNC〕\n津市栄町3丁目222の三重太郎さんから電話（090-1234-5678）あり。",
        response='=HYPERLINK("http://example.com") 目標値は国の計画に合わせて設定しています。',
        reflection=ReflectionStatus.objects.get(label="反映しない"),
        sort_order=1,
    )
    second = ResponseTopic.objects.create(
        consultation=consultation,
        title="計画全体",
        summary="+わかりやすい計画にしてほしい。",
        response="用語集を加えます。",
        reflection=ReflectionStatus.objects.get(label="反映する"),
        sort_order=2,
    )
    for index, topic in enumerate([first, first, second]):
        Comment.objects.create(consultation=consultation, body=f"意見{index}", publication="anonymous", topic=topic)
    change_state(Comment.objects.all(), "published", moderator)
    return [first, second]


def no_personal_data(text: str) -> None:
    assert "090-1234-5678" not in text and "栄町3丁目222" not in text and "K7Q2-M4TX" not in text


def publish_results(consultation) -> None:
    """Results follow the period (the page model refuses them while it is open)."""
    consultation.opens_at = timezone.now() - timedelta(days=40)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.results_published = True
    consultation.save_revision().publish()


def test_results_page_shows_the_table_masked_and_without_receipt_numbers(client, consultation, topics):
    publish_results(consultation)
    html = client.get(consultation.url + "results/").content.decode()
    for header in HEADERS:
        assert f'<th scope="col">{header}</th>' in html
    assert "2-4-2 " in html and "目標値を高くすべきとの意見。" in html and "［電話番号］" in html
    assert "反映しない" in html and "2件" in html
    assert 'class="results-page"' in html  # the A4-landscape print rules apply to this body
    no_personal_data(html)


def test_csv_has_the_columns_in_order_escaped_formulas_and_no_personal_data(client, consultation, topics):
    publish_results(consultation)
    response = client.get(consultation.url + "results/responses/csv/")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["1", "2"]
    assert rows[1][3] == "2" and rows[1][5] == "反映しない"
    assert rows[1][4].startswith("'=HYPERLINK") and rows[2][2].startswith("'+")
    no_personal_data(body)


def test_xlsx_has_a_frozen_wrapped_header_and_no_merged_cells(client, consultation, topics):
    publish_results(consultation)
    response = client.get(consultation.url + "results/responses/xlsx/")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert not sheet.merged_cells.ranges
    assert sheet["C2"].alignment.wrap_text and sheet["E2"].alignment.wrap_text
    assert sheet["E2"].data_type == "s" and sheet["E2"].quotePrefix  # shown as text, never run
    assert sheet["D2"].value == 2
    assert sheet.page_setup.orientation == "landscape"
    no_personal_data(" ".join(str(cell.value) for row in sheet.iter_rows() for cell in row))


def test_json_open_data_has_the_rows_and_no_personal_data(client, consultation, topics):
    publish_results(consultation)
    response = client.get(consultation.url + "results/responses/json/")
    document = response.json()
    assert list(document["columns"].values()) == HEADERS
    assert [row["number"] for row in document["rows"]] == [1, 2]
    assert document["rows"][0]["comments"] == 2 and document["rows"][1]["reflection"] == "反映する"
    no_personal_data(json.dumps(document, ensure_ascii=False))


def test_the_table_is_not_public_before_the_results(client, consultation, topics):
    assert client.get(consultation.url + "results/responses/csv/").status_code == 404


def test_export_responses_command_writes_each_format(consultation, topics, tmp_path):
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"table.{fmt}"
        call_command("export_responses", consultation.slug, "--format", fmt, "--out", str(out))
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "table.json").read_text())["rows"][1]["target"] == "計画全体"
    sheet = openpyxl.load_workbook(tmp_path / "table.xlsx").active
    assert sheet["B2"].value.startswith("2-4-2")


def test_a_site_configured_reflection_label_is_used_without_code(client, consultation, topics):
    # Shiga-style labels: added as rows in the admin snippet, no code change.
    shiga = ReflectionStatus.objects.create(label="修正しました", sort_order=1)
    ResponseTopic.objects.filter(pk=topics[1].pk).update(reflection=shiga)
    publish_results(consultation)
    assert "修正しました" in client.get(consultation.url + "results/").content.decode()
    rows = client.get(consultation.url + "results/responses/json/").json()["rows"]
    assert rows[1]["reflection"] == "修正しました"


def test_export_responses_draft_writes_the_analysis_topics_masked(consultation, analysis_comments, tmp_path):
    from consultations import topic_services
    from consultations.models import ProposedTopic

    topic_services.run_analysis(consultation)
    out = tmp_path / "draft.json"
    call_command("export_responses", consultation.slug, "--format", "json", "--out", str(out), "--draft")
    rows = json.loads(out.read_text())["rows"]
    proposed = ProposedTopic.objects.filter(consultation=consultation)
    assert len(rows) == proposed.count() > 0
    assert sum(row["comments"] for row in rows) == sum(t.placements.count() for t in proposed)
    text = out.read_text()
    assert "059-224-3086" not in text  # the phone number in one comment
    assert not any(receipt in text for receipt in Comment.objects.values_list("receipt_number", flat=True))
    assert all(row["response"] == "" and row["reflection"] == "" for row in rows)  # nothing accepted yet


def test_the_english_results_page_titles_the_table_in_english(client, consultation, topics):
    from wagtail.models import Locale

    publish_results(consultation)
    english = consultation.get_translation(Locale.objects.get(language_code="en"))
    publish_results(english)  # each language's page has its own switch; the table comes from the Japanese one
    html = client.get(english.url + "results/").content.decode()
    assert '<h2 id="results-topics">Summary of comments and the Prefecture\'s responses</h2>' in html
    assert "Part of the plan" in html and "目標値を高くすべきとの意見。" in html


def test_staff_download_the_table_from_the_admin_before_the_results_are_public(client, moderator, consultation, topics):
    from django.urls import reverse

    client.force_login(moderator)
    listing = client.get(reverse("wagtailsnippets_consultations_responsetopic:list")).content.decode()
    url = reverse("consultations_response_table", args=[consultation.pk, "xlsx"])
    assert url in listing
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url).content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS and sheet.max_row == 3


def test_editors_cannot_download_the_staff_table(client, editor, consultation):
    from django.urls import reverse

    client.force_login(editor)
    url = reverse("consultations_response_table", args=[consultation.pk, "csv"])
    assert client.get(url).status_code in (302, 403)


def test_each_topic_links_to_its_cards_changes_since_the_interim_draft(client, consultation, topics, card):
    from wagtail.models import PageLogEntry

    target = card("2-4-2")
    if not PageLogEntry.objects.filter(page=target, action="wagtail.publish").exists():
        target.save_revision().publish()
    publish_results(consultation)
    # The revision live when the consultation closed is the interim draft; the card changes afterwards.
    PageLogEntry.objects.filter(page=target, action="wagtail.publish").update(
        timestamp=consultation.closes_at - timedelta(days=2)
    )
    interim_heading = target.heading
    changed = target.get_latest_revision_as_object()
    changed.title = changed.title + "（改訂）"
    changed.save_revision().publish()
    page = client.get(consultation.url + "results/").content.decode()
    link = f"results/changes/{target.pk}/"
    assert link in page
    changes = client.get(consultation.url + link).content.decode()
    assert f"{interim_heading}</del>" in changes  # the interim draft's title, struck out
    assert f"{interim_heading}（改訂）</ins>" in changes  # and the title now
