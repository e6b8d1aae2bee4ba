"""One function serves a table as JSON or CSV (``?format=csv``), as datasette does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from fastapi.responses import JSONResponse, Response, StreamingResponse

from aicode.errors import InvalidInput
from aicode.export import csv_chunks

FORMATS = ("json", "csv")


class JSON(JSONResponse):
    """JSON via orjson: dates and date-times serialize as ISO 8601."""

    def render(self, content: object) -> bytes:
        """Encode the content."""
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def check_format(value: str) -> str:
    """The requested output format, or a 400 naming the field."""
    if value not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")
    return value


def table_response(
    fmt: str,
    rows: Sequence[dict[str, Any]],
    *,
    filename: str,
    envelope: dict[str, Any] | None = None,
    key: str = "items",
) -> Response:
    """Rows as JSON ``{**envelope, key: rows}`` or as a CSV download of the same rows."""
    if check_format(fmt) == "csv":
        header = list(rows[0]) if rows else []
        return stream_csv(header, [[r[h] for h in header] for r in rows], filename=filename)
    return JSON({**(envelope or {}), key: list(rows)})


def stream_csv(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]] | None = None,
    *,
    filename: str,
    pages: Iterable[Iterable[Sequence[Any]]] | None = None,
) -> StreamingResponse:
    """A streamed CSV attachment, from rows or from pages of rows."""
    source = pages if pages is not None else [rows or []]
    return StreamingResponse(
        csv_chunks(header, source),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
