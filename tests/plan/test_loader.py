import shutil

import pytest
import yaml
from django.core.management import call_command
from wagtail.models import Page, Revision

from plan.loader import DATA_DIR, PlanLoader
from plan.models import KPI, AreaPage, ChapterPage, Department, DirectionPage, InitiativePage

pytestmark = pytest.mark.django_db

DOCUMENT_CARD_NUMBERS = [
    "1-1", "1-2-1", "1-2-2", "1-2-3", "1-2-4", "1-3", "1-4", "1-5", "1-6", "1-7",
    "1-8-1", "1-8-2", "1-8-3", "1-8-4",
    "2-1", "2-2", "2-3", "2-4-1", "2-4-2", "2-4-3", "2-5-1", "2-5-2", "2-5-3", "2-6-1", "2-6-2",
    "2-7-1", "2-7-2", "2-7-3", "2-8-1", "2-8-2",
    "3-1", "3-2-1", "3-2-2", "3-3-1", "3-3-2", "3-4", "3-5", "3-6-1", "3-6-2", "3-6-3", "3-7",
]  # fmt: skip


def test_loader_creates_three_areas_23_directions_and_41_cards_in_document_order():
    assert list(AreaPage.objects.live().filter(locale__language_code="ja").values_list("title", flat=True)) == [
        "暮らしのDX",
        "しごとのDX",
        "行政のDX",
    ]
    assert DirectionPage.objects.live().filter(locale__language_code="ja").count() == 23
    assert list(
        InitiativePage.objects.live()
        .filter(locale__language_code="ja")
        .order_by("path")
        .values_list("number", flat=True)
    ) == (DOCUMENT_CARD_NUMBERS)
    assert ChapterPage.objects.live().filter(locale__language_code="ja").count() == 11


def test_every_card_sits_under_the_direction_its_number_names():
    for card in InitiativePage.objects.all():
        direction = card.get_parent().specific
        assert direction.number == "-".join(card.number.split("-")[:2])


def test_loader_creates_every_kpi_row_of_the_document():
    shipped = sum(
        len(card["kpis"])
        for name in ("cards-1.yaml", "cards-2.yaml", "cards-3.yaml")
        for card in yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))["cards"]
    )
    assert KPI.objects.filter(locale__language_code="ja").count() == shipped == 48


def test_kpi_values_are_the_documents_text(card):
    (row,) = card("1-1").kpis.all()
    assert row.indicator == "防災みえ.jpのホームページへのアクセス数"
    assert (row.baseline, row.target) == ("3,215千件", "3,375千件")
    assert row.baseline_label == "現状値（2022年）"

    rows = list(card("2-8-1").kpis.order_by("sort_order"))
    assert [r.baseline for r in rows] == ["271事業所", "125事業所"]

    (schedule_row,) = card("1-2-2").kpis.all()
    assert [step["period"] for step in schedule_row.schedule_steps] == ["R3~4", "R5~6", "R7", "R8~"]
    assert schedule_row.schedule_steps[3]["text"] == "全面運用"


def test_relisted_kpi_points_to_its_original_instead_of_a_copy(card):
    original = card("1-8-2").kpis.get()
    for number in ("1-8-3", "1-8-4"):
        relisted = card(number).kpis.get()
        assert relisted.repost_of_id == original.pk
        assert relisted.indicator == ""
        assert relisted.shown.indicator == "学校ICT環境の維持・向上"


def test_card_sections_keep_lists_as_lists_and_goal_labels(card):
    page = card("1-2-1")
    assert [p.value["label"] for p in page.goal] == ["社会インフラ"]
    assert [item.value for item in page.measures] == [
        "重点監視箇所での水位・画像データのリアルタイム収集・提供",
        "県管理道路における道路状況の常時モニタリング",
        "AIを活用した路面標示劣化検知システムの開発",
    ]
    assert [department.name for department in page.departments()] == ["県土整備部"]
    assert page.subtitle == ""
    assert card("1-8-1").subtitle == "授業の改善"


def test_departments_are_shared_snippets_not_copies():
    names = list(Department.objects.filter(locale__language_code="ja").values_list("name", flat=True))
    assert len(names) == len(set(names))  # in Japanese; translations are copies in other locales
    # 1-7 and the four 1-8 cards name it; it is one snippet shared by all five.
    assert set(
        InitiativePage.objects.filter(
            locale__language_code="ja", department_links__department__name="教育委員会事務局"
        ).values_list("number", flat=True)
    ) == {"1-7", "1-8-1", "1-8-2", "1-8-3", "1-8-4"}
    assert Department.objects.filter(locale__language_code="ja", name="教育委員会事務局").count() == 1


def test_every_code_made_stream_block_has_an_id():
    for card in InitiativePage.objects.all():
        for field in ("goal", "issues", "overview", "measures", "figures"):
            assert all(block.id for block in getattr(card, field)), (card.number, field)


def test_second_load_changes_nothing():
    revisions = Revision.objects.count()
    report = PlanLoader().run()
    assert not report.changed
    assert (
        len(report.unchanged)
        == Page.objects.filter(locale__language_code="ja", depth__gt=1)
        .exclude(content_type__model="consultationpage")
        .count()
    )
    assert Revision.objects.count() == revisions


def test_changed_data_publishes_a_revision_for_that_card_only(tmp_path, card):
    data_dir = tmp_path / "ja"
    shutil.copytree(DATA_DIR, data_dir)
    cards = yaml.safe_load((data_dir / "cards-1.yaml").read_text(encoding="utf-8"))
    cards["cards"][0]["kpis"][0]["target"] = "3,400千件"
    (data_dir / "cards-1.yaml").write_text(yaml.safe_dump(cards, allow_unicode=True), encoding="utf-8")
    revisions_before = card("1-1").revisions.count()

    dry_report = PlanLoader(data_dir).run(dry_run=True)
    assert dry_report.updated == ["card 1-1"]
    assert card("1-1").kpis.get().target == "3,375千件"

    report = PlanLoader(data_dir).run()
    assert report.updated == ["card 1-1"] and not report.created
    page = card("1-1")
    assert page.kpis.get().target == "3,400千件"
    assert page.revisions.count() == revisions_before + 1
    assert page.live_revision == page.latest_revision


def test_load_plan_command_dry_run_reports_without_writing(capsys):
    revisions = Revision.objects.count()
    call_command("load_plan", "--dry-run")
    assert "would create 0, would update 0, unchanged 80" in capsys.readouterr().out
    assert Revision.objects.count() == revisions
