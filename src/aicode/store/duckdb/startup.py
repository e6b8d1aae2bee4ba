"""What opening a store reads instead of scanning its tables (migration 8).

- The rollup spans that may hold partial rows (``dirty_spans.py``).
- One-time tasks done (``store_tasks``): catch-up work after an upgrade, such as attributing
  commits stored before server-side attribution existed. A task writes its row in the same
  transaction as its last piece of work, so a process that dies half-way does the rest on
  the next open, and a finished task is not looked at again.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import duckdb

from aicode.store.duckdb.dirty_spans import v8_dirty_spans

TASKS_DDL: Final = """
CREATE TABLE store_tasks (
    task VARCHAR PRIMARY KEY,
    done_at TIMESTAMP NOT NULL
)
"""


def is_done(con: duckdb.DuckDBPyConnection, task: str) -> bool:
    """Whether a one-time task has finished on this store."""
    rows = con.execute("SELECT 1 FROM store_tasks WHERE task = ?", [task]).fetchall()
    return bool(rows)


def mark_done(con: duckdb.DuckDBPyConnection, task: str) -> None:
    """Remember that a task has finished, in the caller's transaction."""
    con.execute(
        "INSERT INTO store_tasks VALUES (?, ?) ON CONFLICT DO NOTHING",
        [task, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    )


def v8_startup(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 8: the dirty rollup spans (seeded by one scan) and the one-time tasks."""
    v8_dirty_spans(con)
    con.execute(TASKS_DDL)
