"""Readability of Japanese text, for editors (advice only: nothing here ever blocks saving or publishing).

Offline and deterministic: the morphological analyser (fugashi + UniDic-lite) cuts the words, jreadability
(Lee & Hasebe's formula over the same analyser) gives the level, and three plain measures explain it per
sentence: its length, its share of kanji, and its words outside the basic vocabulary (home/data/basic_words.txt,
see docs/EASY_JAPANESE.md). やさしい日本語 fields are also checked against the guideline's rules of thumb:
sentences of at most 30 characters and no double negatives.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import fugashi
from django.utils.translation import gettext_lazy as _
from jreadability import compute_readability

from home.summaries import plain_text

BASIC_WORDS_FILE = Path(__file__).resolve().parent / "data" / "basic_words.txt"
EASY_SENTENCE_LIMIT = 30
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
SPACE = re.compile(r"\s+")
# Words that carry meaning; particles, auxiliaries, symbols and numbers are left out of the vocabulary check.
CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "連体詞"}
SKIPPED_POS2 = {"固有名詞", "数詞", "非自立可能", "助数詞"}
# Negation followed by another negation: できないわけではない, なくもない, しなければならない, せざるを得ない …
DOUBLE_NEGATIVE = re.compile(
    r"(ない|なく)(わけ|こと|もの)?(で)?(は|も)(ない|なかっ|ありません)"
    r"|(なけれ|なく)(ば|ては|ちゃ)(なら|なり|いけ|だめ)"
    r"|ないと(いけ|だめ)"
    r"|ざるを(得|え)(ない|ません)"
    r"|ずには(いられ|おかな|すまな)"
    r"|ない(とは|とも)(限ら|言え|いえ)(ない|ません)"
)
# Lee & Hasebe's bands (jreadability's scale: higher is easier).
LEVELS = (
    (5.5, _("初級前半（とてもやさしい）")),
    (4.5, _("初級後半（やさしい）")),
    (3.5, _("中級前半（ふつう）")),
    (2.5, _("中級後半（やや難しい）")),
    (1.5, _("上級前半（難しい）")),
    (float("-inf"), _("上級後半（とても難しい）")),
)


@functools.cache
def basic_words() -> frozenset[str]:
    """The basic vocabulary: one word a line, in its dictionary form; '#' starts a comment."""
    lines = BASIC_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.split("#", 1)[0].strip()))


@functools.cache
def _tagger():
    return fugashi.Tagger()


def hiragana(text: str) -> str:
    return "".join(chr(ord(char) - 0x60) if "ァ" <= char <= "ヶ" else char for char in text)


def sentences(text: str) -> list[str]:
    """The sentences of a text: cut after 。！？ and at line breaks; spaces between words (分かち書き) kept."""
    return [found for match in SENTENCE.finditer(text) if (found := match.group(0).strip())]


def length(sentence: str) -> int:
    """Characters a reader reads: spaces between words do not count."""
    return len(SPACE.sub("", sentence))


def kanji_ratio(sentence: str) -> float:
    characters = SPACE.sub("", sentence)
    return len(KANJI.findall(characters)) / len(characters) if characters else 0.0


def rare_words(sentence: str) -> list[str]:
    """Content words outside the basic vocabulary, in the order they appear (each once)."""
    known = basic_words()
    found: list[str] = []
    for word in _tagger()(SPACE.sub("", sentence)):
        feature = word.feature
        if feature.pos1 not in CONTENT_POS or feature.pos2 in SKIPPED_POS2:
            continue
        base = feature.orthBase if feature.orthBase not in (None, "*") else word.surface
        kana = hiragana(feature.kanaBase) if feature.kanaBase not in (None, "*") else ""
        if base in known or kana in known or word.surface in known or base in found:
            continue
        if not KANJI.search(base) and kana and len(base) <= 2:  # short kana words (もの, こと) are grammar
            continue
        found.append(base)
    return found


def double_negative(sentence: str) -> bool:
    return bool(DOUBLE_NEGATIVE.search(SPACE.sub("", sentence)))


@dataclass
class Sentence:
    text: str
    length: int
    kanji_ratio: float
    rare_words: list[str]

    @property
    def difficulty(self) -> float:
        """Higher is harder: a 30-character sentence, a sentence of all kanji and two rare words weigh alike."""
        return self.length / EASY_SENTENCE_LIMIT + 2 * self.kanji_ratio + len(self.rare_words) / 2

    @property
    def kanji_percent(self) -> int:
        return round(self.kanji_ratio * 100)


def measure(sentence: str) -> Sentence:
    return Sentence(sentence, length(sentence), kanji_ratio(sentence), rare_words(sentence))


@dataclass
class EasyProblem:
    """A sentence of a やさしい日本語 field that breaks a rule of thumb."""

    field_label: str
    sentence: str
    reasons: list[str]


@dataclass
class Report:
    score: float | None  # jreadability's, None without Japanese text
    level: str
    sentence_count: int
    mean_length: float
    kanji_percent: int
    rare_percent: int
    hardest: list[Sentence]
    easy_problems: list[EasyProblem] = field(default_factory=list)

    @property
    def blocks_publishing(self) -> bool:
        return False  # advice only, whatever the text


def level(score: float) -> str:
    return str(next(label for lower, label in LEVELS if score >= lower))


def jreadability_score(text: str) -> float:
    return compute_readability(SPACE.sub("", text), _tagger())


def easy_problems(label: str, text: str) -> list[EasyProblem]:
    """The guideline's rules of thumb for やさしい日本語: short sentences, no double negatives."""
    problems = []
    for sentence in sentences(text):
        reasons = []
        if length(sentence) > EASY_SENTENCE_LIMIT:
            reasons.append(
                str(_("文が%(length)d文字あります（目安は%(limit)d文字まで）。"))
                % {"length": length(sentence), "limit": EASY_SENTENCE_LIMIT}
            )
        if double_negative(sentence):
            reasons.append(str(_("二重否定があります。「〜してください」「〜できます」のように言い切りましょう。")))
        if reasons:
            problems.append(EasyProblem(label, sentence, reasons))
    return problems


def report(text: str, easy_fields: list[tuple[str, str]] = (), hardest: int = 3) -> Report:
    """Scores `text` (the page's Japanese text) and checks each (label, text) of its やさしい日本語 fields."""
    text = plain_text(text)
    measured = [measure(sentence) for sentence in sentences(text) if KANJI.search(sentence) or length(sentence) > 1]
    problems = [problem for label, value in easy_fields for problem in easy_problems(label, plain_text(value))]
    if not measured:
        return Report(None, "", 0, 0.0, 0, 0, [], problems)
    characters = sum(sentence.length for sentence in measured)
    words = sum(len(_tagger()(SPACE.sub("", sentence.text))) for sentence in measured)
    rare = sum(len(sentence.rare_words) for sentence in measured)
    score = jreadability_score(text)
    return Report(
        score=round(score, 2),
        level=level(score),
        sentence_count=len(measured),
        mean_length=round(characters / len(measured), 1),
        kanji_percent=round(100 * sum(s.kanji_ratio * s.length for s in measured) / characters) if characters else 0,
        rare_percent=round(100 * rare / words) if words else 0,
        # Ties keep the text's order, so the same text always lists the same sentences.
        hardest=sorted(measured, key=lambda sentence: -sentence.difficulty)[:hardest],
        easy_problems=problems,
    )
