"""Rollups of appended partial sums: readers sum them, compaction folds them exactly."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlglot

from aicode.model.tenancy import Organization
from aicode.store import open_store
from aicode.store.duckdb import DuckDBStore
from aicode.store.duckdb.compaction import DirtyDays
from aicode.store.duckdb.dirty_spans import scan_partial
from aicode.store.duckdb.rollups import CHILD_TABLE, ROLLUPS, SHAPES, rollup_target
from aicode.store.duckdb.schema import MIGRATIONS
from tests.store.older_stores import store_at_version
from tests.store.test_ingest_store import ALL_TYPES, send

SECOND_DAY = [
    item | {"id": f"{item.get('id', 'x')}-2", "ts": "2025-06-02T09:00:00Z"}
    for item in ALL_TYPES
    if item["type"] != "commit"
]


@pytest.fixture
def lazy_store(tmp_path: Path) -> Iterator[DuckDBStore]:
    """A store whose writer never compacts by itself, so partial rows stay visible."""
    store = DuckDBStore(str(tmp_path / "lazy.duckdb"))
    store._writer._on_idle = None
    yield store
    store.close()


def rows(store: DuckDBStore, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) for r in store.query(sqlglot.parse_one(sql, read="duckdb"))]


def table_columns(store: DuckDBStore, table: str) -> list[str]:
    sql = (
        "SELECT column_name FROM duckdb_columns()"
        f" WHERE table_name = '{table}' ORDER BY column_index"
    )
    return [r[0] for r in rows(store, sql)]


def fold_sql(store: DuckDBStore, table: str, source: str) -> str:
    """One row per key of ``table`` from ``source`` rows: measures summed, ``maxes`` maximised."""
    shape = SHAPES[table]
    columns = table_columns(store, table)
    measures = [
        f"max({c})" if c in shape.maxes else f"sum({c})" for c in columns if c not in shape.keys
    ]
    keys = ", ".join(shape.keys)
    return f"SELECT {keys}, {', '.join(measures)} FROM {source} GROUP BY {keys}"


def fresh_fold(store: DuckDBStore, table: str) -> str:
    """The rollup computed from scratch over every stored fact (what upserts maintained).

    A rollup may be fed by several fact tables (``activity_user_day`` by three).
    """
    columns = ", ".join(table_columns(store, table))
    selects = [
        _in_table_order(
            statement.split(maxsplit=3)[3]
            .replace("new_files", CHILD_TABLE.get(parent, ""))
            .replace("new_rows", parent),
            columns,
        )
        for parent, statements in ROLLUPS.items()
        for statement in statements
        if rollup_target(statement) == table
    ]
    assert selects, table
    union = " UNION ALL ".join(f"({select})" for select in selects)
    return fold_sql(store, table, f"({union}) AS fresh({columns})")


def _in_table_order(select: str, columns: str) -> str:
    """A rollup statement's SELECT with its columns in the table's order (``BY NAME`` ones)."""
    if not select.startswith("BY NAME "):
        return select
    return f"SELECT {columns} FROM ({select.removeprefix('BY NAME ')})"


def folded(store: DuckDBStore, table: str) -> list[tuple[Any, ...]]:
    """Each key's rows of a rollup, summed as every reader sums them."""
    return rows(store, fold_sql(store, table, table) + " ORDER BY ALL")


def count(store: DuckDBStore, table: str) -> int:
    return rows(store, f"SELECT count(*) FROM {table}")[0][0]


def ingest_in_pieces(store: DuckDBStore, org: Organization) -> None:
    # One fact per batch, and the completions twice more under new ids: the same rollup keys
    # receive rows from many writes.
    for item in [*ALL_TYPES, *SECOND_DAY]:
        send(store, org, item)
    for n in range(2):
        send(store, org, ALL_TYPES[0] | {"id": f"again-{n}"}, ALL_TYPES[1] | {"id": f"more-{n}"})


