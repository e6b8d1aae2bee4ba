"""Writing normalized batches: resolve users, insert new facts once, fold them into rollups.

Several queued batches are written together (``write_many``): one INSERT per table and one
upsert per rollup for the whole group, which is what makes ingestion fast, while each batch
still gets its own exact counts of stored, duplicate and rejected facts.

A write is first tried *fast*: a plain INSERT into each keyed fact table, which assumes no
fact of the group is stored yet (the usual case) and costs a fraction of an
``ON CONFLICT DO NOTHING RETURNING``. If the primary key refuses a row, the fast write raises
``DuplicateFacts``; the writer rolls the whole group back and writes it again *carefully*,
keeping the stored copy of each resent fact and counting it as a duplicate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from aicode.store.base import IngestOutcome, Rejection
from aicode.store.duckdb import dirty_spans
from aicode.store.duckdb.attribution import Attributor
from aicode.store.duckdb.catalog import table_columns
from aicode.store.duckdb.compaction import DirtyDays, compact
from aicode.store.duckdb.identity import IdentityCache, now_utc, resolve
from aicode.store.duckdb.rollups import CHILD_TABLE, ROLLUPS, rollup_target

# Changes before commits before rewrites: server-side attribution sees each one's predecessors.
_PARENTS = ("completions", "chats", "changes", "commits", "typing", "rewrites")


class DuplicateFacts(Exception):
    """A fast write met a fact that is already stored: the group must be written carefully."""


class WriteBatch:
    """One batch to write: its organization, Arrow rows per table and in-batch repeats."""

    def __init__(self, org_num: int, tables: dict[str, pa.Table], duplicates: int) -> None:
        self.org_num = org_num
        self.tables = tables
        self.duplicates = duplicates


class _Job:
    """One batch of the group and its running outcome."""

    def __init__(self, batch: WriteBatch) -> None:
        self.org_num = batch.org_num
        self.tables = batch.tables
        self.outcome = IngestOutcome(duplicates=batch.duplicates)
        self.refs = pa.array([], pa.string())
        self.nums = pa.array([], pa.int64())

    def user_refs(self) -> list[str]:
        """Every user reference the batch names."""
        refs: set[str] = set()
        for rows in self.tables.values():
            refs.update(pc.unique(rows["user_ref"]).to_pylist())
        return sorted(refs)


class FactWriter:
    """Writes normalized batches inside the writer thread's transaction."""

    def __init__(self, cache: IdentityCache, attributor: Attributor | None = None) -> None:
        self._cache = cache
        self._attributor = attributor or Attributor(window_days=30)
        self._columns: dict[str, list[str]] = {}
        self.dirty = DirtyDays()
        self._group_dirty = DirtyDays()  # this group's spans, recorded with its rows

    def compact(self, con: duckdb.DuckDBPyConnection) -> int:
        """Fold the rollup rows appended since the last compaction (own transaction)."""
        return compact(con, self.dirty)

    def _mark_dirty(self, table: str, rows: pa.Table) -> None:
        bounds = pc.min_max(rows["ts"]).as_py()
        first, last = bounds["min"].date(), bounds["max"].date()
        for org_num in pc.unique(rows["org_num"]).to_pylist():
            for statement in ROLLUPS[table]:
                self.dirty.add(rollup_target(statement), org_num, first, last)
                self._group_dirty.add(rollup_target(statement), org_num, first, last)

    def _insert_sql(
        self, con: duckdb.DuckDBPyConnection, table: str, source: str, given: Iterable[str]
    ) -> str:
        if table not in self._columns:
            self._columns[table] = table_columns(con, table)
        present = set(given)
        names = [c for c in self._columns[table] if c in present]
        select = ", ".join("CAST(k AS UUID)" if c == "k" else c for c in names)
        return f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {source}"

    def write(
        self, con: duckdb.DuckDBPyConnection, batch: WriteBatch, *, careful: bool = True
    ) -> IngestOutcome:
        """Insert one batch's new facts and their rollups."""
        return self.write_many(con, [batch], careful=careful)[0]

    def write_many(
        self, con: duckdb.DuckDBPyConnection, batches: list[WriteBatch], *, careful: bool
    ) -> list[IngestOutcome]:
        """Insert several batches at once; each gets its own outcome.

        Not ``careful``: raises ``DuplicateFacts`` (leaving the transaction to be rolled
        back) as soon as one fact turns out to be stored already.
        """
        jobs = [_Job(batch) for batch in batches]
        self._group_dirty = DirtyDays()
        for job in jobs:
            found, created, _ = resolve(con, self._cache, job.org_num, job.user_refs())
            job.refs = pa.array(list(found), pa.string())
            job.nums = pa.array(list(found.values()), pa.int64())
            job.outcome.users_created = created
        received = now_utc()
        for table in _PARENTS:
            self._write_table(con, table, jobs, received, careful=careful)
        dirty_spans.record(con, self._group_dirty.as_rows())  # one INSERT, same transaction
        return [job.outcome for job in jobs]

    def _rows(self, jobs: list[_Job], table: str, received: dt.datetime | None) -> pa.Table | None:
        """The table's rows of every job, with ``user_num`` and the job number (``_job``).

        Rows naming nobody are dropped; top-level facts among them are reported as rejected.
        """
        parts: list[pa.Table] = []
        for number, job in enumerate(jobs):
            rows = job.tables.get(table)
            if rows is None or not rows.num_rows:
                continue
            user_num = pc.take(job.nums, pc.index_in(rows["user_ref"], value_set=job.refs))
            if user_num.null_count:
                known = pc.is_valid(user_num)
                if "_index" in rows.column_names:
                    # Facts are reported by batch index; their file rows simply go with them.
                    unknown = rows.filter(pc.invert(known))
                    job.outcome.rejected.extend(
                        Rejection(index, "user", f"unknown user {ref!r}: not an email or known id")
                        for index, ref in zip(
                            unknown["_index"].to_pylist(),
                            unknown["user_ref"].to_pylist(),
                            strict=True,
                        )
                    )
                rows, user_num = rows.filter(known), user_num.filter(known)
                if not rows.num_rows:
                    continue
            count = rows.num_rows
            rows = rows.append_column("user_num", user_num)
            rows = rows.append_column("_job", pa.array([number] * count, pa.int32()))
            if received is not None:
                rows = rows.append_column(
                    "received_at", pa.array([received] * count, pa.timestamp("us"))
                )
            parts.append(rows)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts)

    def _write_table(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        jobs: list[_Job],
        received: dt.datetime,
        *,
        careful: bool,
    ) -> None:
        rows = self._rows(jobs, table, received)
        if rows is None:
            return
        repeated = pc.count_distinct(rows["k"]).as_py() < rows.num_rows
        if repeated:
            rows = _first_copies(rows, jobs)
        con.register("batch_rows", rows)
        try:
            sql = self._insert_sql(con, table, "batch_rows", rows.column_names)
            if careful:
                inserted = con.execute(
                    sql + " ON CONFLICT DO NOTHING RETURNING replace(CAST(k AS VARCHAR), '-', '')"
                ).fetchall()
                is_new = pc.is_in(
                    rows["k"], value_set=pa.array([r[0] for r in inserted], pa.string())
                )
                new_rows = rows.filter(is_new)
                resent = rows.filter(pc.invert(is_new))
                for owner, count in Counter(resent["_job"].to_pylist()).items():
                    jobs[owner].outcome.duplicates += count
            else:
                try:
                    con.execute(sql)
                except duckdb.ConstraintException as exc:
                    raise DuplicateFacts(str(exc)) from exc
                new_rows = rows
            for owner, count in Counter(new_rows["_job"].to_pylist()).items():
                jobs[owner].outcome.accepted += count
            con.register("new_rows", new_rows)
            child = CHILD_TABLE.get(table)
            exact = new_rows.num_rows == rows.num_rows and not repeated
            has_files = child is not None and self._insert_children(
                con, child, jobs, None if exact else new_rows
            )
            for statement in ROLLUPS[table]:
                if has_files or "new_files" not in statement:
                    con.execute(statement)
            if new_rows.num_rows and ROLLUPS[table]:
                self._mark_dirty(table, new_rows)
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
        stored: pa.Table | None,
    ) -> bool:
        """Insert the files of newly stored facts; False when the batch has no files.

        ``stored``: the parent rows stored, when not every row sent was; a fact sent twice
        in one group keeps only the files of the copy that was stored (same ``k`` and job).
        """
        files = self._rows(jobs, child, None)
        if files is None:
            return False
        if stored is not None:
            wanted = set(zip(stored["k"].to_pylist(), stored["_job"].to_pylist(), strict=True))
            keep = [
                pair in wanted
                for pair in zip(files["k"].to_pylist(), files["_job"].to_pylist(), strict=True)
            ]
            files = files.filter(pa.array(keep, pa.bool_()))
        con.register("new_files", files)
        con.execute(self._insert_sql(con, child, "new_files", files.column_names))
        return True


def _first_copies(rows: pa.Table, jobs: list[_Job]) -> pa.Table:
    """Keep the first copy of each fact sent more than once in a group; count the others."""
    first: dict[str, int] = {}
    owners = rows["_job"].to_pylist()
    for position, key in enumerate(rows["k"].to_pylist()):
        if first.setdefault(key, position) != position:
            jobs[owners[position]].outcome.duplicates += 1
    return rows.take(pa.array(sorted(first.values()), pa.int64()))
