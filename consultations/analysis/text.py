"""Normalisation, sentences, language and content words of comment texts.

Japanese words come from MeCab with UniDic-lite (fugashi): the dictionary ships inside the package, so nothing is
downloaded and the same text always gives the same words.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n+")
# Opening and closing formulas of letters: they say nothing about the plan and vary between copies of one letter.
GREETING = re.compile(
    r"^(お世話になって|いつもお世話|こんにちは|こんばんは|はじめまして|初めまして|拝啓|敬具|以上|よろしくお願い"
    r"|宜しくお願い|失礼いたします|失礼します|私は.{0,20}(です|と申します|に住んでいます|在住))"
)
# Lemmas that carry no topic: the verbs and nouns every comment uses to ask or to think.
STOP_LEMMAS = frozenset(
    [
        "する",
        "ある",
        "いる",
        "なる",
        "思う",
        "考える",
        "言う",
        "出来る",
        "できる",
        "見る",
        "行う",
        "欲しい",
        "良い",
        "思える",
        "頂く",
        "いただく",
        "下さる",
        "願う",
        "感じる",
        "事",
        "こと",
        "物",
        "もの",
        "為",
        "ため",
        "所",
        "ところ",
        "時",
        "とき",
        "方",
        "よう",
        "様",
        "等",
        "など",
        "点",
        "中",
        "上",
        "下",
        "今",
        "今後",
        "さん",
        "皆",
        "皆さん",
        "私",
        "自分",
        "我々",
        "的",
        "性",
        "化",
        "件",
        "県",
        "三重",
        "三重県",
        "計画",
        "意見",
        "お願い",
        "必要",
        "是非",
        "ぜひ",
        "大変",
        "とても",
        "多い",
        "少ない",
        "無い",
        "ない",
        "くれる",
        "貰う",
        "もらう",
        "居る",
        "付く",
        "分かる",
        "来る",
        "行く",
        "持つ",
        "入る",
        "出る",
        "置く",
    ]
)
CONTENT_POS = {("名詞", "普通名詞"), ("名詞", "固有名詞"), ("動詞", "一般"), ("形容詞", "一般"), ("形状詞", "一般")}
KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]+")
LATIN_WORD = re.compile(r"[^\W\d_]{2,}")

# Function words of the site's other languages; a Latin-script comment is the language with most of them.
LATIN_STOPWORDS = {
    "en": set(
        [
            "the",
            "and",
            "is",
            "are",
            "to",
            "of",
            "for",
            "in",
            "this",
            "that",
            "please",
            "should",
            "we",
            "it",
            "not",
            "be",
            "with",
        ]
    ),
    "pt-br": set(
        [
            "não",
            "de",
            "que",
            "para",
            "os",
            "uma",
            "é",
            "com",
            "por",
            "mais",
            "das",
            "dos",
            "muito",
            "como",
            "está",
            "isso",
        ]
    ),
    "es": set(
        [
            "el",
            "la",
            "los",
            "las",
            "que",
            "por",
            "para",
            "una",
            "es",
            "con",
            "del",
            "muy",
            "pero",
            "más",
            "está",
            "como",
        ]
    ),
    "vi": set(["của", "và", "không", "là", "có", "được", "cho", "các", "những", "người", "với", "này", "một", "trong"]),
    "fil": set(["ang", "ng", "mga", "sa", "po", "na", "ay", "at", "ko", "ito", "namin", "para", "hindi", "lang"]),
}
VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def normalise(text: str) -> str:
    """NFKC (width), case-folded, katakana as hiragana: the form every comparison is made on."""
    return unicodedata.normalize("NFKC", text).casefold().translate(KATAKANA_TO_HIRAGANA)


def letters(text: str) -> str:
    """Only the letters and digits of a normalised text: punctuation, symbols and spaces dropped."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in {"L", "N"})


def sentences(text: str) -> list[str]:
    """Sentences of a raw text, trimmed, without empty ones."""
    return [part.strip() for part in SENTENCE_END.split(text) if part and part.strip()]


def is_greeting(sentence: str) -> bool:
    return bool(GREETING.match(unicodedata.normalize("NFKC", sentence).strip()))


def detect_language(text: str) -> str:
    """The comment's language from its script (kana, Hangul, Han) and, for Latin script, its function words."""
    kana = hangul = han = latin = 0
    for ch in text:
        code = ord(ch)
        if 0x3041 <= code <= 0x30FF or 0xFF66 <= code <= 0xFF9D:
            kana += 1
        elif 0xAC00 <= code <= 0xD7A3:
            hangul += 1
        elif 0x4E00 <= code <= 0x9FFF:
            han += 1
        elif ch.isalpha():
            latin += 1
    scripts = {"kana": kana, "hangul": hangul, "han": han, "latin": latin}
    top = max(scripts, key=lambda name: scripts[name])
    if scripts[top] == 0:
        return "und"
    if kana and (kana + han) * 2 >= kana + han + hangul + latin:
        return "ja"
    if top == "hangul":
        return "ko"
    if top == "han":
        return "ja" if kana else "zh-hans"
    folded = unicodedata.normalize("NFC", text).casefold()
    if sum(ch in VIETNAMESE_LETTERS for ch in folded) >= 3:
        return "vi"
    words = LATIN_WORD.findall(folded)
    scores = {language: sum(word in stop for word in words) for language, stop in LATIN_STOPWORDS.items()}
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] else "en"


@functools.cache
def tagger():
    import fugashi

    return fugashi.Tagger()


@dataclass(frozen=True)
class Words:
    """A text's content words (lemmas) and its compound nouns (key-phrase candidates), in text order."""

    lemmas: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return self.lemmas + self.phrases


def words(text: str, language: str = "ja") -> Words:
    """Content words of a text: Japanese through MeCab, other languages as their lower-cased words."""
    if language != "ja":
        found = tuple(
            word for word in LATIN_WORD.findall(normalise(text)) if word not in LATIN_STOPWORDS.get(language, ())
        )
        return Words(found, ())
    lemmas: list[str] = []
    phrases: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) > 1:
            phrases.append("".join(run))
        run.clear()

    katakana: list[str] = []  # loanwords MeCab splits (オン|ライン) are kept as the one word they are

    def close_katakana() -> None:
        if katakana:
            word = "".join(katakana)
            if len(word) > 1:
                lemmas.append(word)
            katakana.clear()

    for node in tagger()(unicodedata.normalize("NFKC", text)):
        feature = node.feature
        pos = (feature.pos1, feature.pos2)
        is_noun = (feature.pos1 == "名詞" and feature.pos2 != "数詞") or feature.pos1 == "接頭辞"
        if is_noun:
            run.append(node.surface)
        else:
            close_run()
        if is_noun and KATAKANA_WORD.fullmatch(node.surface):
            katakana.append(node.surface)
            continue
        close_katakana()
        if pos not in CONTENT_POS:
            continue
        lemma = (feature.lemma or node.surface).split("-")[0]
        if lemma in STOP_LEMMAS or (len(lemma) < 2 and not re.match(r"[\u4e00-\u9fff]", lemma)):
            continue
        lemmas.append(lemma)
    close_katakana()
    close_run()
    return Words(tuple(lemmas), tuple(phrase for phrase in phrases if phrase not in STOP_LEMMAS))