def test_partial_rows_sum_to_the_fresh_fold_and_compact_to_it_exactly(
    lazy_store: DuckDBStore,
) -> None:
    org = lazy_store.create_organization("acme")
    ingest_in_pieces(lazy_store, org)
    # Two days; each of the six writes of completions appended its own row.
    assert count(lazy_store, "completion_user_day") == 6
    for table in SHAPES:
        expected = rows(lazy_store, fresh_fold(lazy_store, table) + " ORDER BY ALL")
        assert expected, table
        assert folded(lazy_store, table) == expected, table
    lazy_store.compact_rollups()
    for table in SHAPES:
        expected = rows(lazy_store, fresh_fold(lazy_store, table) + " ORDER BY ALL")
        assert rows(lazy_store, f"SELECT * FROM {table} ORDER BY ALL") == expected, table
    assert count(lazy_store, "completion_user_day") == 2
    assert not lazy_store._facts.dirty


def test_a_batch_resent_after_compaction_changes_nothing(lazy_store: DuckDBStore) -> None:
    org = lazy_store.create_organization("acme")
    first = send(lazy_store, org, *ALL_TYPES)
    lazy_store.compact_rollups()
    before = {t: rows(lazy_store, f"SELECT * FROM {t} ORDER BY ALL") for t in SHAPES}
    again = send(lazy_store, org, *ALL_TYPES)
    assert (first.accepted, again.accepted, again.duplicates) == (6, 0, 6)
    lazy_store.compact_rollups()
    assert {t: rows(lazy_store, f"SELECT * FROM {t} ORDER BY ALL") for t in SHAPES} == before


def test_partial_rows_left_by_a_previous_process_are_folded_on_open(tmp_path: Path) -> None:
    path = str(tmp_path / "restart.duckdb")
    store = DuckDBStore(path)
    store._writer._on_idle = None
    org = store.create_organization("acme")
    ingest_in_pieces(store, org)
    store._facts.dirty = DirtyDays()  # as if the process died before compacting
    store.close()
    reopened = DuckDBStore(path)
    try:
        assert scan_partial(reopened._con) == []
        assert count(reopened, "completion_user_day") == 2
        for table in SHAPES:
            expected = rows(reopened, fresh_fold(reopened, table) + " ORDER BY ALL")
            assert rows(reopened, f"SELECT * FROM {table} ORDER BY ALL") == expected, table
    finally:
        reopened.close()


def test_the_writer_compacts_when_idle(tmp_path: Path) -> None:
    store = DuckDBStore(str(tmp_path / "idle.duckdb"))
    try:
        org = store.create_organization("acme")
        ingest_in_pieces(store, org)
        # The housekeeping runs on the writer thread once no write has come for a moment.
        deadline = time.monotonic() + 30
        while store._facts.dirty and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not store._facts.dirty
        assert count(store, "completion_user_day") == 2
    finally:
        store.close()


def test_migration_6_keeps_rollup_rows_and_drops_their_keys(tmp_path: Path) -> None:
    path = tmp_path / "v5.duckdb"
    con = store_at_version(str(path), 5)
    con.execute(
        "INSERT INTO typing_user_day"
        " VALUES (1, 7, DATE '2025-06-01', 'vscode', '1.0', 'go', 5, 6, 7)"
    )
    con.close()
    store = open_store(str(path))
    try:
        assert isinstance(store, DuckDBStore)
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert rows(store, "SELECT * FROM typing_user_day") == [
            (1, 7, dt.date(2025, 6, 1), "vscode", "1.0", "go", 5, 6, 7)
        ]
        keyed = rows(
            store,
            "SELECT DISTINCT table_name FROM duckdb_constraints()"
            " WHERE constraint_type = 'PRIMARY KEY' ORDER BY ALL",
        )
        assert not {t for (t,) in keyed} & set(SHAPES)
        assert rows(
            store,
            "SELECT is_nullable FROM duckdb_columns()"
            " WHERE table_name = 'typing_user_day' AND column_name = 'day'",
        ) == [(False,)]
    finally:
        store.close()
