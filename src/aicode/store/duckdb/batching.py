"""Group commit that also merges queued ingest batches into one write per group."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import duckdb

from aicode.ingest.normalize import NormalizedBatch
from aicode.store.base import IngestOutcome
from aicode.store.duckdb.ingest import FactWriter
from aicode.store.duckdb.writer import Writer


class IngestJob:
    """A write job for one normalized batch; the writer may merge it with its neighbours."""

    def __init__(self, facts: FactWriter, org_num: int, batch: NormalizedBatch) -> None:
        self.facts = facts
        self.org_num = org_num
        self.batch = batch

    def __call__(self, con: duckdb.DuckDBPyConnection) -> IngestOutcome:
        """Write this batch alone."""
        return self.facts.write(con, self.org_num, self.batch)


class BatchingWriter(Writer):
    """A Writer that runs the ingest jobs of a group as one merged write.

    If the merged write fails, each ingest job is retried alone, so a batch that the database
    refuses never takes the other batches of its group down with it.
    """

    def _commit_group(self, group: list[tuple[Any, Future[Any]]]) -> None:
        ingest = [(job, fut) for job, fut in group if isinstance(job, IngestJob)]
        if len(ingest) < 2:
            super()._commit_group(group)
            return
        others = [(job, fut) for job, fut in group if not isinstance(job, IngestJob)]
        facts = ingest[0][0].facts
        batches = [(job.org_num, job.batch) for job, _ in ingest]

        def merged(con: duckdb.DuckDBPyConnection) -> list[IngestOutcome]:
            return facts.write_many(con, batches)

        merged_future: Future[list[IngestOutcome]] = Future()
        super()._commit_group([(merged, merged_future), *others])
        if merged_future.exception() is None:
            for (_, fut), outcome in zip(ingest, merged_future.result(), strict=True):
                if fut.set_running_or_notify_cancel():
                    fut.set_result(outcome)
            return
        for job, fut in ingest:
            super()._commit_group([(job, fut)])
