"""Ids from URLs, query strings and forms: only a number the database can hold reaches a query.

A primary key is a signed 64-bit integer on both databases; a larger one raises OverflowError (SQLite) or
DataError (PostgreSQL) inside the query, a 500. Such ids are simply not found: 404 for a URL, "not found" for
a form or filter.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_id(value: str) -> int | None:
    """A positive id in ASCII digits ("²".isdigit() is true, int() refuses it), else None."""
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """The `<id:…>` path converter: a URL with an id out of range does not match (404). Registered when this
    module is imported: routable pages compile their routes as their class is defined."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


CONVERTER = "id"
register_converter(IdConverter, CONVERTER)
