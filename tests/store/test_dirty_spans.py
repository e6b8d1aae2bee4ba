"""The dirty rollup spans kept in a table: written with the rollup rows, cleared by the fold
that makes them whole, and the only thing a store reads on open to find partial rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import msgspec
import pytest

from aicode.store.duckdb import DuckDBStore, compaction, dirty_spans
from aicode.store.duckdb.compaction import DirtyDays
from aicode.store.duckdb.rollups import SHAPES
from tests.store.test_compaction import (
    SECOND_DAY,
    count,
    fresh_fold,
    ingest_in_pieces,
    rows,
)
from tests.store.test_ingest_store import ALL_TYPES, send

JUNE_1 = dt.date(2025, 6, 1)
JUNE_2 = dt.date(2025, 6, 2)
# Rollups that the completions, chats, changes and typing of SECOND_DAY feed (no commit).
WITHOUT_COMMITS = sorted(set(SHAPES) - {"commit_user_day", "commit_ext_user_day"})


@pytest.fixture
def lazy_store(tmp_path: Path) -> Iterator[DuckDBStore]:
    """A store whose writer never compacts by itself, so recorded spans stay visible."""
    store = DuckDBStore(str(tmp_path / "lazy.duckdb"))
    store._writer._on_idle = None
    yield store
    store.close()


def spans_in(store: DuckDBStore) -> list[tuple[Any, ...]]:
    return rows(store, "SELECT * FROM rollup_dirty_spans ORDER BY ALL")


def spans_on_file(path: str) -> list[dirty_spans.Span]:
    """The spans recorded in a store file, one per rollup and organization."""
    con = duckdb.connect(path, read_only=True)
    try:
        return dirty_spans.recorded(con)
    finally:
        con.close()


def assert_rollups_are_the_fresh_fold(store: DuckDBStore) -> None:
    """Every rollup has one row per key, equal to a GROUP BY over the stored facts."""
    for table in SHAPES:
        expected = rows(store, fresh_fold(store, table) + " ORDER BY ALL")
        assert expected, table
        assert rows(store, f"SELECT * FROM {table} ORDER BY ALL") == expected, table


def abandon(store: DuckDBStore) -> None:
    """Close a store the way a process that stops before compacting leaves it."""
    store._facts.dirty = DirtyDays()  # what was only in memory is lost
    store.close()


def test_a_group_records_one_span_per_rollup_and_organization(lazy_store: DuckDBStore) -> None:
    org = lazy_store.create_organization("acme")
    other = lazy_store.create_organization("globex")
    send(lazy_store, org, *ALL_TYPES)
    assert spans_in(lazy_store) == [(table, org.num, JUNE_1, JUNE_1) for table in sorted(SHAPES)]
    send(lazy_store, other, *SECOND_DAY)
    assert spans_in(lazy_store) == sorted(
        [(table, org.num, JUNE_1, JUNE_1) for table in SHAPES]
        + [(table, other.num, JUNE_2, JUNE_2) for table in WITHOUT_COMMITS]
    )
    lazy_store.compact_rollups()
    assert spans_in(lazy_store) == []
    assert not lazy_store._facts.dirty


SCRIPT = """
import os, sys
import msgspec
from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.store.duckdb import DuckDBStore

store = DuckDBStore(sys.argv[1])
store._writer._on_idle = None  # nothing compacts before the process dies
org = store.create_organization("acme")
for n, doc in enumerate(sys.stdin.buffer.read().splitlines()):
    ingest_items(store, org, [decode_item(doc, 0)])  # one group per fact: partial rows
