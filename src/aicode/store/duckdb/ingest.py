"""Writing normalized batches: resolve users, insert new facts once, fold them into rollups.

Several queued batches are written together (``write_many``): one INSERT per table and one
upsert per rollup for the whole group, which is what makes ingestion fast, while each batch
still gets its own exact counts of stored, duplicate and rejected facts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from aicode.ingest.normalize import NormalizedBatch
from aicode.store.base import IngestOutcome, Rejection
from aicode.store.duckdb.attribution import Attributor
from aicode.store.duckdb.identity import IdentityCache, now_utc, resolve
from aicode.store.duckdb.rollups import CHILD_TABLE, ROLLUPS

_NUMBERED = pa.list_(
    pa.struct([("line", pa.int32()), ("fp", pa.string()), ("trivial", pa.bool_())])
)
_TYPES: Final[dict[str, pa.DataType]] = {
    "ts": pa.timestamp("us"),
    "committed_at": pa.timestamp("us"),
    "received_at": pa.timestamp("us"),
    "org_num": pa.int32(),
    "user_num": pa.int64(),
    "added_fingerprints": pa.list_(pa.string()),
    "deleted_fingerprints": pa.list_(pa.string()),
    "parents": pa.list_(pa.string()),
    "added_lines": _NUMBERED,
    "deleted_lines": _NUMBERED,
    "is_primary_branch": pa.bool_(),
    "conversation_id": pa.string(),
    "branch": pa.string(),
    "message": pa.string(),
    "old_path": pa.string(),
    "range_annotations": pa.string(),
    "repo": pa.string(),
}
# Changes before commits before rewrites: server-side attribution sees each one's predecessors.
_PARENTS: Final = ("completions", "chats", "changes", "commits", "typing", "rewrites")
_INTERNAL: Final = ("_index", "_job", "user_ref")


def _arrow(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.table(
        {
            name: pa.array(values, _TYPES.get(name))
            for name, values in columns.items()
            if name not in _INTERNAL
        }
    )


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


class _Job:
    """One batch of the group: its organization, rows and running outcome."""

    def __init__(self, org_num: int, batch: NormalizedBatch) -> None:
        self.org_num = org_num
        self.batch = batch
        self.outcome = IngestOutcome(duplicates=batch.duplicates_in_batch)
        self.refs: dict[str, int] = {}
        self.unknown: set[str] = set()


class FactWriter:
    """Writes normalized batches inside the writer thread's transaction."""

    def __init__(self, cache: IdentityCache, attributor: Attributor | None = None) -> None:
        self._cache = cache
        self._attributor = attributor or Attributor(window_days=30)
        self._columns: dict[str, list[str]] = {}

    def _insert_sql(
        self, con: duckdb.DuckDBPyConnection, table: str, source: str, given: Iterable[str]
    ) -> str:
        if table not in self._columns:
            self._columns[table] = _table_columns(con, table)
        present = set(given)
        names = [c for c in self._columns[table] if c in present]
        select = ", ".join("CAST(k AS UUID)" if c == "k" else c for c in names)
        return f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {source}"

    def write(
        self, con: duckdb.DuckDBPyConnection, org_num: int, batch: NormalizedBatch
    ) -> IngestOutcome:
        """Insert one batch's new facts and their rollups."""
        return self.write_many(con, [(org_num, batch)])[0]

    def write_many(
        self, con: duckdb.DuckDBPyConnection, batches: list[tuple[int, NormalizedBatch]]
    ) -> list[IngestOutcome]:
        """Insert several batches at once; each gets its own outcome."""
        jobs = [_Job(org_num, batch) for org_num, batch in batches]
        for job in jobs:
            job.refs, created, job.unknown = resolve(
                con, self._cache, job.org_num, job.batch.user_refs
            )
            job.outcome.users_created = created
        received = now_utc()
        for table in _PARENTS:
            self._write_table(con, table, jobs, received)
        return [job.outcome for job in jobs]

    def _rows(
        self, jobs: list[_Job], table: str, received: dt.datetime | None
    ) -> tuple[dict[str, list[Any]], list[int]]:
        """The table's rows of every job, users attached, plus each row's job number."""
        merged: dict[str, list[Any]] = {}
        owners: list[int] = []
        for number, job in enumerate(jobs):
            rows = job.batch.tables.get(table)
            if rows is None or not len(rows):
                continue
            columns = rows.columns
            if job.unknown:
                keep = [ref not in job.unknown for ref in columns["user_ref"]]
                if "_index" in columns:
                    # Facts are reported by batch index; their file rows simply go with them.
                    job.outcome.rejected.extend(
                        Rejection(index, "user", f"unknown user {ref!r}: not an email or known id")
                        for index, ref, ok in zip(
                            columns["_index"], columns["user_ref"], keep, strict=True
                        )
                        if not ok
                    )
                columns = {
                    name: [v for v, ok in zip(values, keep, strict=True) if ok]
                    for name, values in columns.items()
                }
            for name, values in columns.items():
                merged.setdefault(name, []).extend(values)
            merged.setdefault("user_num", []).extend(job.refs[r] for r in columns["user_ref"])
            count = len(columns["user_ref"])
            if received is not None:
                merged.setdefault("received_at", []).extend([received] * count)
            owners.extend([number] * count)
        return merged, owners

    def _write_table(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        jobs: list[_Job],
        received: dt.datetime,
    ) -> None:
        columns, owners = self._rows(jobs, table, received)
        if not owners:
            return
        # A fact sent in two batches of the same group is stored once, for the first batch.
        first: dict[str, int] = {}
        for position, key in enumerate(columns["k"]):
            first.setdefault(key, position)
        if len(first) < len(owners):
            kept = sorted(first.values())
            for position, key in enumerate(columns["k"]):
                if first[key] != position:
                    jobs[owners[position]].outcome.duplicates += 1
            columns = {name: [values[p] for p in kept] for name, values in columns.items()}
            owners = [owners[p] for p in kept]
        rows = _arrow(columns)
        con.register("batch_rows", rows)
        try:
            inserted = con.execute(
                self._insert_sql(con, table, "batch_rows", columns)
                + " ON CONFLICT DO NOTHING RETURNING replace(CAST(k AS VARCHAR), '-', '')"
            ).fetchall()
            new_keys = pa.array([r[0] for r in inserted], pa.string())
            is_new = pc.is_in(rows["k"], value_set=new_keys)
            new_rows = rows.filter(is_new)
            con.register("new_rows", new_rows)
            for owner, new in zip(owners, is_new.to_pylist(), strict=True):
                if new:
                    jobs[owner].outcome.accepted += 1
                else:
                    jobs[owner].outcome.duplicates += 1
            child = CHILD_TABLE.get(table)
            stored_by = {
                key: owner
                for key, owner, new in zip(columns["k"], owners, is_new.to_pylist(), strict=True)
                if new
            }
            has_files = child is not None and self._insert_children(con, child, jobs, stored_by)
            for statement in ROLLUPS[table]:
                if has_files or "new_files" not in statement:
                    con.execute(statement)
            # Server-side attribution (issue 7) of what the new facts affect.
            self._attributor.after_insert(con, table, new_rows)
        finally:
            for name in ("batch_rows", "new_rows", "new_files"):
                with contextlib.suppress(duckdb.Error):
                    con.unregister(name)

    def _insert_children(
        self,
        con: duckdb.DuckDBPyConnection,
        child: str,
        jobs: list[_Job],
        stored_by: dict[str, int],
    ) -> bool:
        """Insert the files of newly stored facts; False when the batch has no files.

        ``stored_by`` maps each newly stored fact to the batch whose copy was stored: a fact
        sent twice in one group keeps only that copy's files.
        """
        columns, owners = self._rows(jobs, child, None)
        if not columns:
            return False
        keep = pa.array(
            [stored_by.get(key) == owner for key, owner in zip(columns["k"], owners, strict=True)]
        )
        files = _arrow(columns).filter(keep)
        con.register("new_files", files)
        con.execute(self._insert_sql(con, child, "new_files", columns))
        return True
