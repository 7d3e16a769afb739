"""Fixtures of the consultation tests: a handful of stored comments for the analysis."""

import pytest

from consultations.choices import CommentState, Publication
from consultations.models import Comment

LETTER = "紙の申請書による手続も必ず残してください。高齢者が取り残されないよう窓口での相談も続けてください。"


@pytest.fixture
def analysis_comments(consultation, card):
    def add(body: str, number: str | None = "3-1", part: str = "whole", **extra) -> Comment:
        page = card(number) if number else None
        return Comment.objects.create(
            consultation=consultation,
            target_page=page,
            target_part=part,
            body=body,
            publication=Publication.ANONYMOUS,
            **extra,
        )

    return [
        add(LETTER, client_key="a"),
        add("いつもお世話になっております。" + LETTER, client_key="b"),
        add(LETTER.replace("。", "！"), client_key="c"),
        add("電子申請のページが分かりにくいので、入口を一つにまとめてください。", client_key="d"),
        add("オンライン申請を24時間スマホからできるようにしてください。", client_key="e"),
        add("ドローンで山間部に薬を届ける実証実験を進めてください。", "2-4-2", "measure", client_key="f"),
        add("ドローンの騒音と落下事故が心配です。住民への説明会を開いてください。", "2-4-2", "measure"),
        add("空飛ぶクルマの実験を離島でも行ってください。", "2-4-2"),
        add("防災アプリを多言語にしてください。電話は059-224-3086です。", "1-1", "measure"),
        add("スパムです。", None, state=CommentState.SPAM),
    ]
