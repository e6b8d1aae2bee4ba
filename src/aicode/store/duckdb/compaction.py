"""Folding a rollup's appended partial rows back into one row per key.

Writes append partial sums (``rollups.py``); the writer remembers which organizations and
days each rollup received rows for (``DirtyDays``, and durably ``dirty_spans.py``) and
compacts them when it has nothing queued, or after a number of groups under sustained load,
so rollups stay about as small as with upserts. Compaction is exact: a key's rows are
replaced by their sums (maxima for ``last_ts``), in one transaction that also deletes the
spans it made whole; readers always sum a key's rows, so they see the same numbers before
and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import duckdb

from aicode.store.duckdb import dirty_spans
from aicode.store.duckdb.catalog import table_columns
from aicode.store.duckdb.dirty_spans import Span
from aicode.store.duckdb.rollups import SHAPES, RollupShape

_ONE_DAY: Final = dt.timedelta(days=1)

Key = tuple[str, int]
Folded = dict[Key, tuple[tuple[dt.date, dt.date], int]]
"""Spans a fold compacted, each with the number of additions it had seen (see ``forget``)."""


class DirtyDays:
    """Per rollup table and organization, the span of days that may hold partial rows."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans: dict[Key, tuple[dt.date, dt.date]] = {}
        self._additions: dict[Key, int] = {}
        for table, org_num, first, last in spans:
            self.add(table, org_num, first, last)

    def add(self, table: str, org_num: int, first: dt.date, last: dt.date) -> None:
        """Remember that ``table`` got rows for ``org_num`` between two days (inclusive)."""
        key = (table, org_num)
        known = self.spans.get(key)
        if known is not None:
            first, last = min(first, known[0]), max(last, known[1])
        self.spans[key] = (first, last)
        self._additions[key] = self._additions.get(key, 0) + 1

    def as_rows(self) -> list[Span]:
        """The spans as (table, organization, first day, last day), in order."""
        return [(t, o, first, last) for (t, o), (first, last) in sorted(self.spans.items())]

    def snapshot(self) -> Folded:
        """The spans as a fold sees them, to be forgotten once it has committed."""
        return {key: (span, self._additions[key]) for key, span in self.spans.items()}

    def forget(self, folded: Folded) -> None:
        """Forget folded spans, unless rows arrived for them meanwhile.

        Counting additions, not comparing spans: rows appended between a fold and its
        ``forget`` (``compact_rollups`` runs them as two writer jobs) may lie inside the span.
        """
        for key, (_, additions) in folded.items():
            if self._additions.get(key) == additions:
                del self.spans[key]
                del self._additions[key]

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


def fold(con: duckdb.DuckDBPyConnection, dirty: DirtyDays) -> Folded:
    """Compact every dirty span, known here or recorded, in the caller's transaction, and
    delete the recorded spans it made whole; returns the spans folded, to be forgotten
    (``DirtyDays.forget``) once that transaction has committed."""
    # The table is the record; ``dirty`` only saves an idle writer a query. Reading the table
    # (a few rows) folds whatever the memory misses as well.
    for table, org_num, first, last in dirty_spans.recorded(con):
        known = dirty.spans.get((table, org_num))
        if known is None or first < known[0] or last > known[1]:
            dirty.add(table, org_num, first, last)
    folded = dirty.snapshot()
    for (table, org_num), ((first, last), _) in sorted(folded.items()):
        compact_span(con, table, org_num, first, last)
    dirty_spans.clear(con, [(t, o, first, last) for (t, o), ((first, last), _) in folded.items()])
    return folded


def compact(con: duckdb.DuckDBPyConnection, dirty: DirtyDays) -> int:
    """Compact every dirty span in a transaction of its own; returns how many were folded."""
    if not dirty:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        folded = fold(con, dirty)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    dirty.forget(folded)
    return len(folded)
