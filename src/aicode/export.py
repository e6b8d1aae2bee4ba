"""CSV output shared by every surface: streamed, properly quoted, formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ is quoted."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header then each row as CSV text, one chunk per call, cells made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(v) for v in row])
        yield buffer.getvalue()


def csv_chunks(header: Sequence[str], pages: Iterable[Iterable[Sequence[Any]]]) -> Iterator[bytes]:
    """CSV bytes, one chunk per page of rows: the header first, then each page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    yield buffer.getvalue().encode()
    for page in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([safe_cell(v) for v in row] for row in page)
        yield buffer.getvalue().encode()
