"""Taking commits out of the commit rollups, and moving their AI lines in the rollups.

The rollups (``rollups.py``) fold each commit in once, when it is inserted. When a rewrite
replaces a commit, its whole contribution is removed with the same expressions negated
(``remove``); when a commit's attribution changes, its rollup rows move by the difference
(``shift``). So the rollups always equal a fold of the commits that count, each in its written
and carried parts (``commit_parts.py``). Both update rows
that exist (a counted commit always has its rollup rows), which is much cheaper in DuckDB
than an upsert; since writes append partial rows, the days concerned are compacted first,
so that each key they update has exactly one row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Final

import duckdb
import pyarrow as pa

from aicode.store.duckdb.commit_parts import (
    DAY_KEYS,
    EXTENSION_KEYS,
    VALUE_COLUMNS,
    day_rows,
    extension_rows,
)
from aicode.store.duckdb.compaction import compact_span

_SPAN_SCHEMA: Final = pa.schema([("org_num", pa.int32()), ("day", pa.date32())])


def _add(target: str, keys: tuple[str, ...], measures: tuple[str, ...], source: str) -> str:
    """Add the grouped ``source`` rows' measures to the existing rollup rows they key."""
    sums = ", ".join(f"sum({m}) AS {m}" for m in measures)
    sets = ", ".join(f"{m} = t.{m} + d.{m}" for m in measures)
    match = " AND ".join(f"t.{k} = d.{k}" for k in keys)
    return (
        f"UPDATE {target} t SET {sets}"
        f" FROM (SELECT {', '.join(keys)}, {sums} FROM ({source}) GROUP BY ALL) d WHERE {match}"
    )


_LINES: Final = ("lines_added", "lines_deleted", *VALUE_COLUMNS)
_REMOVED: Final = "k IN (SELECT CAST(k AS UUID) FROM $keys) AND replaced_by IS NULL"
_REMOVE: Final = (
    _add(
        "commit_user_day",
        DAY_KEYS,
        ("commits", *_LINES),
        day_rows("commits", _REMOVED, negate=True),
    ),
    _add(
        "commit_ext_user_day",
        EXTENSION_KEYS,
        ("files", "commits", *_LINES),
        extension_rows("commit_files", _REMOVED, negate=True),
    ),
)


def remove(con: duckdb.DuckDBPyConnection, keys_view: str, org_nums: set[int]) -> None:
    """Take the counted commits named in ``keys_view`` (column ``k``, hex) out of the rollups.

    Call it before marking them replaced; rollup rows left without commits are dropped.
    """
    spans = con.execute(
        "SELECT org_num, min(ts)::DATE, max(ts)::DATE FROM commits"
        f" WHERE k IN (SELECT CAST(k AS UUID) FROM {keys_view}) AND replaced_by IS NULL"
        " GROUP BY org_num"
    ).fetchall()
    _compact(con, spans)
    for statement in _REMOVE:
        con.execute(statement.replace("$keys", keys_view))
    for target in ("commit_user_day", "commit_ext_user_day"):
        con.execute(
            f"DELETE FROM {target} WHERE commits = 0 AND list_contains(?, org_num)",
            [sorted(org_nums)],
        )


_SHIFT: Final = (
    ("commit_user_day", _add("commit_user_day", DAY_KEYS, VALUE_COLUMNS, "SELECT * FROM $rows")),
    (
        "commit_ext_user_day",
        _add("commit_ext_user_day", EXTENSION_KEYS, VALUE_COLUMNS, "SELECT * FROM $rows"),
    ),
)


def _compact(con: duckdb.DuckDBPyConnection, spans: list[tuple[int, dt.date, dt.date]]) -> None:
    for org_num, first, last in spans:
        for target in ("commit_user_day", "commit_ext_user_day"):
            compact_span(con, target, org_num, first, last)


def shift(con: duckdb.DuckDBPyConnection, by_day: pa.Table, by_extension: pa.Table) -> None:
    """Add differences of AI line counts to the rollup rows of counted commits.

    ``by_day`` has the ``DAY_KEYS`` and ``VALUE_COLUMNS``; ``by_extension`` also ``extension``.
    Commit and line counts do not move: re-attributing a commit only moves its AI lines.
    """
    moved = pa.concat_tables(
        [t.select(["org_num", "day"]).cast(_SPAN_SCHEMA) for t in (by_day, by_extension)]
    )
    if moved.num_rows:
        con.register("shift_spans", moved)
        try:
            spans = con.execute(
                "SELECT org_num, min(day), max(day) FROM shift_spans GROUP BY org_num"
            ).fetchall()
        finally:
            con.unregister("shift_spans")
        _compact(con, spans)
    for (target, statement), table in zip(_SHIFT, (by_day, by_extension), strict=True):
        if not table.num_rows:
            continue
        name = f"shift_{target}"
        con.register(name, table)
        try:
            con.execute(statement.replace("$rows", name))
        finally:
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)
