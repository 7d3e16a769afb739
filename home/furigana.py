"""ふりがな: Japanese pages served with <ruby> readings on their kanji, made on the server.

A reader turns it on with the header link, which adds `?ruby=1`; links and search forms on such a page carry it on,
so the choice is remembered without a cookie (and the page cache keeps the variant apart by its URL). Readings come
from the editors' glossary (ReadingGlossaryEntry: place names, the plan's terms) and, for every other word, from
the morphological analyser (fugashi + UniDic-lite). Only text in <body> is annotated: never the <title>, attributes,
URLs, scripts, styles, code, form fields or an existing <ruby>.
"""

import html
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from home import easy
from home.models import FURIGANA, ReadingGlossaryEntry
from mieplan_site import pagecache
from search.japanese import words

PARAMETER = "ruby"
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
LANG = re.compile(r'\slang="([^"]*)"')
TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
ENTITY = re.compile(r"(&#?\w+;)")
LINK = re.compile(r"<a\b[^>]*>", re.I)
HREF = re.compile(r'(\shref=")(/ja/[^"]*)(")')
TOGGLE = "data-furigana-toggle"
GET_FORM = re.compile(r'<form\b(?=[^>]*\bmethod="get")[^>]*>', re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose text is not prose to read, or cannot hold markup.
SKIPPED = {"head", "script", "style", "code", "pre", "textarea", "option", "ruby", "rt", "rp", "title", "svg"}


def other_language(tag: str) -> bool:
    """An element in another language (the language switcher's 简体中文): its kanji are not Japanese words."""
    found = LANG.search(tag)
    return bool(found) and not found.group(1).lower().startswith("ja")


def wants_ruby(request: HttpRequest) -> bool:
    if get_language() == easy.LANGUAGE:  # やさしい日本語 always carries ふりがな
        return True
    if f"{PARAMETER}=1" not in request.META.get("QUERY_STRING", "") or get_language() != "ja":
        return False
    try:
        return request.GET.get(PARAMETER) == "1"
    except SuspiciousOperation:  # a query string Django refuses (too many fields): the 400 page stays as it is
        return False


def hiragana(katakana: str) -> str:
    return "".join(chr(ord(char) - 0x60) if "ァ" <= char <= "ヶ" else char for char in katakana)


def ruby(written: str, reading: str) -> str:
    """<ruby> over the kanji of one word; kana it begins or ends with (進める → 進[すす]める) stay outside."""
    reading = hiragana(reading)
    head = 0
    while head < len(written) and head < len(reading) and written[head] == reading[head]:
        head += 1
    tail = 0
    while (
        tail < len(written) - head
        and tail < len(reading) - head
        and written[len(written) - 1 - tail] == reading[len(reading) - 1 - tail]
    ):
        tail += 1
    core = written[head : len(written) - tail]
    core_reading = reading[head : len(reading) - tail]
    if not core or not core_reading or not KANJI.search(core):
        return html.escape(written)
    return (
        html.escape(written[:head])
        + f"<ruby>{html.escape(core)}<rp>(</rp><rt>{html.escape(core_reading)}</rt><rp>)</rp></ruby>"
        + html.escape(written[len(written) - tail :])
    )


def annotate(text: str, glossary: dict[str, str]) -> str:
    """Plain text → HTML with ruby on its kanji: glossary terms first (longest first), the analyser for the rest."""
    if not KANJI.search(text):
        return html.escape(text)
    for term in sorted(glossary, key=len, reverse=True):
        if term in text:
            before, _term, after = text.partition(term)
            return annotate(before, glossary) + ruby(term, glossary[term]) + annotate(after, glossary)
    return "".join(ruby(written, reading) if reading else html.escape(written) for written, reading in words(text))


def annotate_html(document: str, glossary: dict[str, str]) -> str:
    """Ruby on the prose of an HTML document's <body>; everything else as it was, byte for byte."""
    out = []
    skipping: list[str] = []
    in_body = False
    for piece in TAG_OR_TEXT.split(document):
        if not piece:
            continue
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            if tag == "body":
                in_body = not piece.startswith("</")
            elif tag not in VOID and (tag in SKIPPED or other_language(piece) or (skipping and skipping[-1] == tag)):
                if piece.startswith("</"):
                    if skipping and skipping[-1] == tag:
                        skipping.pop()
                else:
                    skipping.append(tag)
            out.append(piece)
        elif in_body and not skipping and KANJI.search(piece):
            out.append(
                "".join(
                    part if ENTITY.fullmatch(part) else annotate(part, glossary) for part in ENTITY.split(piece) if part
                )
            )
        else:
            out.append(piece)
    return "".join(out)


def with_ruby(url: str, on: bool = True) -> str:
    """The URL with ?ruby=1 added (or removed), the rest of its query and fragment kept."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAMETER]
    if on:
        query.append((PARAMETER, "1"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def carry_choice(document: str) -> str:
    """Links into the Japanese pages and the search forms keep ふりがな on."""

    def carry(link: re.Match) -> str:
        tag = link.group(0)
        if TOGGLE in tag:  # the header's on/off link says itself where it goes
            return tag
        return HREF.sub(lambda m: m.group(1) + html.escape(with_ruby(html.unescape(m.group(2)))) + m.group(3), tag)

    document = LINK.sub(carry, document)
    hidden = f'<input type="hidden" name="{PARAMETER}" value="1">'
    return GET_FORM.sub(lambda m: m.group(0) + hidden, document)


def annotated_response(response: HttpResponse, glossary: Iterable[tuple[str, str]]) -> HttpResponse:
    charset = response.charset or "utf-8"
    document = response.content.decode(charset)
    document = annotate_html(document, dict(glossary))
    if not easy.active():  # under /ja-easy/ the prefix itself carries the choice
        document = carry_choice(document)
    response.content = document.encode(charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


class FuriganaMiddleware:
    """Serves a Japanese public page with ふりがな when it was asked for with ?ruby=1 (see the module's docstring)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            # やさしい日本語 also annotates its error pages and refused forms (400, 403, 404, 429)
            (response.status_code == 200 or (easy.active() and 400 <= response.status_code < 500))
            and wants_ruby(request)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(("/admin/", "/django-admin/"))
        ):
            response = annotated_response(response, ReadingGlossaryEntry.as_dict().items())
            pagecache.add_tags(request, {FURIGANA()})
        return response
