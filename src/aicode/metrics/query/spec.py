"""A query as the caller asked for it: selections, filters and grouping keys over a data source.

Nothing here is checked yet; ``compiler.compile_query`` validates a spec against its data
source's catalog and raises ``QueryError`` naming the offending selection, filter or key.
"""

from __future__ import annotations

import dataclasses
import enum

from aicode.errors import InvalidInput


class Aggregate(enum.Enum):
    """What a selection does with its field's values across the rows of a group."""

    UNSPECIFIED = "unspecified"
    COUNT = "count"
    SUM = "sum"
    AVG = "avg"
    MAX = "max"
    MIN = "min"


class FilterOp(enum.Enum):
    """How a filter compares a field with its value."""

    EQUAL = "="
    NOT_EQUAL = "!="
    GREATER_THAN = ">"
    LESS_THAN = "<"
    GE = ">="
    LE = "<="


class Kind(enum.Enum):
    """The type of a field or of a result column."""

    TEXT = "text"
    ENUM = "enum"
    DATE = "date"
    TIME = "time"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    FRACTION = "fraction"


class QueryError(InvalidInput):
    """A query that cannot run as asked; ``field`` is where in the request the fault is."""


@dataclasses.dataclass(frozen=True)
class Place:
    """A part of a request: where it is, and how error messages name it."""

    where: str  # query_requests[0].selections[1]
    label: str  # query_requests[0].selections[1] "total_lines"

    def error(self, problem: str) -> QueryError:
        """An error about this part."""
        return QueryError(f"{self.label}: {problem}", field=self.where)


@dataclasses.dataclass(frozen=True)
class Selection:
    """A field to return, optionally aggregated, under an alias."""

    field: str
    name: str | None = None
    function: Aggregate = Aggregate.UNSPECIFIED

    @property
    def alias(self) -> str:
        """The name given, else ``{function}_{field}`` in lower case."""
        if self.name:
            return self.name
        return f"{self.function.value}_{self.field}".lower()


@dataclasses.dataclass(frozen=True)
class Condition:
    """Keep only rows whose field compares true with the value (given as text)."""

    field: str
    op: FilterOp
    value: str


@dataclasses.dataclass(frozen=True)
class GroupKey:
    """Group rows by a field, returned under an alias."""

    field: str
    name: str


@dataclasses.dataclass(frozen=True)
class QuerySpec:
    """One query over one data source; ``location`` prefixes error messages and fields."""

    source: str
    selections: tuple[Selection, ...]
    conditions: tuple[Condition, ...] = ()
    keys: tuple[GroupKey, ...] = ()
    location: str = ""

    def where(self, part: str) -> str:
        """The location of a part of this query, e.g. ``query_requests[0].selections[1]``."""
        return f"{self.location}.{part}" if self.location else part
