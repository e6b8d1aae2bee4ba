"""Opening a store: migration 8 seeds the dirty spans of an older store, and the attribution
of commits stored before server-side attribution runs once per store, not on every open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from aicode.store import open_store
from aicode.store.duckdb import DuckDBStore, attribution
from aicode.store.duckdb.attribution import BACKFILL_TASK, Attributor
from aicode.store.duckdb.dirty_spans import recorded
from aicode.store.duckdb.schema import migrate
from aicode.store.duckdb.startup import is_done
from tests.attribution.facts import commit, file, ts
from tests.store.older_stores import rewind_to_version_7, store_at_version
from tests.store.test_attribution import AGENT_CHANGE, COMMIT, TAB_CHANGE, send, stored
from tests.store.test_compaction import rows

TYPING = "typing_user_day"
# (org, user, day, ide, client version, language, user bytes, autocomplete, command)
TYPING_ROWS = [
    (1, 7, "2025-06-01", "vscode", "1.0", "go", 5, 6, 7),
    (1, 7, "2025-06-01", "vscode", "1.0", "go", 1, 2, 3),  # the key above, partial
    (1, 7, "2025-06-03", "vscode", "1.0", "go", 1, 1, 1),  # alone: whole
    (1, 8, "2025-06-04", "vscode", "1.0", "go", 2, 0, 0),
    (1, 8, "2025-06-04", "vscode", "1.0", "go", 3, 0, 0),
    (1, 8, "2025-06-09", "jetbrains", "2.0", "java", 4, 0, 0),  # whole, after the others
    (2, 9, "2025-05-30", "vscode", "1.0", "go", 10, 0, 0),
    (2, 9, "2025-05-30", "vscode", "1.0", "go", 10, 0, 0),
]
HOUR_ROWS = [  # completion_user_hour: two rows for 10:00 on June 2nd, one for 11:00
    (1, 7, "2025-06-02 10:00:00", "vscode", "1.0", "go", "plugin", 1, 2, 1, 4, 3, 40,
     "2025-06-02 10:05:00"),
    (1, 7, "2025-06-02 10:00:00", "vscode", "1.0", "go", "plugin", 2, 3, 2, 2, 1, 10,
     "2025-06-02 10:45:00"),
    (1, 7, "2025-06-02 11:00:00", "vscode", "1.0", "go", "plugin", 1, 1, 1, 1, 1, 5,
     "2025-06-02 11:01:00"),
]  # fmt: skip


def version_7_store(path: str) -> None:
    """A store file at schema version 7, with partial rollup rows written by hand."""
    con = store_at_version(path, 7)
    try:
        con.executemany(f"INSERT INTO {TYPING} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", TYPING_ROWS)
        con.executemany(
            "INSERT INTO completion_user_hour VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            HOUR_ROWS,
        )
    finally:
        con.close()


def test_migration_8_seeds_the_spans_of_a_version_7_store_and_the_open_folds_them(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "v7.duckdb")
    version_7_store(path)
    con = duckdb.connect(path)
    try:
        # 8 runs against version 7's tables (commit rollups without 9's ``carried`` key), then 9.
        assert migrate(con) == 9
        assert recorded(con) == [
            ("completion_user_hour", 1, dt.date(2025, 6, 2), dt.date(2025, 6, 2)),
            (TYPING, 1, dt.date(2025, 6, 1), dt.date(2025, 6, 4)),
            (TYPING, 2, dt.date(2025, 5, 30), dt.date(2025, 5, 30)),
        ]
        assert not is_done(con, BACKFILL_TASK)
    finally:
        con.close()
    store = DuckDBStore(path)
    try:
        assert rows(store, "SELECT count(*) FROM rollup_dirty_spans") == [(0,)]
        assert rows(store, f"SELECT * FROM {TYPING} ORDER BY ALL") == [
            (1, 7, dt.date(2025, 6, 1), "vscode", "1.0", "go", 6, 8, 10),
            (1, 7, dt.date(2025, 6, 3), "vscode", "1.0", "go", 1, 1, 1),
            (1, 8, dt.date(2025, 6, 4), "vscode", "1.0", "go", 5, 0, 0),
            (1, 8, dt.date(2025, 6, 9), "jetbrains", "2.0", "java", 4, 0, 0),
            (2, 9, dt.date(2025, 5, 30), "vscode", "1.0", "go", 20, 0, 0),
        ]
        at = dt.datetime.fromisoformat
        assert rows(store, "SELECT * FROM completion_user_hour ORDER BY ALL") == [
            (1, 7, at("2025-06-02 10:00"), "vscode", "1.0", "go", "plugin", 3, 5, 3, 6, 4, 50,
             at("2025-06-02 10:45")),
            (1, 7, at("2025-06-02 11:00"), "vscode", "1.0", "go", "plugin", 1, 1, 1, 1, 1, 5,
             at("2025-06-02 11:01")),
        ]  # fmt: skip
    finally:
        store.close()


ATTRIBUTED = {
    "ai": {"cli_agent_added": 4, "cli_agent_deleted": 1, "plugin_next_added": 1},
    "totals": (5, 1),
}
SECOND_COMMIT = commit(
    "d00d0001", ts(2, 13), [file("src/calc.py", added=[(1, ["def total(items):"])])]
)


def unattributed(store: Any, commit_hash: str) -> dict[str, Any]:
    found = stored(store, commit_hash)
    return {"origin": found["origin"], "ai": found["ai"], "totals": found["totals"]}


def old_store(path: str, monkeypatch: pytest.MonkeyPatch, *facts: dict[str, Any]) -> int:
    """A store of version 7 whose commits were stored without attribution (``none``)."""
    monkeypatch.setattr(Attributor, "after_insert", lambda *args: None)
    store = open_store(path)
    try:
        org = store.create_organization("acme")
        send(store, org, *facts)
    finally:
        store.close()
        monkeypatch.undo()
    rewind_to_version_7(path)
    return org.num


def test_the_backfill_runs_on_the_first_open_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "old.duckdb")
    old_store(path, monkeypatch, AGENT_CHANGE, TAB_CHANGE, COMMIT)
    store = open_store(path, attribution_window_days=30)
    try:
        assert unattributed(store, "c0ffee01") == {"origin": "server", **ATTRIBUTED}
        (done,) = rows(store, "SELECT task, done_at FROM store_tasks")
        assert done[0] == BACKFILL_TASK
        # A commit stored "none" after the backfill (what no server does now) stays so.
        monkeypatch.setattr(Attributor, "after_insert", lambda *args: None)
        org = store.list_organizations()[0]
        send(store, org, SECOND_COMMIT)
        monkeypatch.undo()
    finally:
        store.close()
    again = open_store(path, attribution_window_days=30)
    try:
        assert unattributed(again, "d00d0001") == {"origin": "none", "ai": {}, "totals": (0, 0)}
        assert rows(again, "SELECT task, done_at FROM store_tasks") == [done]
    finally:
        again.close()


def test_a_backfill_that_stops_half_way_finishes_on_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "half.duckdb")
    old_store(path, monkeypatch, AGENT_CHANGE, TAB_CHANGE, COMMIT, SECOND_COMMIT)
    con = duckdb.connect(path)
    try:
        migrate(con)
        recompute = attribution.recompute
        calls: list[list[str]] = []

        def die_on_the_second_chunk(con: Any, keys: list[str], window_days: int) -> None:
            calls.append(keys)
            if len(calls) == 2:
                raise RuntimeError("killed")
            recompute(con, keys, window_days)

        monkeypatch.setattr(attribution, "recompute", die_on_the_second_chunk)
        with pytest.raises(RuntimeError, match="killed"):
            Attributor(30).backfill(con, chunk=1)
        origins = con.execute(
            "SELECT attribution_origin, count(*) FROM commits GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert origins == [("none", 1), ("server", 1)]
        assert not is_done(con, BACKFILL_TASK)
        monkeypatch.undo()
        assert Attributor(30).backfill(con, chunk=1) == 1  # only the one left
        assert is_done(con, BACKFILL_TASK)
        assert Attributor(30).backfill(con, chunk=1) == 0
    finally:
        con.close()
    store = open_store(path)
    try:
        assert unattributed(store, "c0ffee01") == {"origin": "server", **ATTRIBUTED}
        assert stored(store, "d00d0001")["origin"] == "server"
    finally:
        store.close()
