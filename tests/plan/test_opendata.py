import csv
import io

import pytest

from plan.models import KPI

pytestmark = pytest.mark.django_db

KEYS = [
    "card_number",
    "card_title",
    "departments",
    "indicator",
    "baseline_label",
    "baseline",
    "target_label",
    "target",
    "note",
    "url",
]


def test_kpis_json_has_every_row_with_exactly_the_agreed_keys(client, card):
    response = client.get("/opendata/kpis.json")
    assert response.status_code == 200
    records = response.json()
    assert len(records) == KPI.objects.filter(locale__language_code="ja").count()
    assert all(list(record) == KEYS for record in records)
    first = records[0]
    assert first["card_number"] == "1-1"
    assert first["baseline"] == "3,215千件" and first["target"] == "3,375千件"
    assert first["departments"] == ["防災対策部"]
    assert first["url"] == "http://testserver" + card("1-1").url


def test_kpis_json_renders_schedules_and_relisted_rows_as_document_text(client):
    records = client.get("/opendata/kpis.json").json()
    schedule = next(r for r in records if r["card_number"] == "1-2-2")
    assert schedule["target"].splitlines()[0] == "R3~4 実証実験（点検結果のデータベース化）"
    relisted = next(r for r in records if r["card_number"] == "1-8-3")
    assert relisted["indicator"] == "学校ICT環境の維持・向上"
    assert relisted["target"] == "新たなデジタル技術に応じた環境整備"


def test_kpis_csv_is_utf8_with_bom_and_the_same_rows(client):
    response = client.get("/opendata/kpis.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == KEYS
    assert len(rows) == KPI.objects.filter(locale__language_code="ja").count()
    education = next(r for r in rows if r["card_number"] == "1-7")
    assert education["departments"] == "医療保健部;子ども・福祉部;環境生活部;教育委員会事務局"


def test_opendata_has_no_language_prefix(client):
    assert client.get("/ja/opendata/kpis.json").status_code == 404
