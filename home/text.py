"""Text typed by residents (comments, search words): characters no person types and the site will not keep."""

import unicodedata

# Line breaks and tabs come from ordinary typing and pasting; every other control character does not.
ALLOWED_CONTROLS = frozenset("\n\r\t")
# Django decodes bytes that are not UTF-8 as U+FFFD: its presence means the browser (or a script) sent
# something broken, and the resident would not recognise what was stored.
REPLACEMENT_CHARACTER = "\ufffd"


def has_control_characters(value: str) -> bool:
    """Control, surrogate, private-use or unassigned characters, other than line breaks and tabs."""
    return any(
        char not in ALLOWED_CONTROLS and unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} for char in value
    )


def has_undecodable_bytes(value: str) -> bool:
    return REPLACEMENT_CHARACTER in value


def is_unusable(value: str) -> bool:
    return has_control_characters(value) or has_undecodable_bytes(value)
