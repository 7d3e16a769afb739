"""CSV for spreadsheet users: UTF-8 with a BOM (so Excel reads Japanese), streamed one row at a time."""

import csv
import io
from collections.abc import Iterable, Iterator


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
