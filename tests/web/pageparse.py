"""Reading dashboard HTML in HTTP-level tests: tables by their key, headline numbers."""

from __future__ import annotations

import html.parser
from typing import Any


class _Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[Any]]] = {}
        self.kpis: dict[str, dict[str, str]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._head = False
        self._kpi: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-table" in found:
            self._table = found["data-table"]
            self.tables[self._table or ""] = {"head": [], "rows": []}
        if self._table is not None:
            if tag == "thead":
                self._head = True
            elif tag == "tr":
                self._row = []
            elif tag in ("td", "th"):
                self._cell = []
        if "data-kpi" in found:
            self._kpi = found["data-kpi"]
            self.kpis[self._kpi or ""] = {}
        if self._kpi is not None and "data-value" in found:
            self.kpis[self._kpi]["value"] = found["data-value"] or ""
        if self._kpi is not None and "data-previous" in found:
            self.kpis[self._kpi]["previous"] = found["data-previous"] or ""

    def handle_endtag(self, tag: str) -> None:
        if self._table is None:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table]["head" if self._head else "rows"].append(self._row)
            self._row = None
        elif tag == "thead":
            self._head = False
        elif tag == "section":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read(page: str) -> _Reader:
    """Parse a dashboard page."""
    reader = _Reader()
    reader.feed(page)
    return reader


def table(page: str, key: str) -> list[list[str]]:
    """The heading row and body rows of a table, as the page shows them."""
    found = read(page).tables[key]
    return [found["head"][0], *found["rows"]]


def kpis(page: str) -> dict[str, dict[str, str]]:
    """Headline numbers by key: value and previous value, as written in data attributes."""
    return read(page).kpis
