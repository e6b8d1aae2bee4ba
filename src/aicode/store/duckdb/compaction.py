"""Folding a rollup's appended partial rows back into one row per key.

Writes append partial sums (``rollups.py``); the writer remembers which organizations and
days each rollup received rows for (``DirtyDays``) and compacts them when it has nothing
queued, or after a number of groups under sustained load, so rollups stay about as small as
with upserts. Compaction is exact: a key's rows are replaced by their sums (maxima for
``last_ts``), in one transaction; readers always sum a key's rows, so they see the same
numbers before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import duckdb

from aicode.store.duckdb.rollups import SHAPES, RollupShape
from aicode.store.duckdb.schema import table_columns

_ONE_DAY: Final = dt.timedelta(days=1)


class DirtyDays:
    """Per rollup table and organization, the span of days that may hold partial rows."""

    def __init__(self) -> None:
        self.spans: dict[tuple[str, int], tuple[dt.date, dt.date]] = {}

    def add(self, table: str, org_num: int, first: dt.date, last: dt.date) -> None:
        """Remember that ``table`` got rows for ``org_num`` between two days (inclusive)."""
        known = self.spans.get((table, org_num))
        if known is not None:
            first, last = min(first, known[0]), max(last, known[1])
        self.spans[(table, org_num)] = (first, last)

    def forget(self, spans: dict[tuple[str, int], tuple[dt.date, dt.date]]) -> None:
        """Forget folded spans, unless rows arrived for them meanwhile (the span grew)."""
        for key, span in spans.items():
            if self.spans.get(key) == span:
                del self.spans[key]

    def __bool__(self) -> bool:
        return bool(self.spans)


def _folded(columns: list[str], shape: RollupShape) -> list[str]:
    return [
        c
        if c in shape.keys
        else f"max({c}) AS {c}"
        if c in shape.maxes
        else f"sum({c})::BIGINT AS {c}"
        for c in columns
    ]


def compact_span(
    con: duckdb.DuckDBPyConnection, table: str, org_num: int, first: dt.date, last: dt.date
) -> None:
    """Fold the rows of ``table`` for one organization and span of days, in the caller's
    transaction; keys whose ``commits`` add up to zero are dropped (their commits were
    all taken out of the rollups)."""
    shape = SHAPES[table]
    columns = table_columns(con, table)
    where = f"org_num = $org AND {shape.time} >= $first AND {shape.time} < $end"
    having = " HAVING sum(commits) <> 0" if "commits" in columns else ""
    params = {"org": org_num, "first": first, "end": last + _ONE_DAY}
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE rollup_folded AS SELECT {', '.join(_folded(columns, shape))}"
        f" FROM {table} WHERE {where} GROUP BY {', '.join(shape.keys)}{having}",
        params,
    )
    try:
        con.execute(f"DELETE FROM {table} WHERE {where}", params)
        names = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM rollup_folded")
    finally:
        con.execute("DROP TABLE IF EXISTS rollup_folded")


Spans = dict[tuple[str, int], tuple[dt.date, dt.date]]


def fold(con: duckdb.DuckDBPyConnection, dirty: DirtyDays) -> Spans:
    """Compact every dirty span in the caller's transaction; returns the spans folded, to be
    forgotten (``DirtyDays.forget``) once that transaction has committed."""
    spans = dict(dirty.spans)
    for (table, org_num), (first, last) in sorted(spans.items()):
        compact_span(con, table, org_num, first, last)
    return spans


def compact(con: duckdb.DuckDBPyConnection, dirty: DirtyDays) -> int:
    """Compact every dirty span in a transaction of its own; returns how many were folded."""
    if not dirty:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        spans = fold(con, dirty)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    dirty.forget(spans)
    return len(spans)


def partial_spans(con: duckdb.DuckDBPyConnection) -> DirtyDays:
    """The spans of days whose rollup rows are not one per key (after a restart, say)."""
    dirty = DirtyDays()
    for table, shape in SHAPES.items():
        rows = con.execute(
            f"SELECT org_num, min({shape.time})::DATE, max({shape.time})::DATE FROM"
            f" (SELECT {', '.join(shape.keys)} FROM {table}"
            f"  GROUP BY {', '.join(shape.keys)} HAVING count(*) > 1) GROUP BY org_num"
        ).fetchall()
        for org_num, first, last in rows:
            dirty.add(table, int(org_num), first, last)
    return dirty
