"""Small builders over SQLGlot expressions, so metrics never paste values into SQL text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlglot.expressions as exp


def col(name: str, table: str | None = None) -> exp.Column:
    """A column reference."""
    return exp.column(name, table=table)


def lit(value: object) -> exp.Expr:
    """A literal (strings are quoted and escaped by SQLGlot, never interpolated)."""
    return exp.convert(value)


def date_lit(value: dt.date) -> exp.Expr:
    """A DATE literal."""
    return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("date"))


def ts_lit(value: dt.datetime) -> exp.Expr:
    """A TIMESTAMP literal in UTC (stored timestamps are naive UTC)."""
    naive = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    return exp.cast(exp.Literal.string(naive.isoformat(sep=" ")), exp.DataType.build("timestamp"))


def total(name: str, table: str | None = None) -> exp.Expr:
    """coalesce(sum(name), 0): sums over no rows are 0, not NULL."""
    return exp.func("coalesce", exp.func("sum", col(name, table)), lit(0))


def sum_of(names: Iterable[str], table: str | None = None) -> exp.Expr:
    """coalesce(sum(a + b + ...), 0)."""
    columns = [col(n, table) for n in names]
    added: exp.Expr = columns[0]
    for column in columns[1:]:
        added = exp.Add(this=added, expression=column)
    return exp.func("coalesce", exp.func("sum", added), lit(0))


def count_distinct(*names: str) -> exp.Expr:
    """COUNT(DISTINCT ...), exact on every backend."""
    return exp.Count(this=exp.Distinct(expressions=[col(n) for n in names]))


def all_of(conditions: Iterable[exp.Expr]) -> exp.Expr | None:
    """AND of conditions, or None when there are none."""
    result: exp.Expr | None = None
    for condition in conditions:
        result = condition if result is None else exp.and_(result, condition)
    return result
