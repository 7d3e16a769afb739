"""やさしい日本語 (/ja-easy/): reachable from the language switcher, the easy summary first, ふりがな always on,
the comment form, its errors, the receipt, the status page and the error pages in easy Japanese, and a page-cache
variant of its own purged with the page."""

import re
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from consultations.models import Comment
from home import easy
from home.templatetags.html_time import easy_datetime
from plan.easy_texts import shipped_texts
from tests.conftest import form_token
from tests.home.test_page_cache import CARD_PATH, commit, fetch  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

READING = re.compile(r"<rp>\(</rp><rt>[^<]*</rt><rp>\)</rp>|</?ruby>")
EASY_SUMMARY = "県は データを 集めます。\nみんなが 安心して 暮らせる ように します。"


def text_of(html: str) -> str:
    """The page's text as a reader sees it, without the readings."""
    return READING.sub("", html)


@pytest.fixture
def easy_card(card):
    page = card("1-2-1")
    page.easy_summary = EASY_SUMMARY
    page.save_revision().publish()
    return page


def test_the_switcher_offers_easy_japanese_as_its_own_choice_and_not_as_an_alternate(client, easy_card):
    html = client.get(easy_card.url).content.decode()
    easy_url = easy.easy_url(easy_card.url)
    assert easy_url.startswith("/ja-easy/plan/")
    assert f'<a href="{easy_url}" hreflang="ja" lang="ja">やさしい日本語</a>' in html
    assert 'hreflang="ja-easy"' not in html and "/ja-easy/" not in html.split("</head>")[0]


def test_the_easy_card_shows_the_easy_summary_first_with_ruby_in_japanese(client, easy_card):
    plain_url = easy_card.url  # read before the request: the page builds its URL in the active language
    response = client.get(easy.easy_url(plain_url))
    assert response.status_code == 200
    html = response.content.decode()
    body = html.split("<body", 1)[1]
    assert '<html lang="ja">' in html
    assert "<ruby>" in body and "<ruby>" not in html.split("<body", 1)[0]
    readable = text_of(body)
    assert "<p>県は データを 集めます。</p>" in readable
    assert readable.index('id="easy-summary-heading"') < readable.index('id="goal-heading"')
    # The switcher: 日本語 leads back to the plain page, やさしい日本語 is the current choice.
    assert f'<a href="{plain_url}" hreflang="ja" lang="ja">日本語</a>' in readable
    assert '<span aria-current="true" lang="ja">やさしい日本語</span>' in readable
    # Links stay in やさしい日本語 without any query parameter, and there is no ふりがな toggle (always on).
    assert re.search(r'href="/ja-easy/plan/[^"?]*"', body)
    assert "data-furigana-toggle" not in html and "ruby=1" not in html


def test_the_plain_japanese_card_does_not_show_the_easy_summary(client, easy_card):
    html = client.get(easy_card.url).content.decode()
    assert "県は データを 集めます。" not in html and "<ruby>" not in html


def test_a_card_without_an_easy_summary_says_so(client, card):
    html = text_of(client.get(easy.easy_url(card("1-2-2").url)).content.decode())
    assert "この ページの やさしい 日本語は まだ ありません。" in html


def test_the_consultation_page_shows_its_easy_summary(client, consultation):
    consultation.easy_summary = "あなたの いけんを ください。"
    consultation.save_revision().publish()
    plain_url = consultation.url
    html = text_of(client.get(easy.easy_url(plain_url)).content.decode())
    assert "<p>あなたの いけんを ください。</p>" in html
    assert "あなたの いけんを ください。" not in client.get(plain_url).content.decode()


def test_the_comment_form_and_its_errors_are_in_easy_japanese(client, consultation, comment_data):
    form_url = easy.easy_url(consultation.url) + "comment/"
    html = text_of(client.get(form_url).content.decode())
    assert "これで 送る" in html and "あなたの こと（書かなくても いいです）" in html
    assert f'action="/ja-easy/comments/{consultation.pk}/"' in html

    refused = client.post(form_url, comment_data(body="", consent=None, email="not-an-address"))
    assert refused.status_code == 400
    errors = text_of(refused.content.decode())
    assert "<ruby>" in refused.content.decode()
    assert "書いた ことを 見て ください" in errors  # the error summary's heading
    assert "いけんを 書いて ください。" in errors
    assert "送る 前に、名前などの あつかいを 読んで ください。" in errors
    assert "メールアドレスが まちがって います。" in errors
    assert "ご意見を入力してください" not in errors


