"""Turning a store file into one from before migration 8, for the tests of upgrades."""

from __future__ import annotations

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
