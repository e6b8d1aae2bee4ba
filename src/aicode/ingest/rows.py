"""Rows of a normalized batch: per table, tuples cheap to add, columns on demand."""

from __future__ import annotations

import dataclasses
from typing import Any

from aicode.store.base import Rejection


class TableRows:
    """Rows for one table, kept as tuples (cheap to add) and turned into columns on demand."""

    def __init__(self) -> None:
        self.names: tuple[str, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self._columns: dict[str, list[Any]] | None = None

    def add(self, row: dict[str, Any]) -> None:
        """Append a row (every row of a table has the same keys, in the same order)."""
        if not self.names:
            self.names = tuple(row)
        self.rows.append(tuple(row.values()))
        self._columns = None

    def add_all(self, rows: list[dict[str, Any]]) -> None:
        """Append several rows of the same shape."""
        if not rows:
            return
        if not self.names:
            self.names = tuple(rows[0])
        self.rows.extend([tuple(row.values()) for row in rows])
        self._columns = None

    def extend(self, other: TableRows) -> None:
        """Append every row of another table of the same shape."""
        if not self.names:
            self.names = other.names
        self.rows.extend(other.rows)
        self._columns = None

    @property
    def columns(self) -> dict[str, list[Any]]:
        """The rows as one list per column."""
        if self._columns is None:
            self._columns = (
                {
                    name: list(values)
                    for name, values in zip(self.names, zip(*self.rows, strict=True), strict=True)
                }
                if self.rows
                else {}
            )
        return self._columns

    def __len__(self) -> int:
        return len(self.rows)


@dataclasses.dataclass
class NormalizedBatch:
    """Rows of every table a batch writes, plus what was refused or repeated in the batch."""

    tables: dict[str, TableRows] = dataclasses.field(default_factory=dict)
    rejected: list[Rejection] = dataclasses.field(default_factory=list)
    duplicates_in_batch: int = 0

    def table(self, name: str) -> TableRows:
        """The rows of a table, created on first use."""
        return self.tables.setdefault(name, TableRows())

    @property
    def user_refs(self) -> set[str]:
        """Every user reference the batch names."""
        refs: set[str] = set()
        for rows in self.tables.values():
            refs.update(rows.columns.get("user_ref", ()))
        return refs
