"""Store files as older versions left them, for the tests of upgrades."""

from __future__ import annotations

import datetime as dt

import duckdb

from aicode.store.duckdb.schema import MIGRATIONS


def rewind_to_version_7(path: str) -> None:
    """Drop migration 8's tables and its record, as in a store that never ran it.

    A store applies every migration it has no record of, so the later ones stay applied.
    """
    assert 8 in {number for number, _, _ in MIGRATIONS}
    con = duckdb.connect(path)
    try:
        con.execute("DROP TABLE rollup_dirty_spans")
        con.execute("DROP TABLE store_tasks")
        con.execute("DELETE FROM schema_migrations WHERE version = 8")
    finally:
        con.close()


def store_at_version(path: str, version: int) -> duckdb.DuckDBPyConnection:
    """A new store file built by the migrations up to ``version`` only, open for the test to
    add rows as that version wrote them; the caller closes it."""
    con = duckdb.connect(path)
    con.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for number, name, ddl in MIGRATIONS:
        if number > version:
            break
        if isinstance(ddl, str):
            con.execute(ddl)
        else:
            ddl(con)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            [number, name, dt.datetime(2025, 1, 1)],
        )
    return con
