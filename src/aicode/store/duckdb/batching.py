"""Group commit that also merges queued ingest batches into one write per group."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import duckdb
import pyarrow as pa

from aicode.ingest.rows import NormalizedBatch
from aicode.store.base import IngestOutcome
from aicode.store.duckdb.arrow_rows import batch_tables
from aicode.store.duckdb.ingest import DuplicateFacts, FactWriter, WriteBatch
from aicode.store.duckdb.writer import Writer


class IngestJob:
    """A write job for one normalized batch; the writer may merge it with its neighbours."""

    def __init__(self, facts: FactWriter, org_num: int, batch: NormalizedBatch) -> None:
        self.facts = facts
        self.org_num = org_num
        self.batch = batch
        self._tables: dict[str, pa.Table] | None = None

    def prepare(self) -> None:
        """Build the batch's Arrow rows now, in the caller's thread, not the writer's."""
        self._tables = batch_tables(self.batch)

    def write_batch(self) -> WriteBatch:
        """The batch as the fact writer takes it."""
        if self._tables is None:
            self.prepare()
        assert self._tables is not None
        return WriteBatch(self.org_num, self._tables, self.batch.duplicates_in_batch)

    def __call__(self, con: duckdb.DuckDBPyConnection) -> IngestOutcome:
        """Write this batch alone, carefully (the retry path of a failed group)."""
        return self.facts.write(con, self.write_batch(), careful=True)


class BatchingWriter(Writer):
    """A Writer that runs the ingest jobs of a group as one merged write.

    The merged write is tried fast first; if a fact of the group was already stored, the
    group is rolled back and written carefully (see ``FactWriter``). If the merged write
    fails otherwise, each ingest job is retried alone, so a batch that the database refuses
    never takes the other batches of its group down with it.
    """

    def _commit_group(self, group: list[tuple[Any, Future[Any]]]) -> None:
        others = [(job, fut) for job, fut in group if not isinstance(job, IngestJob)]
        if others:
            super()._commit_group(others)
        ingest = [
            (job, fut)
            for job, fut in group
            if isinstance(job, IngestJob) and fut.set_running_or_notify_cancel()
        ]
        if not ingest:
            return
        facts = ingest[0][0].facts
        try:
            batches = [job.write_batch() for job, _ in ingest]
        except Exception:  # a batch that cannot even be laid out fails alone, below
            batches = []
        for careful in (False, True):
            if not batches:
                break
            try:
                self._con.execute("BEGIN TRANSACTION")
                outcomes = facts.write_many(self._con, batches, careful=careful)
                self._con.execute("COMMIT")
            except DuplicateFacts:
                self._rollback()
                continue
            except Exception:  # any other failure: one job at a time
                self._rollback()
                break
            for (_, fut), outcome in zip(ingest, outcomes, strict=True):
                fut.set_result(outcome)
            return
        for job, fut in ingest:
            self._commit_one(job, fut)