def test_the_receipt_and_the_status_page_are_in_easy_japanese_with_dates_written_out(
    client, consultation, comment_data
):
    posted = client.post(easy.easy_url(consultation.url) + "comment/", comment_data(), REMOTE_ADDR="192.0.2.50")
    assert posted.status_code == 302 and posted["Location"].startswith("/ja-easy/consultation/thanks/")
    receipt = client.get(posted["Location"])
    html = text_of(receipt.content.decode())
    assert "<ruby>" in receipt.content.decode()
    assert "いけんを 受け付けました" in html and "番号と コードは あとで 使います。" in html
    comment = Comment.objects.get()
    assert comment.language == "ja-easy"  # its mails are written in やさしい日本語 too

    status_url = easy.easy_url(consultation.url) + "status/"
    wrong = text_of(client.post(status_url, {"receipt_number": "X", "email_or_secret": "y"}).content.decode())
    assert "見つかりません。番号と メールアドレスか コードを 見て ください。" in wrong
    found = text_of(
        client.post(
            status_url, {"receipt_number": comment.receipt_number, "email_or_secret": "taro@example.jp"}
        ).content.decode()
    )
    submitted = timezone.localtime(comment.submitted_at)
    assert f"{submitted.year}年{submitted.month}月{submitted.day}日" in found
    assert re.search(r"[月火水木金土日]曜日 午[前後]\d+時", found) and "日本の 時間" in found


def test_error_pages_are_in_easy_japanese(client):
    response = client.get("/ja-easy/no-such-page/")
    assert response.status_code == 404
    html = text_of(response.content.decode())
    assert "ページが ありません" in html and "<ruby>" in response.content.decode()


def test_dates_are_written_out_with_the_weekday_and_no_clock_notation():
    assert easy_datetime(datetime(2026, 12, 4, 14, 19)) == "2026年12月4日 金曜日 午後2時19分（日本時間）"
    with translation.override("ja-easy"):
        assert easy_datetime(datetime(2026, 12, 5, 9, 0)) == "2026年12月5日 土曜日 午前9時（日本の 時間）"


def test_the_easy_variant_is_cached_apart_and_purged_with_the_page(fetch, commit, easy_card):  # noqa: F811
    easy_path = easy.easy_url(CARD_PATH)
    first = fetch(easy_path)
    assert first.status_code == 200 and "県は データを 集めます。" in text_of(first.text)
    again = fetch(easy_path)
    assert again.cache == "hit" and again.text == first.text
    plain = fetch(CARD_PATH)
    assert "県は データを 集めます。" not in plain.text and "<ruby>" not in plain.text
    assert fetch(CARD_PATH).cache == "hit" and "<ruby>" not in fetch(CARD_PATH).text

    with commit():
        easy_card.easy_summary = "新しい まとめです。"
        easy_card.save_revision().publish()
    changed = fetch(easy_path)
    assert changed.cache != "hit" and "新しい まとめです。" in text_of(changed.text)


def test_the_shipped_easy_texts_load_once_and_follow_the_guideline(card, consultation):
    call_command("load_easy_japanese", verbosity=0)
    texts = shipped_texts()
    assert len(texts["cards"]) >= 5
    for number, text in texts["cards"].items():
        assert card(number).easy_summary == text.strip()
    consultation.refresh_from_db()
    assert consultation.easy_summary == texts["consultation"].strip()
    revisions = card("1-1").revisions.count()
    call_command("load_easy_japanese", verbosity=0)
    assert card("1-1").revisions.count() == revisions  # nothing changed, nothing published

    from home.readability import easy_problems

    for text in [*texts["cards"].values(), texts["consultation"]]:
        assert easy_problems("easy", text) == []


def test_a_form_token_is_still_required_in_easy_japanese(client, consultation, comment_data):
    refused = client.post(easy.easy_url(consultation.url) + "comment/", comment_data(form_token=form_token(0)))
    assert refused.status_code == 400
    assert "送るのが 早すぎます。" in text_of(refused.content.decode())