print(org.num, flush=True)
os._exit(0)  # acknowledged, then gone: no compaction, no close
"""


def test_spans_survive_a_killed_process_and_are_folded_on_the_next_open(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "killed.duckdb")
    facts = [*ALL_TYPES, *SECOND_DAY, ALL_TYPES[0] | {"id": "again"}]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, path],
        input=b"\n".join(msgspec.json.encode(item) for item in facts),
        capture_output=True,
        check=True,
        timeout=120,
    )
    org_num = int(done.stdout.decode())
    assert spans_on_file(path) == sorted(
        [(table, org_num, JUNE_1, JUNE_2) for table in WITHOUT_COMMITS]
        + [(table, org_num, JUNE_1, JUNE_1) for table in ("commit_user_day", "commit_ext_user_day")]
    )
    reopened = DuckDBStore(path)
    try:
        assert spans_in(reopened) == []
        assert_rollups_are_the_fresh_fold(reopened)
        assert rows(
            reopened,
            "SELECT day, events, count_suggested, count_accepted, lines_accepted, bytes_accepted"
            " FROM completion_user_day ORDER BY day",
        ) == [(JUNE_1, 3, 7, 5, 8, 180), (JUNE_2, 2, 4, 3, 4, 90)]
    finally:
        reopened.close()


def test_a_group_that_rolls_back_leaves_no_span(
    lazy_store: DuckDBStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = lazy_store.create_organization("acme")
    record = dirty_spans.record

    def fail_after_recording(con: duckdb.DuckDBPyConnection, spans: Any) -> None:
        record(con, spans)  # the spans are written, then the group fails before COMMIT
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(dirty_spans, "record", fail_after_recording)
    with pytest.raises(RuntimeError, match="the disk is full"):
        send(lazy_store, org, *ALL_TYPES)
    assert spans_in(lazy_store) == []
    assert count(lazy_store, "completions") == 0
    assert count(lazy_store, "completion_user_day") == 0
    monkeypatch.undo()
    send(lazy_store, org, *ALL_TYPES)  # the same group, now committed with its spans
    assert spans_in(lazy_store) == [(table, org.num, JUNE_1, JUNE_1) for table in sorted(SHAPES)]


def test_a_fold_that_fails_leaves_its_spans_and_the_next_one_folds_them(
    lazy_store: DuckDBStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = lazy_store.create_organization("acme")
    ingest_in_pieces(lazy_store, org)
    recorded = spans_in(lazy_store)
    # One row per rollup each group fed: the six facts of ALL_TYPES 3 + 3 + 2 + 4 + 2 + 1,
    # SECOND_DAY's five 13, and the two completions sent again 3 each.
    assert len(recorded) == 34
    compact_span = compaction.compact_span

    def fail_on_typing(con: Any, table: str, *span: Any) -> None:
        compact_span(con, table, *span)  # folds the tables before it, in the transaction
        if table == "typing_user_day":
            raise duckdb.IOException("the disk is full")

    monkeypatch.setattr(compaction, "compact_span", fail_on_typing)
    with pytest.raises(duckdb.IOException, match="the disk is full"):
        lazy_store.compact_rollups()
    assert spans_in(lazy_store) == recorded
    assert count(lazy_store, "completion_user_day") == 6  # the rollback kept every row
    monkeypatch.undo()
    lazy_store.compact_rollups()
    assert spans_in(lazy_store) == []
    assert count(lazy_store, "completion_user_day") == 2
    assert_rollups_are_the_fresh_fold(lazy_store)


def test_opening_reads_only_the_recorded_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "reopened.duckdb")
    store = DuckDBStore(path)
    store._writer._on_idle = None
    org = store.create_organization("acme")
    ingest_in_pieces(store, org)
    abandon(store)
    # A partial key that no span names: only a scan of the rollup would find it.
    con = duckdb.connect(path)
    con.execute(
        "INSERT INTO typing_user_day VALUES"
        " (?, 1, DATE '2025-07-01', 'vscode', '1.0', 'go', 5, 0, 0),"
        " (?, 1, DATE '2025-07-01', 'vscode', '1.0', 'go', 6, 0, 0)",
        [org.num, org.num],
    )
    con.close()

    def no_scan(con: duckdb.DuckDBPyConnection) -> list[dirty_spans.Span]:
        raise AssertionError("opening a store scanned the rollups")

    monkeypatch.setattr(dirty_spans, "scan_partial", no_scan)
    reopened = DuckDBStore(path)
    try:
        assert spans_in(reopened) == []
        assert count(reopened, "completion_user_day") == 2  # the recorded spans were folded
        assert rows(
            reopened,
            "SELECT user_bytes FROM typing_user_day WHERE day = DATE '2025-07-01' ORDER BY 1",
        ) == [(5,), (6,)]  # not recorded, so not looked for
    finally:
        reopened.close()


def test_a_fold_forgets_no_span_that_grew_after_it_read_them() -> None:
    dirty = DirtyDays()
    dirty.add("typing_user_day", 1, JUNE_1, JUNE_2)
    folded = dirty.snapshot()
    dirty.add("typing_user_day", 1, JUNE_2, JUNE_2)  # inside the span, after the fold read it
    dirty.add("chat_user_day", 1, JUNE_1, JUNE_1)
    dirty.forget(folded)
    assert dirty.as_rows() == [
        ("chat_user_day", 1, JUNE_1, JUNE_1),
        ("typing_user_day", 1, JUNE_1, JUNE_2),
    ]
    dirty.forget(dirty.snapshot())
    assert not dirty


def test_a_bulk_day_records_the_rollups_fed_twice_and_those_already_holding_rows(
    lazy_store: DuckDBStore,
) -> None:
    org = lazy_store.create_organization("acme")
    send(lazy_store, org, *ALL_TYPES)
    lazy_store.compact_rollups()
    on_empty_day = lazy_store._write(
        lambda con: dirty_spans.bulk_spans(con, org.num, JUNE_2, JUNE_2)
    )
    assert on_empty_day == [("activity_user_day", org.num, JUNE_2, JUNE_2)]
    on_used_day = lazy_store._write(
        lambda con: dirty_spans.bulk_spans(con, org.num, JUNE_1, JUNE_1)
    )
    assert on_used_day == [(table, org.num, JUNE_1, JUNE_1) for table in sorted(SHAPES)]
