"""What a dashboard page is made of: headline numbers, charts and tables.

Views build these from metric results; templates render them; a table's CSV download is
written from the very rows the page shows, so the two cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal

from fastapi.responses import StreamingResponse

from aicode.api.render import stream_csv
from aicode.errors import InvalidInput

CellKind = Literal["text", "int", "percent", "code", "datetime"]


def display(value: Any, kind: CellKind) -> str:
    """A cell as the page shows it: grouped thousands, two-decimal percentages."""
    if value is None:
        return ""
    if kind == "int":
        return f"{int(value):,}"
    if kind == "percent":
        return f"{float(value):,.2f}"
    return str(value)


def csv_value(value: Any, kind: CellKind) -> Any:
    """A cell as the CSV carries it: the shown value without thousands separators."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{float(value):.2f}"
    return value


@dataclasses.dataclass(frozen=True)
class Column:
    """A table column: its heading and how its cells are shown."""

    label: str
    kind: CellKind = "int"


@dataclasses.dataclass
class Row:
    """Cell values (raw numbers and text), links by column index, depth in a tree."""

    cells: list[Any]
    links: dict[int, str] = dataclasses.field(default_factory=dict)
    depth: int = 0


@dataclasses.dataclass
class Table:
    """A table with a CSV download of exactly its rows."""

    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""
    empty: str = "Nothing to show for these filters."

    def csv(self, filename: str) -> StreamingResponse:
        """The table as a CSV attachment: the same headings, rows and values."""
        rows = [
            [csv_value(v, c.kind) for v, c in zip(r.cells, self.columns, strict=True)]
            for r in self.rows
        ]
        return stream_csv([c.label for c in self.columns], rows, filename=filename)


@dataclasses.dataclass(frozen=True)
class Series:
    """One data series of a chart; ``color`` names a palette entry of dashboard.css."""

    label: str
    values: Sequence[float]
    color: str


@dataclasses.dataclass
class Chart:
    """A Chart.js chart, rendered in the browser from the JSON of ``config``."""

    key: str
    title: str
    kind: Literal["bar", "line", "doughnut"]
    labels: list[str]
    series: list[Series]
    stacked: bool = False
    percent: bool = False
    horizontal: bool = False
    note: str = ""

    def config(self) -> dict[str, Any]:
        """What dashboard.js needs to draw the chart."""
        return {
            "kind": self.kind,
            "labels": self.labels,
            "series": [dataclasses.asdict(s) for s in self.series],
            "stacked": self.stacked,
            "percent": self.percent,
            "horizontal": self.horizontal,
        }


@dataclasses.dataclass(frozen=True)
class Kpi:
    """A headline number, with the previous period's value when there is one."""

    key: str
    label: str
    value: float | int
    kind: CellKind = "int"
    previous: float | int | None = None
    hint: str = ""

    @property
    def shown(self) -> str:
        """The value as displayed."""
        return display(self.value, self.kind) + ("%" if self.kind == "percent" else "")

    @property
    def previous_shown(self) -> str:
        """The previous period's value as displayed."""
        if self.previous is None:
            return ""
        return display(self.previous, self.kind) + ("%" if self.kind == "percent" else "")

    @property
    def change(self) -> str:
        """The change against the previous period: points for rates, percent otherwise."""
        if self.previous is None:
            return ""
        if self.kind == "percent":
            return f"{self.value - self.previous:+.2f} pts"
        if not self.previous:
            return "new" if self.value else "±0"
        return f"{(self.value - self.previous) * 100 / self.previous:+.0f}%"

    @property
    def trend(self) -> str:
        """'up', 'down' or 'flat', for the colour of the change."""
        if self.previous is None or self.value == self.previous:
            return "flat"
        return "up" if self.value > self.previous else "down"


@dataclasses.dataclass(frozen=True)
class Notice:
    """A message in place of data: an empty range, or a new organization's first steps."""

    kind: Literal["empty", "welcome"]
    title: str
    text: str = ""


@dataclasses.dataclass(frozen=True)
class Pager:
    """Where a paginated table stands, with links to its neighbours."""

    page: int
    pages: int
    total: int
    previous: str | None
    next: str | None


@dataclasses.dataclass(frozen=True)
class Search:
    """A search box over a page's list; its text travels in the URL as ``query``."""

    value: str
    placeholder: str


@dataclasses.dataclass
class PageView:
    """Everything one dashboard page shows."""

    title: str
    kpis: list[Kpi] = dataclasses.field(default_factory=list)
    charts: list[Chart] = dataclasses.field(default_factory=list)
    tables: list[Table] = dataclasses.field(default_factory=list)
    notice: Notice | None = None
    intro: str = ""
    pager: Pager | None = None
    search: Search | None = None

    def table(self, key: str | None) -> Table:
        """The table a CSV download names, or a 400 naming the field."""
        for table in self.tables:
            if table.key == key:
                return table
        if not self.tables:
            raise InvalidInput("this view has no table to download", field="table")
        known = ", ".join(t.key for t in self.tables)
        if not key:
            raise InvalidInput(f"table is required with format=csv: one of {known}", field="table")
        raise InvalidInput(f"table must be one of {known}, got {key!r}", field="table")
