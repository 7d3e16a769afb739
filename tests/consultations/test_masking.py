"""Personal data typed into comments is found and replaced by its placeholder (consultations/masking.py)."""

from pathlib import Path

import pytest
import yaml

from consultations.masking import find_personal_data, mask_personal_data, personal_data_kinds
from consultations.masking_evaluation import evaluate, load_cases, parse_case

STRUCTURED = ["phone", "email", "postal", "number"]


@pytest.fixture(scope="module")
def scores():
    return evaluate(load_cases())[0]


@pytest.mark.parametrize("kind", STRUCTURED)
def test_structured_personal_data_is_found_with_high_precision_and_recall(scores, kind):
    score = scores[kind]
    assert score.marks >= 5
    assert score.recall >= 0.95, f"{kind} recall {score.recall:.3f}"
    assert score.precision >= 0.95, f"{kind} precision {score.precision:.3f}"


def test_names_are_found_with_recall_of_at_least_ninety_percent(scores):
    assert scores["name"].marks >= 20
    assert scores["name"].recall >= 0.9
    assert scores["name"].precision >= 0.9


def test_street_addresses_are_found(scores):
    assert scores["address"].marks >= 15
    assert scores["address"].recall >= 0.9
    assert scores["address"].precision >= 0.9


def test_each_kind_gets_its_own_placeholder():
    text = "三重花子（090-1234-5678、hanako@example.jp）〒514-0004 津市栄町3丁目222 番号123456789012"
    assert mask_personal_data(text) == "［氏名］（［電話番号］、［メールアドレス］）［郵便番号］ ［住所］ 番号［番号］"


@pytest.mark.parametrize(
    "text",
    [
        "０９０－１２３４－５６７８",  # full width
        "090ー1234ー5678",  # long-vowel marks typed as dashes
        "09012345678",
        "+81 90 1234 5678",
        "(059)224-2000",
    ],
)
def test_phone_numbers_are_masked_in_any_width_and_form(text):
    assert mask_personal_data(f"電話{text}まで") == "電話［電話番号］まで"


@pytest.mark.parametrize(
    "text",
    [
        "カード1-2-4と2-4-2について",
        "四日市市の2-4-2の取組",
        "令和4年度の目標値10,000件",
        "2026-12-04の説明会、9:00-17:00",
        "津市に住んでいます",
        "県民の皆様、職員さん、息子さん",
        "マイナンバーカードの普及率",
    ],
)
def test_ordinary_numbers_and_words_are_left_alone(text):
    assert mask_personal_data(text) == text
    assert personal_data_kinds(text) == []


def test_the_plan_text_itself_has_no_personal_data_but_its_contact_block():
    found = []
    for path in sorted(Path("plan/data/ja").glob("*.yaml")):
        stack = [yaml.safe_load(path.read_text(encoding="utf-8"))]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str):
                found += [value[s.start : s.end] for s in find_personal_data(value)]
    # The department's published address, phone numbers and e-mail; nothing in 1,250 strings of plan text.
    assert found
    assert all("@pref.mie.lg.jp" in piece or piece[0] in "〒津0" for piece in found), found


def test_masking_is_deterministic_and_leaves_no_fragment():
    case = parse_case("私、[[name:三重太郎]]は[[address:津市広明町13番地]]に住み、[[phone:059-224-2000]]です。")
    first = mask_personal_data(case.text)
    mask_personal_data.cache_clear()
    assert mask_personal_data(case.text) == first
    for mark in case.marks:
        assert case.text[mark.start : mark.end] not in first


def test_the_labelled_set_marks_parse_into_spans():
    case = parse_case("電話[[phone:090-1234-5678]]、[[name:田中]]さん")
    assert case.text == "電話090-1234-5678、田中さん"
    assert [(m.kind, case.text[m.start : m.end]) for m in case.marks] == [("phone", "090-1234-5678"), ("name", "田中")]
