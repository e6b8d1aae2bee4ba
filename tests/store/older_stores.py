"""Turning a store file into one from before migration 8, for the tests of upgrades."""

from __future__ import annotations

import duckdb

from aicode.store.duckdb.schema import MIGRATIONS


def rewind_to_version_7(path: str) -> None:
    """Drop migration 8's tables and its record, as in a store that never ran it."""
    # A migration added after 8 must be rewound here too.
    assert [number for number, _, _ in MIGRATIONS if number > 7] == [8]
    con = duckdb.connect(path)
    try:
        con.execute("DROP TABLE rollup_dirty_spans")
        con.execute("DROP TABLE store_tasks")
        con.execute("DELETE FROM schema_migrations WHERE version >= 8")
    finally:
        con.close()
