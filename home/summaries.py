"""Plain text cut from page fields: meta descriptions and other summaries."""

import re

from django.utils.html import strip_tags

# A sentence ends at a full stop, or at a Latin full stop that a space or the end follows (not in 76.4万).
SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s|$)")
DESCRIPTION_LIMIT = 120


def plain_text(*parts: object) -> str:
    """Markup stripped, white space folded, empty parts dropped."""
    texts = (" ".join(strip_tags(str(part)).split()) for part in parts if part)
    return " ".join(text for text in texts if text)


def shorten_at_sentence(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """At most `limit` characters, cut after the last whole sentence that fits (an ellipsis if none does)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [match.end() for match in SENTENCE_END.finditer(text, 0, limit)]
    if ends:
        return text[: ends[-1]]
    return text[: limit - 1].rstrip() + "…"


def stream_text(stream, limit: int = 3) -> str:
    """The text of a StreamField's first `limit` blocks that carry text (items, paragraphs, goal paragraphs)."""
    texts = []
    for block in stream:
        value = block.value
        if hasattr(value, "source"):  # rich text
            text = value.source
        elif isinstance(value, str):
            text = value
        elif hasattr(value, "get"):  # a struct block: its body text
            text = value.get("text") or ""
        else:
            continue
        if text := plain_text(text):
            texts.append(text)
        if len(texts) == limit:
            break
    return " ".join(texts)
