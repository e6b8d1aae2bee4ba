"""Writing a normalized batch: resolve users, insert new facts once, fold them into rollups."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

import duckdb
import pyarrow as pa

from aicode.ingest.normalize import NormalizedBatch, TableRows
from aicode.store.base import IngestOutcome, Rejection
from aicode.store.duckdb.identity import IdentityCache, now_utc, resolve
from aicode.store.duckdb.rollups import CHILD_TABLE, ROLLUPS

_NUMBERED = pa.list_(
    pa.struct([("line", pa.int32()), ("fp", pa.string()), ("trivial", pa.bool_())])
)
_TYPES: Final[dict[str, pa.DataType]] = {
    "_index": pa.int32(),
    "ts": pa.timestamp("us"),
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
}
_PARENTS: Final = ("completions", "chats", "changes", "commits", "typing")


def _arrow(columns: dict[str, list[Any]]) -> pa.Table:
    return pa.table({name: pa.array(values, _TYPES.get(name)) for name, values in columns.items()})


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


class FactWriter:
    """Writes normalized batches inside the writer thread's transaction."""

    def __init__(self, cache: IdentityCache) -> None:
        self._cache = cache
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
        """Insert the batch's new facts and their rollups; report what happened."""
        outcome = IngestOutcome(duplicates=batch.duplicates_in_batch)
        refs, created, unknown = resolve(con, self._cache, org_num, batch.user_refs)
        outcome.users_created = created
        received = now_utc()
        for table in _PARENTS:
            rows = batch.tables.get(table)
            if rows is None or not len(rows):
                continue
            kept = self._attach_users(rows, refs, unknown, outcome, received)
            if kept is None:
                continue
            outcome.merge(self._insert(con, table, kept, batch, refs, unknown))
        return outcome

    def _attach_users(
        self,
        rows: TableRows,
        refs: dict[str, int],
        unknown: set[str],
        outcome: IngestOutcome,
        received: dt.datetime,
    ) -> dict[str, list[Any]] | None:
        columns = dict(rows.columns)
        if unknown:
            keep = [ref not in unknown for ref in columns["user_ref"]]
            for index, ref, ok in zip(columns["_index"], columns["user_ref"], keep, strict=True):
                if not ok:
                    outcome.rejected.append(
                        Rejection(index, "user", f"unknown user {ref!r}: not an email or known id")
                    )
            columns = {
                n: [v for v, ok in zip(vals, keep, strict=True) if ok]
                for n, vals in columns.items()
            }
            if not columns["user_ref"]:
                return None
        columns["user_num"] = [refs[r] for r in columns.pop("user_ref")]
        columns["received_at"] = [received] * len(columns["user_num"])
        return columns

    def _insert(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        columns: dict[str, list[Any]],
        batch: NormalizedBatch,
        refs: dict[str, int],
        unknown: set[str],
    ) -> IngestOutcome:
        total = len(columns["k"])
        con.register("batch_rows", _arrow(columns))
        try:
            inserted = con.execute(
                self._insert_sql(con, table, "batch_rows", columns)
                + " ON CONFLICT DO NOTHING RETURNING CAST(k AS VARCHAR)"
            ).fetchall()
            new_keys = pa.table({"k": pa.array([r[0] for r in inserted], pa.string())})
            con.register("new_keys", new_keys)
            con.execute(
                "CREATE OR REPLACE TEMP VIEW new_rows AS SELECT * FROM batch_rows"
                " WHERE k IN (SELECT k FROM new_keys)"
            )
            child = CHILD_TABLE.get(table)
            if child is not None:
                self._insert_children(con, child, batch, refs, unknown)
            for statement in ROLLUPS[table]:
                con.execute(statement)
        finally:
            for name in ("batch_rows", "new_keys", "batch_files"):
                with contextlib.suppress(duckdb.Error):
                    con.unregister(name)
        return IngestOutcome(accepted=len(inserted), duplicates=total - len(inserted))

    def _insert_children(
        self,
        con: duckdb.DuckDBPyConnection,
        child: str,
        batch: NormalizedBatch,
        refs: dict[str, int],
        unknown: set[str],
    ) -> None:
        rows = batch.tables.get(child)
        columns = dict(rows.columns) if rows is not None and len(rows) else None
        if columns is None:
            con.execute(f"CREATE OR REPLACE TEMP VIEW new_files AS SELECT * FROM {child} LIMIT 0")
            return
        if unknown:
            keep = [ref not in unknown for ref in columns["user_ref"]]
            columns = {
                n: [v for v, ok in zip(vals, keep, strict=True) if ok]
                for n, vals in columns.items()
            }
        columns["user_num"] = [refs[r] for r in columns.pop("user_ref")]
        con.register("batch_files", _arrow(columns))
        con.execute(
            "CREATE OR REPLACE TEMP VIEW new_files AS SELECT * FROM batch_files"
            " WHERE k IN (SELECT k FROM new_keys)"
        )
        con.execute(self._insert_sql(con, child, "new_files", columns))
