from decimal import Decimal

import pytest

from progress.rules import Quantity, RowSpec, Status, Thresholds, judge, label_year, parse_quantity

D = Decimal
THRESHOLDS = Thresholds(on_track=D("0.9"), slightly_behind=D("0.6"))
# 65% in FY2022 → 100% in FY2026: 8.75 points a year on the straight line.
RISING = RowSpec(baseline=Quantity(D(65), "%"), target=Quantity(D(100), "%"))
FALLING = RowSpec(baseline=Quantity(D(100), "件"), target=Quantity(D(60), "件"))


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("65%", D(65), "%"),
        ("76.4万世帯", D("76.4"), "万世帯"),
        ("3,215千件", D(3215), "千件"),
        ("９０．０％以上", D("90.0"), "%"),
        ("39% (2021調査結果)", D(39), "%"),
    ],
)
def test_plan_numbers_are_read_with_their_unit(text, number, unit):
    assert parse_quantity(text) == Quantity(number, unit)


@pytest.mark.parametrize("text", ["2022年度中にシステム運用開始", "ハード対応完了", "-件", "—", ""])
def test_milestones_stay_text(text):
    assert parse_quantity(text) is None


def test_column_labels_give_the_years():
    assert label_year("現状値（2022年）", 0) == 2022
    assert label_year("目標値 (2026年) 又は実施スケジュール", 0) == 2026
    assert label_year("", 2026) == 2026


def status(spec, year, value):
    return judge(spec, year, D(value) if value is not None else None, "", THRESHOLDS)


def test_reaching_the_target_is_achieved_even_early():
    assert status(RISING, 2023, "100") == Status.ACHIEVED
    assert status(RISING, 2023, "99.99") != Status.ACHIEVED


def test_on_track_starts_exactly_at_the_on_track_share_of_the_planned_progress():
    # FY2024: planned 82.5% (17.5 points). 90% of it is 15.75 points → 80.75%.
    assert status(RISING, 2024, "80.75") == Status.ON_TRACK
    assert status(RISING, 2024, "80.74") == Status.SLIGHTLY_BEHIND


def test_slightly_behind_starts_exactly_at_its_share():
    # 60% of 17.5 points is 10.5 points → 75.5%.
    assert status(RISING, 2024, "75.5") == Status.SLIGHTLY_BEHIND
    assert status(RISING, 2024, "75.49") == Status.BEHIND


def test_falling_back_below_the_baseline_is_behind():
    assert status(RISING, 2023, "60") == Status.BEHIND


def test_a_target_below_the_baseline_is_judged_the_same_way_down():
    # 100 → 60 件: FY2024 plans 80; 90% of 20 down is 82, 60% is 88.
    assert status(FALLING, 2024, "82") == Status.ON_TRACK
    assert status(FALLING, 2024, "88") == Status.SLIGHTLY_BEHIND
    assert status(FALLING, 2024, "88.1") == Status.BEHIND
    assert status(FALLING, 2025, "60") == Status.ACHIEVED


def test_in_the_baseline_year_holding_the_baseline_is_on_track():
    assert status(RISING, 2022, "65") == Status.ON_TRACK
    assert status(RISING, 2022, "64") == Status.BEHIND


def test_thresholds_set_by_administrators_move_the_edges():
    strict = Thresholds(on_track=D("1.0"), slightly_behind=D("0.9"))
    assert judge(RISING, 2024, D("80.75"), "", strict) == Status.SLIGHTLY_BEHIND
    assert judge(RISING, 2024, D("82.5"), "", strict) == Status.ON_TRACK


def test_no_actual_is_not_reported():
    assert judge(RISING, None, None, "", THRESHOLDS) == Status.NOT_REPORTED


def test_milestone_rows_take_the_reported_status():
    milestone = RowSpec(baseline=None, target=None)
    assert judge(milestone, 2024, None, "slightly_behind", THRESHOLDS) == Status.SLIGHTLY_BEHIND
    assert judge(milestone, 2024, None, "", THRESHOLDS) == Status.NOT_REPORTED


def test_the_planned_line_is_straight():
    assert RISING.planned(2022) == D(65)
    assert RISING.planned(2024) == D("82.5")
    assert RISING.planned(2026) == D(100)
