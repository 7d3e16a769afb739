"""Personal data that residents type into their comments, found and masked before the text is shown to anyone
but the moderator reading the original (public pages, exports, open data, analysis, the admin's lists).

Offline and deterministic: regular expressions over a width-folded copy of the text for the structured kinds,
MeCab/UniDic-lite (fugashi, shipped with the package) and honorific or self-introduction patterns for names.
"""

import functools
import re
from dataclasses import dataclass

from django.utils import translation

from consultations.choices import MIE_MUNICIPALITIES

PHONE = "phone"
EMAIL = "email"
POSTAL = "postal"
ADDRESS = "address"
NAME = "name"
NUMBER = "number"

PLACEHOLDERS = {
    PHONE: "［電話番号］",
    EMAIL: "［メールアドレス］",
    POSTAL: "［郵便番号］",
    ADDRESS: "［住所］",
    NAME: "［氏名］",
    NUMBER: "［番号］",
}
# When two findings overlap, the more certain kind keeps the text (an address's town may look like a name).
PRIORITY = [EMAIL, PHONE, POSTAL, NUMBER, ADDRESS, NAME]


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str


# --- Folding: one character for one, so a match in the folded text is the same span in the original. ---

DASHES = "‐‑‒–—―−－﹣⁃"
FOLD_TABLE = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},  # full-width ASCII
    **{ord(dash): "-" for dash in DASHES},
    0x3000: " ",
}
# Typed as a dash between digits ("090ー1111ー2222"), a long vowel anywhere else.
LONG_VOWEL_DASH_RE = re.compile("(?<=[0-9])[ーｰ]")


def fold(text: str) -> str:
    return LONG_VOWEL_DASH_RE.sub("-", text.translate(FOLD_TABLE))


# --- Structured kinds ---

EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\s?(?:@|\[at\]|\(at\)|アットマーク)\s?"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# A run of digit groups that may be a phone number: +81 or a leading 0 or "(", groups split by one separator.
PHONE_RUN_RE = re.compile(r"(?<![0-9A-Za-z.])(?:\+81[ -]?(?:\(0\))?[ -]?|\()?[0-9]+(?:(?:\) ?|[ .-]\(?|\()[0-9]+)*")
PHONE_WORDS_RE = re.compile(r"(?:電話|TEL|Tel|tel|携帯|FAX|Fax|fax|ファックス|ファクス|℡|☎|連絡先)[^0-9\n]{0,6}$")
MOBILE_PREFIXES = ("020", "050", "060", "070", "080", "090", "0800")
POSTAL_RE = re.compile(
    r"(?:〒|郵便番号)[ :：]*[0-9]{3}-?[0-9]{4}(?![0-9])|(?<![0-9-])[0-9]{3}-[0-9]{4}(?![0-9]|-[0-9])"
)
NUMBER_RE = re.compile(r"(?<![0-9-])[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9]|-[0-9])")


def _phone_digits_valid(digits: str, keyword_before: bool) -> bool:
    if digits.startswith("0") and not digits.startswith("00"):
        if len(digits) == 10:
            return True
        if len(digits) == 11:
            return digits.startswith(MOBILE_PREFIXES)
    # A local number without its area code ("TEL 224-2000") only where the text says it is a phone.
    return keyword_before and 6 <= len(digits) <= 8


def _national(digits: str, international: bool) -> str:
    """+81 59 224 2000 and +81 (0)59 … as the national number 0592242000."""
    if not international:
        return digits
    rest = digits[2:]
    return rest if rest.startswith("0") else "0" + rest


def _phone_spans(folded: str) -> list[Span]:
    spans = []
    for match in PHONE_RUN_RE.finditer(folded):
        run = match.group(0)
        international = run.startswith("+81")
        keyword_before = bool(PHONE_WORDS_RE.search(folded[max(0, match.start() - 12) : match.start()]))
        digits = ""
        longest = 0  # the longest prefix of whole digit groups that is a valid number
        for position, ch in enumerate(run):
            if not ch.isdigit():
                continue
            digits += ch
            group_ends = position + 1 == len(run) or not run[position + 1].isdigit()
            if group_ends and _phone_digits_valid(_national(digits, international), keyword_before):
                longest = position + 1
        if longest:
            start, end = match.start(), match.start() + longest
            if run.startswith("(") and ")" not in run[:longest]:
                start += 1  # an opening bracket of the sentence, not of an area code
            spans.append(Span(start, end, PHONE))
    return spans


# --- Street addresses ---

HAN = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff"
KATA = "\u30a1-\u30fa\u30fc\u30f6"
# Kanji numerals count only before 丁目/番/号: 三の丸 is a town name, 三丁目 a block.
NUM = "(?:[0-9]+|[一二三四五六七八九十〇]+(?=丁目|番|号))"


def _mie_names() -> list[str]:
    with translation.override(None):  # the Japanese msgids, whatever language is active
        return sorted((str(label) for _code, label in MIE_MUNICIPALITIES), key=len, reverse=True)


PREFECTURE = rf"(?:東京都|北海道|(?:京都|大阪)府|[{HAN}]{{2,3}}県)"
MUNICIPALITY = rf"(?:[{HAN}]{{1,4}}郡)?(?:{'|'.join(_mie_names())}|[{HAN}]{{1,5}}[市区町村])"
TOWN = rf"[{HAN}{KATA}ヶがの之]{{0,12}}?"
BLOCK_SUFFIX = "丁目|番地の?|番町|番|号|-|の"
BLOCK = rf"{NUM}(?:(?:{BLOCK_SUFFIX}){NUM})*(?:丁目|番地|番|号)?"
BUILDING = (
    rf"(?: ?[{HAN}{KATA}A-Za-z]{{0,15}}(?:マンション|ハイツ|コーポ|アパート|荘|ビル|レジデンス|団地|棟)"
    rf" ?[0-9]{{1,4}}(?:号室|号)?| ?[0-9]{{1,4}}号室)?"
)
NOT_A_COUNT = "(?![0-9年月日件人回歳時分割%％]|-[0-9])"
ADDRESS_RE = re.compile(
    rf"(?P<place>{PREFECTURE}?{MUNICIPALITY})(?P<town>{TOWN})(?P<block>{BLOCK}){BUILDING}{NOT_A_COUNT}"
)
# A town and its 丁目 or 番地 without the municipality ("栄町三丁目12番").
TOWN_ADDRESS_RE = re.compile(rf"[{HAN}{KATA}ヶ]{{1,8}}{NUM}(?:丁目|番地){NUM}?(?:(?:番|号|-){NUM})*(?:番|号)?")
STRONG_BLOCK_RE = re.compile("丁目|番地|番|号")


def _address_spans(folded: str) -> list[Span]:
    spans = []
    position = 0
    while match := ADDRESS_RE.search(folded, position):
        # "四日市市の2-4-2" is a plan card number after a city, not an address: a bare hyphenated number
        # counts only after a town name. A refused match is tried again one character later.
        if not match.group("town").strip("の") and not STRONG_BLOCK_RE.search(match.group("block")):
            position = match.start() + 1
            continue
        spans.append(Span(match.start(), match.end(), ADDRESS))
        position = match.end()
    spans += [Span(m.start(), m.end(), ADDRESS) for m in TOWN_ADDRESS_RE.finditer(folded)]
    return spans


# --- Personal names ---

HONORIFICS = {"様", "さま", "さん", "氏", "君", "くん", "殿", "ちゃん"}
# Common endings of Japanese given names: with a name context ("私、…は", "…さん") they tell a name from a word.
GIVEN_NAME_ENDINGS = set(
    "郎子美夫雄男太介助也彦代江恵奈香樹輔司志史吾朗実枝菜乃世佳里花希斗翔紀衛蔵造治次典弘浩博隆修茂勇亮"
)
NOT_NAMES = {"息子", "様子", "調子", "皆", "お客", "電子", "原子", "分子", "因子", "帽子", "椅子", "菓子", "障子"}
NAME_CHARS = rf"[{HAN}{KATA}]{{1,5}}(?:[ 　][{HAN}{KATA}ぁ-ゖ]{{1,5}})?"
SELF_INTRODUCTION_RE = re.compile(
    rf"私[、,]\s*(?P<a>{NAME_CHARS})\s*(?:は|が|です|と申します)"
    rf"|(?P<b>{NAME_CHARS})\s*(?:と申します|といいます|と言います)"
)
NAME_FIELD_RE = re.compile(
    rf"(?:氏名|名前|お名前|提出者|署名)\s*[:：は]\s*(?P<c>{NAME_CHARS})"
    r"|\b(?:[Mm]y name is|I am|I'm|Meu nome é|Me llamo|Mi nombre es|Tôi tên là|Ako si)\s+"
    r"(?P<d>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)"
    r"|\b(?:Mr|Mrs|Ms|Miss|Dr|Sr|Sra)\.?\s(?P<e>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)"
)
KATAKANA_NAME_RE = re.compile(rf"[{KATA}]+(?:・[{KATA}]+)*")
JAPANESE_RE = re.compile(rf"[{HAN}{KATA}ぁ-ゖ]")


@dataclass(frozen=True)
class Token:
    surface: str
    start: int
    end: int
    person: bool  # UniDic: 固有名詞,人名
    japanese_name: bool  # 人名 and 姓 or 名 (UniDic's 人名,一般 also tags words like スマート)
    proper: bool  # any 固有名詞
    noun: bool


@functools.cache
def _tagger():
    import fugashi

    return fugashi.Tagger()


def tokens(text: str) -> list[Token]:
    found = []
    position = 0
    for word in _tagger()(text):
        start = text.find(word.surface, position)
        if start < 0:  # the analyser changed the surface (never seen with UniDic-lite): skip the word
            continue
        position = start + len(word.surface)
        # The raw feature string: parsing it into fugashi's named tuple costs more than the analysis.
        pos1, pos2, pos3, pos4 = (word.feature_raw.split(",", 4) + ["*"] * 4)[:4]
        found.append(
            Token(
                word.surface,
                start,
                position,
                person=pos3 == "人名",
                japanese_name=pos3 == "人名" and pos4 in {"姓", "名"},
                proper=pos2 == "固有名詞",
                noun=pos1 == "名詞",
            )
        )
    return found


def _looks_like_a_name(text: str, start: int, end: int, words: list[Token]) -> bool:
    candidate = text[start:end].strip()
    if not candidate or candidate in NOT_NAMES:
        return False
    inside = [w for w in words if w.start < end and w.end > start]
    return any(w.person for w in inside) or candidate[-1] in GIVEN_NAME_ENDINGS


def _name_spans(text: str) -> list[Span]:
    spans = []
    for match in NAME_FIELD_RE.finditer(text):
        group = next(g for g in "cde" if match.group(g))
        spans.append(Span(match.start(group), match.end(group), NAME))
    if not JAPANESE_RE.search(text):
        return spans
    words = tokens(text)
    # Runs of words UniDic tags as personal names (姓, 名), a space between surname and given name allowed;
    # a given name takes the proper noun before it as its surname ("三重" in 三重花子). Foreign names
    # (人名,一般) count when two are joined ("ジョン・スミス"); alone they are too often ordinary loanwords.
    run: list[Token] = []
    for word in [*words, None]:
        if word is not None and word.surface == "・" and run:
            continue
        if word is not None and word.person and (not run or text[run[-1].end : word.start].strip(" 　・") == ""):
            run.append(word)
            continue
        if run and (len(run) > 1 or run[0].japanese_name):
            spans.append(_with_surname(text, words, run))
        run = [word] if word is not None and word.person else []
    # Honorifics: the one or two nouns before 様, さん, 氏 …
    for index, word in enumerate(words):
        if word.surface not in HONORIFICS or index == 0:
            continue
        before = [w for w in words[max(0, index - 2) : index] if w.noun and JAPANESE_RE.match(w.surface)]
        while before and before[-1].end != word.start and len(before) > 1:
            before = before[1:]
        if not before or before[-1].end != word.start:
            continue
        start = before[0].start
        if text[start - 1 : start] in {"お", "ご"}:  # お客さん, ご主人様
            continue
        if _looks_like_a_name(text, start, word.start, words) or any(w.proper for w in before):
            spans.append(_whole_katakana_name(text, Span(start, word.start, NAME)))
    for match in SELF_INTRODUCTION_RE.finditer(text):
        group = "a" if match.group("a") else "b"
        if _looks_like_a_name(text, match.start(group), match.end(group), words):
            spans.append(Span(match.start(group), match.end(group), NAME))
    return spans


def _with_surname(text: str, words: list[Token], run: list[Token]) -> Span:
    start = run[0].start
    index = words.index(run[0])
    if index > 0:
        previous = words[index - 1]
        if previous.proper and not previous.person and previous.end == start:
            start = previous.start
    return _whole_katakana_name(text, Span(start, run[-1].end, NAME))


def _whole_katakana_name(text: str, span: Span) -> Span:
    """A katakana name is taken whole with its ・-joined parts ("グエン・ヴァン・アン")."""
    start, end = span.start, span.end
    for match in KATAKANA_NAME_RE.finditer(text, max(0, start - 30), min(len(text), end + 30)):
        if match.start() <= start < match.end() or match.start() < end <= match.end():
            start, end = min(start, match.start()), max(end, match.end())
    return Span(start, end, NAME)


# --- Putting it together ---


def find_personal_data(text: str) -> list[Span]:
    """Non-overlapping spans of personal data in `text`, in text order."""
    if not text:
        return []
    folded = fold(text)
    found = {
        EMAIL: [Span(m.start(), m.end(), EMAIL) for m in EMAIL_RE.finditer(folded)],
        PHONE: _phone_spans(folded),
        POSTAL: [Span(m.start(), m.end(), POSTAL) for m in POSTAL_RE.finditer(folded)],
        NUMBER: [Span(m.start(), m.end(), NUMBER) for m in NUMBER_RE.finditer(folded)],
        ADDRESS: _address_spans(folded),
        NAME: _name_spans(text),
    }
    taken = [False] * len(text)
    chosen = []
    for kind in PRIORITY:
        for span in sorted(found[kind], key=lambda s: (s.start, -s.end)):
            if span.end > span.start and not any(taken[span.start : span.end]):
                taken[span.start : span.end] = [True] * (span.end - span.start)
                chosen.append(span)
    return sorted(chosen)


@functools.lru_cache(maxsize=4096)
def mask_personal_data(text: str) -> str:
    """The text with each piece of personal data replaced by its placeholder (［電話番号］, ［住所］ …)."""
    pieces = []
    position = 0
    for span in find_personal_data(text):
        pieces += [text[position : span.start], PLACEHOLDERS[span.kind]]
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def personal_data_kinds(text: str) -> list[str]:
    """The kinds found in `text`, in PRIORITY order (for moderators' warnings)."""
    kinds = {span.kind for span in find_personal_data(text)}
    return [kind for kind in PRIORITY if kind in kinds]
