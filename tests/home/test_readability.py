"""The editors' readability check: deterministic scores, the hardest sentences first, the やさしい日本語 guideline's
rules of thumb flagged, and advice only (publishing goes through whatever it says)."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home import readability

HARD = (
    "地域における防災に関する取組や人材育成、防災情報の提供にデジタル技術を活用することで、"
    "すべての避難を必要とする人が適切に避難できる地域づくりが進んでいる。"
)
EASY = "地震の ときは すぐに 逃げて ください。"


def test_a_hard_sentence_ranks_above_an_easy_one():
    report = readability.report(EASY + "\n" + HARD)
    assert [sentence.text for sentence in report.hardest] == [HARD, EASY]
    assert readability.measure(HARD).difficulty > readability.measure(EASY).difficulty
    assert "防災" in readability.measure(HARD).rare_words and readability.measure(EASY).rare_words == []


def test_easy_text_scores_easier_than_the_plans_prose():
    assert readability.report(EASY * 3).score > readability.report(HARD).score
    assert readability.report(HARD).level.startswith("上級")


def test_the_score_is_deterministic():
    first, second = readability.report(HARD + EASY), readability.report(HARD + EASY)
    assert first == second


def test_only_three_sentences_are_listed_as_hardest():
    text = "".join(f"文{number}は短いです。" for number in range(6)) + HARD
    report = readability.report(text)
    assert len(report.hardest) == 3 and report.hardest[0].text == HARD
    assert report.sentence_count == 7


def test_long_sentences_in_an_easy_field_are_flagged():
    long = "県は スマートフォンで 役所の 手続きが できる ように して みんなの 暮らしを 便利に します。"
    problems = readability.easy_problems("やさしい日本語のまとめ", EASY + long)
    assert [problem.sentence for problem in problems] == [long]
    assert "30文字" in problems[0].reasons[0]
    assert readability.length("地震の ときは") == 6  # spaces between words are not characters to read


@pytest.mark.parametrize(
    "sentence",
    [
        "いけんを 送れない わけでは ありません。",
        "使えなくは ないです。",
        "名前を 書かなければ なりません。",
        "行かないと いけません。",
        "やめざるを 得ない。",
    ],
)
def test_double_negatives_are_flagged(sentence):
    problems = readability.easy_problems("easy", sentence)
    assert problems and any("二重否定" in reason for reason in problems[0].reasons)


@pytest.mark.parametrize(
    "sentence", ["いけんを 書いて ください。", "名前は 書かなくても いいです。", "水が なくなりません。"]
)
def test_plain_negatives_and_requests_are_not_double_negatives(sentence):
    assert not readability.double_negative(sentence)


def test_no_japanese_text_gives_no_score():
    report = readability.report("")
    assert report.score is None and report.hardest == [] and not report.blocks_publishing


@pytest.mark.django_db
def test_the_panel_shows_the_level_and_the_hardest_sentences_in_the_editor(client, card, django_user_model):
    page = card("1-2-1")
    page.easy_summary = "県は データを 集めて、町を 安全に する ために たくさんの 仕事を します。"
    page.save_revision()
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "data-readability-level" in html and "読みやすさの確認" in html
    hardest = html.split("data-readability-hardest", 1)[1].split("</ol>", 1)[0]
    assert hardest.count("<li>") == 3
    flagged = html.split("data-readability-easy-problems", 1)[1].split("</ul>", 1)[0]
    assert "県は データを 集めて" in flagged


@pytest.mark.django_db
def test_the_check_never_blocks_publishing(client, consultation, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(admin)
    against_the_guideline = "この 計画に ついて いけんを 送れない わけでは ありませんが 期間が 決まって います。"
    data = nested_form_data(
        {
            "title": consultation.title,
            "slug": consultation.slug,
            "document": consultation.document_id or "",
            "opens_at": consultation.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": consultation.closes_at.strftime("%Y-%m-%d %H:%M"),
            "summary": rich_text(consultation.summary),
            "other_channels": rich_text(consultation.other_channels),
            "privacy_notice": rich_text(consultation.privacy_notice),
            "easy_summary": against_the_guideline,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "action-publish": "1",
        }
    )
    assert readability.easy_problems("easy", against_the_guideline)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consultation.refresh_from_db()
    assert consultation.easy_summary == against_the_guideline and consultation.live
