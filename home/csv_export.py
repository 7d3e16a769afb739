"""CSV for spreadsheet users: UTF-8 with a BOM (so Excel reads Japanese), streamed one row at a time."""

import csv
import io
from collections.abc import Iterable, Iterator

# A cell starting with one of these is a formula to Excel and LibreOffice (Japanese Excel also reads the
# full-width forms): `=HYPERLINK("http://…","…")` in a comment would become a live link in a moderator's sheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(value: str) -> str:
    """The value as a cell a spreadsheet shows as text: a leading apostrophe before anything formula-like."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff"
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
