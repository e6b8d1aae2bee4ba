"""Fields of a data source: what each maps to, its type, and what a query may do with it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import sqlglot.expressions as exp

from aicode.metrics.query.spec import Aggregate, Kind
from aicode.metrics.sql import col, lit

ROW = "f"  # alias of the data source's rows in every compiled query
USERS = "usr"  # alias of the users table, joined when a field needs the person

ExprFactory = Callable[[], exp.Expr]

# The seed's "valid aggregations" columns, by kind of field.
DIMENSION_FUNCTIONS = frozenset({Aggregate.UNSPECIFIED, Aggregate.COUNT})
MEASURE_FUNCTIONS = frozenset({Aggregate.SUM, Aggregate.MAX, Aggregate.MIN, Aggregate.AVG})
FLAG_FUNCTIONS = frozenset({Aggregate.SUM, Aggregate.COUNT})
TOTAL_FUNCTIONS = frozenset({Aggregate.UNSPECIFIED})


def _strip(value: str) -> str:
    return value.strip()


def _lower(value: str) -> str:
    return value.strip().lower()


def _upper(value: str) -> str:
    return value.strip().upper()


@dataclasses.dataclass(frozen=True)
class Field:
    """One field: its type, the expression it maps to and what selections and filters may do.

    ``value`` builds a fresh expression per use (SQLGlot nodes must not be shared between
    trees). ``aggregate`` fields (distinct counts, byte totals) are already aggregates.
    ``condition`` is what filters and grouping compare when it differs from ``value``
    (a boolean column whose value is summed as 0/1). ``normalize`` puts a filter value in the
    form the expression yields (``ide`` is stored lower-case, ``language`` is shown upper).
    A ``ratio`` field is part / whole of two aggregates, divided after the query runs.
    """

    name: str
    kind: Kind
    value: ExprFactory
    functions: frozenset[Aggregate]
    group_key: bool = False
    filterable: bool = True
    selectable: bool = True
    aggregate: bool = False
    condition: ExprFactory | None = None
    normalize: Callable[[str], str] = _strip
    choices: tuple[str, ...] = ()
    ratio: tuple[ExprFactory, ExprFactory] | None = None
    uses_users: bool = False

    def compared(self) -> exp.Expr:
        """The expression filters compare and groups are formed on."""
        return (self.condition or self.value)()


def dimension(
    name: str,
    column: str,
    kind: Kind = Kind.TEXT,
    *,
    case: str = "",
    choices: tuple[str, ...] = (),
) -> Field:
    """A text, enum, date or time field rows are grouped and filtered by.

    ``case`` ``"upper"`` shows the (lower-case stored) column in upper case; ``"lower"``
    compares filter values lower-cased, as the column is stored.
    """
    if case == "upper":
        return Field(
            name,
            kind,
            lambda: exp.Upper(this=col(column, ROW)),
            DIMENSION_FUNCTIONS,
            group_key=True,
            normalize=_upper,
        )
    normalize = _lower if case == "lower" else (_upper if choices else _strip)
    return Field(
        name,
        kind,
        lambda: col(column, ROW),
        DIMENSION_FUNCTIONS,
        group_key=True,
        normalize=normalize,
        choices=choices,
    )


def filter_only(field: Field) -> Field:
    """The same field, usable in filters only (PCW's language, ide and version)."""
    return dataclasses.replace(field, selectable=False, group_key=False)


def user_hash() -> Field:
    """``api_key``: a stable hash of the person (their UUID), never a token."""
    return Field(
        "api_key",
        Kind.TEXT,
        lambda: exp.MD5(this=col("id", USERS)),
        DIMENSION_FUNCTIONS,
        group_key=True,
        normalize=_lower,
        uses_users=True,
    )


def day(name: str, time_column: str, offset_hours: int = 0) -> Field:
    """The calendar date of a time column, in UTC or at a fixed offset from it."""

    def value() -> exp.Expr:
        moment: exp.Expr = col(time_column, ROW)
        if offset_hours:
            shift = exp.Interval(this=lit(offset_hours), unit=exp.var("HOUR"))
            moment = exp.Add(this=moment, expression=shift)
        return exp.cast(moment, exp.DataType.build("date"))

    return Field(name, Kind.DATE, value, DIMENSION_FUNCTIONS, group_key=True)


def measure(name: str, column: str) -> Field:
    """A per-row number that selections sum, average, or take the extremes of."""
    return Field(name, Kind.INT, lambda: col(column, ROW), MEASURE_FUNCTIONS)


def constant_measure(name: str, value: int) -> Field:
    """A measure every row has the same value of (each chat row is one answer received)."""
    return Field(name, Kind.INT, lambda: lit(value), MEASURE_FUNCTIONS)


def flag(name: str, column: str) -> Field:
    """A yes/no column: SUM counts the rows where it holds, COUNT counts rows."""
    return Field(
        name,
        Kind.BOOL,
        lambda: exp.Case(ifs=[exp.If(this=col(column, ROW), true=lit(1))], default=lit(0)),
        FLAG_FUNCTIONS,
        group_key=True,
        condition=lambda: col(column, ROW),
    )


def distinct(name: str, *parts: ExprFactory) -> Field:
    """The number of distinct tuples of the parts (people, person-days, person-hours)."""
    return Field(
        name,
        Kind.INT,
        lambda: exp.Count(this=exp.Distinct(expressions=[p() for p in parts])),
        DIMENSION_FUNCTIONS,
        filterable=False,
        aggregate=True,
    )


def total(name: str, *columns: str) -> Field:
    """Sum of columns over the rows (0 when there are none)."""
    return Field(
        name, Kind.INT, lambda: _sum(columns), TOTAL_FUNCTIONS, filterable=False, aggregate=True
    )


def share(name: str, part: tuple[str, ...], whole: tuple[str, ...]) -> Field:
    """sum(part) / sum(whole) as a fraction, 0 when the whole is 0."""
    return Field(
        name,
        Kind.FRACTION,
        lambda: _sum(part),
        TOTAL_FUNCTIONS,
        filterable=False,
        aggregate=True,
        ratio=(lambda: _sum(part), lambda: _sum(whole)),
    )


def _sum(columns: tuple[str, ...]) -> exp.Expr:
    added: exp.Expr = col(columns[0], ROW)
    for name in columns[1:]:
        added = exp.Add(this=added, expression=col(name, ROW))
    return exp.func("coalesce", exp.func("sum", added), lit(0))


def user_num() -> exp.Expr:
    """The person a row belongs to."""
    return col("user_num", ROW)
