"""The writer thread: jobs acknowledged only after COMMIT, group commit, and failure isolation."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from aicode.errors import StoreError
from aicode.store.duckdb import writer as writer_module
from aicode.store.duckdb.writer import Writer

Job = Callable[[duckdb.DuckDBPyConnection], object]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "writer.duckdb"))
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who VARCHAR)")
    yield connection
    connection.close()


def insert(value: int, seen: list[int] | None = None) -> Job:
    def job(con: duckdb.DuckDBPyConnection) -> int:
        if seen is not None:
            seen.append(value)
        con.execute("INSERT INTO t VALUES (?, 'job')", [value])
        row = con.execute("SELECT txid_current()").fetchone()
        assert row is not None
        return int(row[0])

    return job


def ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [r[0] for r in con.cursor().execute("SELECT id FROM t ORDER BY id").fetchall()]


def hold(writer: Writer) -> tuple[threading.Event, Future[object]]:
    """Keep the writer busy until the event is set, so later jobs queue up as one group."""
    started, release = threading.Event(), threading.Event()

    def blocker(con: duckdb.DuckDBPyConnection) -> None:
        started.set()
        release.wait(10)

    future = writer.submit(blocker)
    assert started.wait(10)
    return release, future


def test_run_returns_the_result_after_commit(con: duckdb.DuckDBPyConnection) -> None:
    writer = Writer(con.cursor())
    try:
        writer.run(insert(1))
        # Another connection of the same database sees it: it was committed.
        assert ids(con) == [1]
    finally:
        writer.close()


def test_queued_jobs_are_committed_in_one_transaction(con: duckdb.DuckDBPyConnection) -> None:
    writer = Writer(con.cursor(), group_max=64)
    try:
        release, blocker = hold(writer)
        futures = [writer.submit(insert(i)) for i in range(10)]
        release.set()
        blocker.result(10)
        transactions = {f.result(10) for f in futures}
        assert len(transactions) == 1
        assert ids(con) == list(range(10))
    finally:
        writer.close()


def test_groups_are_capped_at_group_max(con: duckdb.DuckDBPyConnection) -> None:
    writer = Writer(con.cursor(), group_max=4)
    try:
        release, _ = hold(writer)
        futures = [writer.submit(insert(i)) for i in range(10)]
        release.set()
        transactions = [f.result(10) for f in futures]
        assert [transactions.count(t) for t in dict.fromkeys(transactions)] == [4, 4, 2]
    finally:
        writer.close()


def test_a_failing_job_does_not_lose_its_group(con: duckdb.DuckDBPyConnection) -> None:
    rollbacks: list[int] = []
    writer = Writer(con.cursor(), on_rollback=lambda: rollbacks.append(1))
    seen: list[int] = []

    def duplicate_key(con: duckdb.DuckDBPyConnection) -> None:
        seen.append(-1)
        con.execute("INSERT INTO t VALUES (100, 'bad')")
        con.execute("INSERT INTO t VALUES (100, 'bad')")  # primary key violation

    def boom(con: duckdb.DuckDBPyConnection) -> None:
        raise ValueError("job failed")

    try:
        release, _ = hold(writer)
        good = [writer.submit(insert(i, seen)) for i in range(3)]
        bad = writer.submit(duplicate_key)
        good += [writer.submit(insert(i, seen)) for i in range(3, 6)]
        worse = writer.submit(boom)
        release.set()
        transactions = [f.result(10) for f in good]
        with pytest.raises(duckdb.ConstraintException):
            bad.result(10)
        with pytest.raises(ValueError, match="job failed"):
            worse.result(10)
        # Every good job is committed once, each in its own transaction after the retry.
        assert ids(con) == [0, 1, 2, 3, 4, 5]
        assert len(set(transactions)) == 6
        # The group ran up to the failure, then every job ran again alone.
        assert seen == [0, 1, 2, -1, 0, 1, 2, -1, 3, 4, 5]
        assert len(rollbacks) == 3  # the group, then each failing job alone
    finally:
        writer.close()


def test_many_threads_submitting_are_all_acknowledged(con: duckdb.DuckDBPyConnection) -> None:
    writer = Writer(con.cursor(), group_max=16)
    results: dict[int, object] = {}
    lock = threading.Lock()

    def worker(n: int) -> None:
        for j in range(25):
            value = n * 100 + j
            txid = writer.run(insert(value))
            with lock:
                results[value] = txid

    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 300
        assert ids(con) == sorted(results)
        (total,) = con.cursor().execute("SELECT count(*) FROM t").fetchone() or (0,)
        assert total == 300
    finally:
        writer.close()


def test_close_finishes_queued_jobs_then_refuses_new_ones(
    con: duckdb.DuckDBPyConnection,
) -> None:
    writer = Writer(con.cursor())
    release, _ = hold(writer)
    futures = [writer.submit(insert(i)) for i in range(5)]
    closer = threading.Thread(target=writer.close)
    closer.start()
    release.set()
    closer.join(10)
    assert all(f.done() for f in futures)
    assert ids(con) == [0, 1, 2, 3, 4]
    with pytest.raises(StoreError, match="the store is closed"):
        writer.submit(insert(9))
    writer.close()  # closing twice is harmless


def test_a_job_submitted_while_closing_is_still_committed(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A submit that passed the closed check must not land behind the stop marker.
    gate, entered = threading.Event(), threading.Event()

    class GatedQueue(queue.Queue[object]):
        def put(self, item: object, block: bool = True, timeout: float | None = None) -> None:
            if item is not writer_module._STOP:
                entered.set()
                gate.wait(5)
            super().put(item, block, timeout)

    monkeypatch.setattr(
        writer_module, "queue", SimpleNamespace(Queue=GatedQueue, Empty=queue.Empty)
    )
    writer = Writer(con.cursor())
    futures: list[Future[object]] = []
    submitter = threading.Thread(target=lambda: futures.append(writer.submit(insert(7))))
    submitter.start()
    assert entered.wait(5)
    closer = threading.Thread(target=writer.close)
    closer.start()
    closer.join(0.2)  # close waits for the submit in flight
    gate.set()
    submitter.join(5)
    closer.join(5)
    assert not closer.is_alive()
    assert futures[0].result(2) is not None
    assert ids(con) == [7]


def test_housekeeping_waits_for_a_pause_or_for_its_turn(con: duckdb.DuckDBPyConnection) -> None:
    # A pause of an hour never comes during the test: housekeeping runs only when overdue,
    # every second group, however busy the queue.
    calls: list[list[int]] = []
    writer = Writer(
        con.cursor(),
        on_idle=lambda c: calls.append(ids(con)),
        idle_every=2,
        idle_after_s=3600,
    )
    try:
        for value in range(5):
            writer.run(insert(value))
    finally:
        writer.close()
    assert calls == [[0, 1], [0, 1, 2, 3]]


def test_housekeeping_runs_once_the_writer_is_idle(con: duckdb.DuckDBPyConnection) -> None:
    idle = threading.Event()
    writer = Writer(con.cursor(), on_idle=lambda c: idle.set(), idle_after_s=0.01)
    try:
        assert not idle.is_set()
        writer.run(insert(1))
        assert idle.wait(10)
    finally:
        writer.close()
