"""Japanese text for full-text search: one normalisation and one segmentation, at index and at query time.

Both PostgreSQL's parser and SQLite's FTS5 tokenizer treat a run of Japanese characters as one token, so a
word inside a sentence is never found. We turn text into space-separated tokens the engines can match:

- normalise: NFKC (half-width ｶﾅ and full-width ＡＩ become the usual forms), case-folded, katakana as hiragana
  (so てれわーく finds テレワーク);
- segment: runs of Japanese characters become overlapping character bigrams (防災対策 → 防災 災対 対策), a lone
  character stays a unigram; Latin letters and digits stay whole words. A query word is matched as a phrase of
  its tokens (consecutive in the index), i.e. as a substring, so ようしょく does not match よう…しょく;
- readings (SEARCH_JA_READINGS, on by default): the indexed text also carries its reading in hiragana from the
  morphological analyser MeCab with UniDic-lite (fugashi), so ぼうさい finds 防災 and ふとうこう finds 不登校.
  The dictionary ships inside the unidic-lite package; nothing is downloaded at run time.
"""

import functools
import re
import unicodedata

from django.conf import settings

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Hiragana, katakana (after folding: hiragana), the prolonged sound mark, CJK ideographs and the iteration mark.
JAPANESE = r"\u3041-\u3096\u309d\u309e\u30fc\u3005\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
# A run of Japanese/Chinese characters, or a word of any other script (Latin with accents, Hangul, digits).
RUN = re.compile(rf"[{JAPANESE}]+|(?:(?![{JAPANESE}])[^\W_])+")
# Other locales search their own pages with their language's rules: Snowball stems where one exists.
STEMMERS = {"en": "english", "pt-br": "portuguese", "es": "spanish"}


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(KATAKANA_TO_HIRAGANA)


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@functools.cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMERS[language])


def tokens(text: str, language: str | None = None) -> list[str]:
    """Search tokens of a text that is already normalised; words stemmed by `language`'s rules."""
    stem = _stemmer(language).stemWord if language in STEMMERS else None
    out: list[str] = []
    for match in RUN.finditer(text):
        run = match.group(0)
        if re.match(rf"[{JAPANESE}]", run):
            out.extend(bigrams(run))
        else:
            out.append(stem(run) if stem else run)
    return out


@functools.cache
def _tagger():
    try:
        import fugashi
    except ImportError:  # the analyser is optional: bigrams of the written form still work
        return None
    return fugashi.Tagger()


def words(text: str) -> list[tuple[str, str]]:
    """The text as the analyser cuts it, every character kept (spaces between words too): (written form,
    reading in katakana, or '' for spaces and words without one)."""
    tagger = _tagger()
    if tagger is None:
        return [(text, "")]
    found = []
    position = 0
    for word in tagger(text):
        start = text.find(word.surface, position)
        if start < 0:  # the analyser normalised something: keep the rest as it was written
            break
        if start > position:
            found.append((text[position:start], ""))
        kana = getattr(word.feature, "kana", None)
        found.append((word.surface, kana if kana and kana != "*" else ""))
        position = start + len(word.surface)
    if position < len(text):
        found.append((text[position:], ""))
    return found


def reading(text: str) -> str:
    """The text's reading in hiragana, or '' when readings are off or the analyser is missing."""
    if not getattr(settings, "SEARCH_JA_READINGS", True):
        return ""
    tagger = _tagger()
    if tagger is None:
        return ""
    parts = []
    for word in tagger(text):
        kana = getattr(word.feature, "kana", None)
        parts.append(kana if kana and kana != "*" else word.surface)
    return normalise("".join(parts))


def index_text(text: str, language: str | None = None) -> str:
    """What goes into the index for a field's text: tokens of the written form, then of its reading."""
    if not text:
        return ""
    # Written form, then the whole reading (Japanese pages only): each is one unbroken token sequence, so a
    # query can match either as a phrase (consecutive tokens), which is a substring match of the normalised text.
    written = tokens(normalise(text), language)
    spoken = tokens(reading(text)) if language in (None, "ja") else []
    return " ".join(written + spoken)


def query_words(query: str, language: str | None = None) -> list[list[str]]:
    """The query's words (split at spaces), each as its token sequence; empty words dropped."""
    return [word_tokens for word in normalise(query).split() if (word_tokens := tokens(word, language))]
