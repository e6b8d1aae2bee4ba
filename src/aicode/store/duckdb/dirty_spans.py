"""The rollup spans that may hold partial rows, kept in a table (``rollup_dirty_spans``).

Writes append partial sums to the rollups (``rollups.py``) and a fold makes each key's rows
one again (``compaction.py``). Which days of which rollup may still be partial is known to
the writer as it appends; this table keeps it across restarts. A group records its spans in
the same transaction as its appends (a group that rolls back leaves none) and a fold deletes
the spans it made whole in its own transaction (a fold that fails leaves them). So opening a
store reads this small table instead of grouping every rollup by its whole key, which takes
seconds at 10,000 developers x 90 days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

import duckdb

from aicode.store.duckdb.catalog import table_columns
from aicode.store.duckdb.rollups import ROLLUPS, SHAPES, rollup_target

Span = tuple[str, int, dt.date, dt.date]
"""(rollup table, organization number, first day, last day), both days included."""

SPANS_DDL: Final = """
CREATE TABLE rollup_dirty_spans (
    rollup VARCHAR NOT NULL,
    org_num INTEGER NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL
)
"""

# Rollups that several statements append to for the same rows (``activity_user_day`` gets a
# row per kind of activity): the only ones whose keys a bulk load on empty days leaves partial.
FED_TWICE: Final[frozenset[str]] = frozenset(
    table
    for table, statements in Counter(
        rollup_target(statement) for statements in ROLLUPS.values() for statement in statements
    ).items()
    if statements > 1
)


def _values(count: int) -> str:
    return ", ".join(["(?, ?, ?, ?)"] * count)


def record(con: duckdb.DuckDBPyConnection, spans: Sequence[Span]) -> None:
    """Add spans to the table, in the caller's transaction, with one statement."""
    if not spans:
        return
    con.execute(
        f"INSERT INTO rollup_dirty_spans VALUES {_values(len(spans))}",
        [value for span in spans for value in span],
    )


def recorded(con: duckdb.DuckDBPyConnection) -> list[Span]:
    """The recorded spans, one per rollup and organization (from the first to the last day)."""
    rows = con.execute(
        "SELECT rollup, org_num, min(first_day), max(last_day) FROM rollup_dirty_spans"
        " GROUP BY rollup, org_num ORDER BY rollup, org_num"
    ).fetchall()
    return [(str(t), int(o), first, last) for t, o, first, last in rows]


def clear(con: duckdb.DuckDBPyConnection, folded: Sequence[Span]) -> None:
    """Delete the recorded spans that lie inside folded ones, in the caller's transaction.

    A span recorded after the fold read its spans, or reaching past them, stays.
    """
    if not folded:
        return
    con.execute(
        "DELETE FROM rollup_dirty_spans d"
        f" USING (VALUES {_values(len(folded))}) f(rollup, org_num, first_day, last_day)"
        " WHERE d.rollup = f.rollup AND d.org_num = f.org_num"
        " AND d.first_day >= f.first_day AND d.last_day <= f.last_day",
        [value for span in folded for value in span],
    )


def scan_partial(con: duckdb.DuckDBPyConnection) -> list[Span]:
    """Find the spans whose rollup rows are not one per key by grouping every rollup by its
    whole key: the expensive way, for stores older than the table (migration 8)."""
    spans: list[Span] = []
    for table, shape in SHAPES.items():
        # The key as the table has it now: a later migration may add a key column (9 adds
        # the commit rollups' ``carried``) that a store being migrated does not have yet.
        present = set(table_columns(con, table))
        keys = ", ".join(k for k in shape.keys if k in present)
        rows = con.execute(
            f"SELECT org_num, min({shape.time})::DATE, max({shape.time})::DATE FROM"
            f" (SELECT {keys} FROM {table} GROUP BY {keys} HAVING count(*) > 1)"
            " GROUP BY org_num ORDER BY org_num"
        ).fetchall()
        spans.extend((table, int(org_num), first, last) for org_num, first, last in rows)
    return spans


def holding_rows(
    con: duckdb.DuckDBPyConnection, org_num: int, first: dt.date, last: dt.date
) -> list[str]:
    """The rollups that already hold rows of an organization between two days."""
    found: list[str] = []
    for table, shape in SHAPES.items():
        row = con.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} WHERE org_num = ?"
            f" AND {shape.time} >= ? AND {shape.time} < ?)",
            [org_num, first, last + dt.timedelta(days=1)],
        ).fetchone()
        if row and row[0]:
            found.append(table)
    return found


def bulk_spans(
    con: duckdb.DuckDBPyConnection, org_num: int, first: dt.date, last: dt.date
) -> list[Span]:
    """The spans a bulk load of these days may leave partial: those of the rollups fed
    twice, and of any rollup that already holds rows there."""
    tables: Iterable[str] = sorted(FED_TWICE | set(holding_rows(con, org_num, first, last)))
    return [(table, org_num, first, last) for table in tables]


def v8_dirty_spans(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 8's spans: the table, seeded with what a scan finds partial (once)."""
    con.execute(SPANS_DDL)
    record(con, scan_partial(con))
