"""One writer thread owning the write connection; queued writes are group-committed."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import duckdb

from aicode.errors import StoreError

T = TypeVar("T")
WriteJob = Callable[[duckdb.DuckDBPyConnection], Any]

log = logging.getLogger(__name__)

_STOP = object()


class Writer:
    """Runs write jobs one thread at a time; a job's future resolves only after COMMIT.

    Jobs waiting in the queue are committed together (group commit): one transaction and one
    WAL sync for many requests. If any job of a group fails, the group is rolled back and each
    job is retried alone, so one bad job never takes its neighbours' data down with it.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        group_max: int = 64,
        on_rollback: Callable[[], None] | None = None,
        on_idle: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
        idle_every: int = 0,
        idle_after_s: float = 0.0,
    ) -> None:
        """``on_idle`` runs once no job has arrived for ``idle_after_s`` after a group, and
        (``idle_every`` > 0) at the latest after that many groups, so housekeeping keeps up
        under sustained load without delaying clients that pause briefly between requests."""
        self._con = con
        self._idle_every = idle_every
        self._idle_after_s = idle_after_s
        self._groups_since_idle = 0
        self._on_rollback = on_rollback
        self._on_idle = on_idle
        self._group_max = max(1, group_max)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="aicode-writer", daemon=True)
        # Guards `_closed` and the queue together, so no job lands behind the stop marker.
        self._lock = threading.Lock()
        self._closed = False
        self._thread.start()

    def submit(self, job: Callable[[duckdb.DuckDBPyConnection], T]) -> Future[T]:
        """Queue a job; its future carries the job's result once committed."""
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            self._queue.put((job, future))
        return future

    def run(self, job: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run a job and wait for its commit."""
        return self.submit(job).result()

    def close(self) -> None:
        """Finish queued jobs and stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()

    def _next(self) -> Any:
        """The next queued item; housekeeping first if the writer has been idle long enough."""
        if self._on_idle is None or not self._groups_since_idle:
            return self._queue.get()
        try:
            return self._queue.get(timeout=self._idle_after_s)
        except queue.Empty:
            self._groups_since_idle = 0
            self._idle()
            return self._queue.get()

    def _run(self) -> None:
        while True:
            item = self._next()
            if item is _STOP:
                return
            group = [item]
            stop = False
            while len(group) < self._group_max:
                try:
                    extra = self._queue.get_nowait()
                except queue.Empty:
                    break
                if extra is _STOP:
                    stop = True
                    break
                group.append(extra)
            self._commit_group(group)
            if stop:
                return
            self._groups_since_idle += 1
            if self._on_idle is not None and 0 < self._idle_every <= self._groups_since_idle:
                self._groups_since_idle = 0
                self._idle()

    def _idle(self) -> None:
        # Housekeeping (compaction, a checkpoint) runs when no write has come for a while, or
        # when it is overdue under sustained load.
        assert self._on_idle is not None
        try:
            self._on_idle(self._con)
        except duckdb.Error:
            log.warning("idle housekeeping failed", exc_info=True)

    def _commit_group(self, group: list[tuple[WriteJob, Future[Any]]]) -> None:
        live = [(job, fut) for job, fut in group if fut.set_running_or_notify_cancel()]
        if not live:
            return
        if len(live) > 1:
            try:
                self._con.execute("BEGIN TRANSACTION")
                results = [job(self._con) for job, _ in live]
                self._con.execute("COMMIT")
            except Exception:  # any failure: fall back to one job at a time
                self._rollback()
            else:
                for (_, fut), result in zip(live, results, strict=True):
                    fut.set_result(result)
                return
        for job, fut in live:
            self._commit_one(job, fut)

    def _commit_one(self, job: WriteJob, fut: Future[Any]) -> None:
        try:
            self._con.execute("BEGIN TRANSACTION")
            result = job(self._con)
            self._con.execute("COMMIT")
        except Exception as exc:  # the caller receives the exception
            self._rollback()
            fut.set_exception(exc)
        else:
            fut.set_result(result)

    def _rollback(self) -> None:
        try:
            self._con.execute("ROLLBACK")
        except duckdb.Error:
            log.debug("rollback after failure found no open transaction")
        if self._on_rollback is not None:
            self._on_rollback()
