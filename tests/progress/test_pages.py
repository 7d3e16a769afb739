import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from progress import services
from progress.models import KPIActual, ProgressSettings, PublishedFigure
from progress.rules import Thresholds

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    client.get(url)  # warm what is cached once per process
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def five_years(row, publish_actual, start=3215, step=20):
    for offset, year in enumerate(range(2022, 2027)):
        publish_actual(row, year, start + step * offset)


def test_the_card_shows_latest_actual_and_status_as_text_and_symbol(client, card, kpi_row, publish_actual):
    publish_actual(kpi_row("1-1"), 2023, 3262)
    publish_actual(kpi_row("1-1"), 2024, 3230)
    html = client.get(card("1-1").url).content.decode()
    table = re.search(r'<table class="kpi-table">.*?</table>', html, re.S).group(0)
    assert "3,230千件" in table and "（2024年度）" in table
    assert "×</span> 遅れ" in table  # FY2024 plans 3,295; 15 of 80 planned is under 60%


def test_the_kpi_table_header_comes_from_the_rows_labels(client, card):
    html = client.get(card("2-8-1").url).content.decode()
    assert '<th scope="col">現状値（2022年）</th>' in html
    assert '<th scope="col">目標値（2026年）又は実施スケジュール</th>' in html


def test_the_chart_has_an_accessible_name_and_description_and_a_table(client, card, kpi_row, publish_actual):
    publish_actual(kpi_row("1-1"), 2023, 3262)
    html = client.get(card("1-1").url).content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", html, re.S).group(0)
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    title = re.search(rf'<title id="{labelled_by[0]}">(.*?)</title>', svg).group(1)
    desc = re.search(rf'<desc id="{labelled_by[1]}">(.*?)</desc>', svg).group(1)
    assert title == "防災みえ.jpのホームページへのアクセス数 の推移"
    assert "2023年度の3,262千件" in desc and "目標値 3,375千件" in desc
    assert "kpi-chart__table" in html and "/opendata/progress.csv?kpi=" in html


def test_open_data_csv_has_one_value_per_cell_and_western_years(client, kpi_row, publish_actual):
    publish_actual(kpi_row("1-1"), 2023, 3262)
    publish_actual(kpi_row("1-2-1"), 2023, milestone="試験運用を拡大", milestone_status="on_track")
    response = client.get("/opendata/progress.csv")
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    numeric = next(row for row in rows if row["card_number"] == "1-1")
    assert numeric["fiscal_year"] == "2023" and numeric["value"] == "3262" and numeric["unit"] == "千件"
    assert numeric["baseline"] == "3215" and numeric["target"] == "3375" and numeric["status"] == "on_track"
    milestone = next(row for row in rows if row["card_number"] == "1-2-1")
    assert milestone["value"] == "" and milestone["milestone"] == "試験運用を拡大"
    json_records = client.get("/opendata/progress.json").json()
    schema = client.get("/opendata/progress.schema.json").json()
    assert list(json_records[0]) == list(rows[0]) == list(schema["items"]["properties"])


def test_every_publication_is_kept_in_the_history(client, kpi_row, publish_actual):
    actual = publish_actual(kpi_row("1-1"), 2023, 3262)
    actual.value = 3270
    actual.save_revision().publish()
    assert PublishedFigure.objects.filter(kpi=actual.kpi).count() == 2
    rows = list(csv.DictReader(io.StringIO(client.get("/opendata/progress-history.csv").content.decode("utf-8-sig"))))
    assert [row["value"] for row in rows] == ["3262", "3270"]


def test_progress_of_rows_is_one_query_whatever_the_rows_and_years(kpi_row, publish_actual):
    rows = [kpi_row("1-1"), kpi_row("2-8-1"), kpi_row("2-8-1", 1)]
    thresholds = Thresholds()
    with CaptureQueriesContext(connection) as before:
        services.progress_of_rows(rows[:1], thresholds)
    for row in rows:
        five_years(row, publish_actual)
    with CaptureQueriesContext(connection) as after:
        progress = services.progress_of_rows(rows, thresholds)
    assert len(before.captured_queries) == len(after.captured_queries) == 1
    assert [len(entry.actuals) for entry in progress.values()] == [5, 5, 5]


def test_card_page_queries_do_not_grow_with_years_of_actuals(client, card, kpi_row, publish_actual):
    page = card("1-1")
    without = count_queries(client, page.url)
    five_years(kpi_row("1-1"), publish_actual)
    assert KPIActual.objects.filter(kpi=kpi_row("1-1")).count() == 5
    assert count_queries(client, page.url) == without


def test_overview_adds_a_fixed_number_of_queries_to_the_pages_shared_ones(
    client, progress_page, kpi_row, publish_actual
):
    # The rule page renders the same base template (header, footer, language switcher) and nothing else: the
    # overview's own queries are KPI rows, their departments, areas, directions and every actual, whatever the
    # number of rows and years (the shared part is the card page's budget, being cut in parallel).
    shared = count_queries(client, progress_page.url + "method/")
    few = count_queries(client, progress_page.url)
    for row in (kpi_row("2-8-1"), kpi_row("2-8-1", 1)):
        five_years(row, publish_actual, start=271, step=10)
    many = count_queries(client, progress_page.url)
    assert many == few <= shared + 5


def test_overview_sorts_risk_first_and_filters(client, progress_page):
    html = client.get(progress_page.url).content.decode()
    body = html[html.index('class="progress-list"') :]
    first_behind = body.find("progress-status--behind")
    first_achieved_or_on_track = body.find("progress-status--on_track")
    assert -1 < first_behind < first_achieved_or_on_track or first_behind == -1
    filtered = client.get(progress_page.url + "?status=on_track").content.decode()
    listed = filtered[filtered.index('class="progress-list"') :]
    assert "progress-status--not_reported" not in listed.split("</table>")[0]
    assert "デモデータ" in html


def test_the_rule_page_prints_the_thresholds_administrators_set(client, progress_page):
    settings = ProgressSettings.load()
    settings.on_track_share = "0.80"
    settings.save()
    html = client.get(progress_page.url + "method/").content.decode()
    assert "計画どおりの進みの80%以上" in html


def test_the_report_shows_a_year_and_what_changed(client, progress_page):
    html = client.get(progress_page.url + "report/2024/").content.decode()
    assert "2024年度の進捗報告" in html and "2023年度からの変化" in html
    assert client.get(progress_page.url + "report/2030/").status_code == 404
