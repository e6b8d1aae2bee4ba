"""DuckDBStore: the default backend, in one file, for one server process."""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb
import pyarrow as pa
import sqlglot.expressions as exp

from aicode.errors import StoreError
from aicode.ingest.normalize import normalize
from aicode.model.facts import Fact
from aicode.model.tenancy import Department, Organization, Scope, Token, User
from aicode.store.base import DirectoryResult, IngestOutcome, PersonRecord, Store
from aicode.store.duckdb import bulk, keys, tenancy
from aicode.store.duckdb.attribution import Attributor
from aicode.store.duckdb.batching import BatchingWriter, IngestJob
from aicode.store.duckdb.compaction import DirtyDays, fold
from aicode.store.duckdb.dirty_spans import bulk_spans, record, recorded
from aicode.store.duckdb.identity import IdentityCache, normalize_alias
from aicode.store.duckdb.ingest import FactWriter
from aicode.store.duckdb.schema import FACT_TABLES, migrate

T = TypeVar("T")

CHECKPOINT_THRESHOLD = "1GB"
IDLE_CHECKPOINT_WAL = 64 * 1024 * 1024
# Under sustained ingest the writer is never idle: compact the rollups at least this often.
COMPACT_EVERY_GROUPS = 32
# Clients that post back to back leave the queue empty for a moment between requests; only a
# longer pause counts as idle (housekeeping then never delays a request that was on its way).
IDLE_AFTER_S = 0.2


class DuckDBStore(Store):
    """Facts, rollups and tenancy in one DuckDB file.

    DuckDB allows one process per file, so the server owns it: writes go through a single
    writer thread (group-committed), reads run on per-thread cursors that see committed data.
    """

    dialect: ClassVar[str] = "duckdb"
    capabilities: ClassVar[frozenset[str]] = frozenset(
        {"exact_distinct", "upsert", "embedded", "arrow"}
    )

    def __init__(
        self,
        path: str,
        *,
        group_commit_max: int = 64,
        read_threads: int = 8,
        attribution_window_days: int = 30,
    ) -> None:
        self.path = path
        # DuckDB parallelizes each query itself; bounding concurrent readers keeps a burst of
        # requests from multiplying memory instead of finishing sooner.
        self._read_slots = threading.BoundedSemaphore(max(1, read_threads))
        self._read_threads = max(1, read_threads)
        self._pool: ThreadPoolExecutor | None = None  # for query_all, made on first use
        self._pool_lock = threading.Lock()
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(path)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self._cache = IdentityCache()
        try:
            self._version = migrate(self._con)
            self._facts = self._catch_up(attribution_window_days)
        except BaseException:
            self._con.close()  # a store that failed to open must not keep the file
            raise
        self._writer = BatchingWriter(
            self._con.cursor(),
            group_max=group_commit_max,
            on_rollback=self._cache.clear,
            on_idle=self._housekeeping,
            idle_every=COMPACT_EVERY_GROUPS,
            idle_after_s=IDLE_AFTER_S,
        )
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._closed = False

    def _catch_up(self, attribution_window_days: int) -> FactWriter:
        """Catch up on what a previous process left, reading no more than it recorded."""
        # A checkpoint inside a COMMIT stalls that request; let the WAL grow and checkpoint
        # when the writer is idle instead (see _checkpoint_when_idle).
        self._con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
        attributor = Attributor(attribution_window_days)
        # Commits stored before server-side attribution: once per store, then remembered.
        attributor.backfill(self._con)
        facts = FactWriter(self._cache, attributor)
        # Rollup rows left partial by a previous process are folded now: the spans it
        # recorded say where, so no rollup is scanned (dirty_spans.py).
        facts.dirty = DirtyDays(recorded(self._con))
        facts.compact(self._con)
        return facts

    # plumbing --------------------------------------------------------------------------
    def _reader(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            if self._closed:
                raise StoreError("the store is closed")
            cursor = self._con.cursor()
            self._local.cursor = cursor
            with self._cursors_lock:
                self._cursors.append(cursor)
        return cursor

    def _housekeeping(self, con: duckdb.DuckDBPyConnection) -> None:
        # Compaction first: the checkpoint then writes the folded rollups.
        self._facts.compact(con)
        self._checkpoint_when_idle(con)

    def _checkpoint_when_idle(self, con: duckdb.DuckDBPyConnection) -> None:
        wal = Path(self.path + ".wal")
        if self.path != ":memory:" and wal.exists() and wal.stat().st_size > IDLE_CHECKPOINT_WAL:
            con.execute("CHECKPOINT")

    def _write(self, job: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        return self._writer.run(job)

    def close(self) -> None:
        """Stop the writer, checkpoint and close the file."""
        if self._closed:
            return
        self._writer.close()
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        with self._cursors_lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
        try:
            self._facts.compact(self._con)
            self._con.execute("CHECKPOINT")
        finally:
            self._con.close()

    def schema_version(self) -> int:
        """The schema version the file is at."""
        return self._version

    # tenancy ---------------------------------------------------------------------------
    def create_organization(self, name: str) -> Organization:
        """Create an organization."""
        return self._write(lambda con: tenancy.create_organization(con, name))

    def get_organization(self, org_id: str) -> Organization | None:
        """The organization with this public id."""
        row = (
            self._reader()
            .execute(
                "SELECT org_num, id, name, created_at FROM organizations WHERE id = ?", [org_id]
            )
            .fetchone()
        )
        return tenancy.org_from_row(row) if row else None

    def list_organizations(self) -> list[Organization]:
        """Every organization, oldest first."""
        rows = (
            self._reader()
            .execute("SELECT org_num, id, name, created_at FROM organizations ORDER BY org_num")
            .fetchall()
        )
        return [tenancy.org_from_row(r) for r in rows]

    def create_token(
        self, org: Organization, name: str, scopes: Sequence[Scope]
    ) -> tuple[Token, str]:
        """Create a token and return its one-time secret."""
        return self._write(lambda con: tenancy.create_token(con, org, name, scopes))

    def authenticate(self, secret: str) -> Token | None:
        """The live token with this secret."""
        row = (
            self._reader()
            .execute(
                f"SELECT {tenancy.TOKEN_COLUMNS} FROM tokens t JOIN organizations o"
                " ON t.org_num = o.org_num WHERE t.secret_hash = ? AND t.revoked_at IS NULL",
                [tenancy.hash_secret(secret)],
            )
            .fetchone()
        )
        return tenancy.token_from_row(row) if row else None

    def list_tokens(self, org: Organization) -> list[Token]:
        """An organization's live tokens."""
        rows = (
            self._reader()
            .execute(
                f"SELECT {tenancy.TOKEN_COLUMNS} FROM tokens t JOIN organizations o"
                " ON t.org_num = o.org_num WHERE t.org_num = ? AND t.revoked_at IS NULL"
                " ORDER BY t.created_at",
                [org.num],
            )
            .fetchall()
        )
        return [tenancy.token_from_row(r) for r in rows]

    def revoke_token(self, org: Organization, token_id: str) -> bool:
        """Revoke a token of this organization."""

        def job(con: duckdb.DuckDBPyConnection) -> bool:
            rows = con.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND org_num = ?"
                " AND revoked_at IS NULL RETURNING id",
                [tenancy.now_utc(), token_id, org.num],
            ).fetchall()
            return bool(rows)

        return self._write(job)

    def fingerprint_key(self, org: Organization) -> bytes:
        """The organization's line-fingerprint key."""
        key = keys.read_fingerprint_key(self._reader(), org.num)
        if key is not None:
            return key
        # Only an organization created outside this store's API can lack one.
        return self._write(lambda con: keys.ensure_fingerprint_key(con, org.num))

    # directory -------------------------------------------------------------------------
    def import_people(self, org: Organization, people: Sequence[PersonRecord]) -> DirectoryResult:
        """Create or update people in bulk."""
        return self._write(lambda con: tenancy.import_people(con, self._cache, org, people))

    def ensure_department(self, org: Organization, path: str) -> Department:
        """The department at a path, created if missing."""
        return self._write(lambda con: tenancy.ensure_department(con, org, path)[0])

    def list_departments(self, org: Organization) -> list[Department]:
        """Every department, parents first."""
        rows = (
            self._reader()
            .execute(
                f"SELECT {tenancy.DEPARTMENT_COLUMNS} FROM departments d"
                " LEFT JOIN departments p ON d.parent_num = p.dept_num"
                " WHERE d.org_num = ? ORDER BY d.path",
                [org.num],
            )
            .fetchall()
        )
        return [tenancy.department_from_row(r) for r in rows]

    def get_department(self, org: Organization, department_id: str) -> Department | None:
        """A department of this organization by id."""
        row = (
            self._reader()
            .execute(
                f"SELECT {tenancy.DEPARTMENT_COLUMNS} FROM departments d"
                " LEFT JOIN departments p ON d.parent_num = p.dept_num"
                " WHERE d.org_num = ? AND d.id = ?",
                [org.num, department_id],
            )
            .fetchone()
        )
        return tenancy.department_from_row(row) if row else None

    def list_users(self, org: Organization) -> list[User]:
        """Every user of an organization."""
        rows = (
            self._reader()
            .execute(
                f"SELECT {tenancy.USER_COLUMNS} FROM {tenancy.USER_FROM}"
                " WHERE u.org_num = ? ORDER BY u.user_num",
                [org.num],
            )
            .fetchall()
        )
        return [tenancy.user_from_row(r) for r in rows]

    def find_user(self, org: Organization, ref: str) -> User | None:
        """Resolve any identity of a person."""
        row = (
            self._reader()
            .execute(
                f"SELECT {tenancy.USER_COLUMNS} FROM user_aliases a JOIN {tenancy.USER_FROM}"
                " ON a.user_num = u.user_num WHERE a.org_num = ? AND a.alias = ?",
                [org.num, normalize_alias(ref)],
            )
            .fetchone()
        )
        return tenancy.user_from_row(row) if row else None

    def add_alias(self, org: Organization, user: User, alias: str) -> None:
        """Make another identity name this user."""
        self._write(lambda con: tenancy.add_alias(con, self._cache, org, user.num, alias))

    # facts -----------------------------------------------------------------------------
    def ingest(self, org: Organization, facts: Sequence[tuple[int, Fact]]) -> IngestOutcome:
        """Validate, resolve and store facts; returns after they are committed."""
        batch = normalize(org.num, facts)
        outcome = IngestOutcome(rejected=list(batch.rejected))
        if batch.tables:
            job = IngestJob(self._facts, org.num, batch)
            job.prepare()  # Arrow conversion here, outside the writer thread
            outcome.merge(self._writer.run(job))
        else:
            outcome.duplicates += batch.duplicates_in_batch
        outcome.rejected.sort(key=lambda r: r.index)
        return outcome

    def load_bulk_history(
        self, history: bulk.BulkHistory, on_day: bulk.DayDone | None = None
    ) -> dict[str, int]:
        """Generate and store a history in SQL, one committed day at a time; rows per table.

        For benchmarks (``aicode.bench``): see ``store/duckdb/bulk.py``.
        """
        totals = dict.fromkeys(FACT_TABLES, 0)
        self._write(lambda con: bulk.prepare_people(con, history))
        try:
            for number in range(history.days):
                load = functools.partial(self._load_day, history=history, number=number)
                rows = self._write(load)
                for table, count in rows.items():
                    totals[table] += count
                if on_day is not None:
                    on_day(number + 1, dict(totals))
        finally:
            self._write(bulk.drop_scratch)
        self.compact_rollups()
        return totals

    def _load_day(
        self, con: duckdb.DuckDBPyConnection, history: bulk.BulkHistory, number: int
    ) -> dict[str, int]:
        """Load one bulk day and record, in its transaction, the spans it may leave partial."""
        day = history.day(number)
        spans = bulk_spans(con, history.org_num, day, day)  # asked before the day's rows land
        rows = bulk.load_day(con, history, number)
        record(con, spans)
        for span in spans:
            self._facts.dirty.add(*span)
        return rows

    def compact_rollups(self) -> None:
        """Fold the rollups' partial rows now (the writer does it when idle anyway)."""
        folded = self._write(lambda con: fold(con, self._facts.dirty))
        self._write(lambda con: self._facts.dirty.forget(folded))

    # queries ---------------------------------------------------------------------------
    def render(self, query: exp.Expr) -> str:
        """DuckDB SQL for an expression."""
        # copy=False: the generator would otherwise deep-copy the whole tree first (a tenth
        # of a usage page's time with its IN lists); every query is built afresh per call.
        return query.sql(dialect="duckdb", copy=False)

    def query(self, query: exp.Expr) -> list[dict[str, Any]]:
        """Rows of a read expression as dicts."""
        with self._read_slots:
            cursor = self._reader().execute(self.render(query))
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def query_all(self, queries: Sequence[exp.Expr]) -> list[list[dict[str, Any]]]:
        """Rows of independent read expressions, in order, run side by side.

        Small queries spend much of their time in single-threaded steps (planning, the final
        merge, fetching), so a second core takes another query meanwhile. The pool's threads
        live as long as the store, so their cursors are as many as its read slots.
        """
        if len(queries) < 2:
            return [self.query(query) for query in queries]
        with self._pool_lock:
            if self._pool is None:
                if self._closed:
                    raise StoreError("the store is closed")
                self._pool = ThreadPoolExecutor(
                    max_workers=self._read_threads, thread_name_prefix="aicode-read"
                )
        return list(self._pool.map(self.query, queries))

    def query_arrow(self, query: exp.Expr) -> pa.Table:
        """A read expression's result as an Arrow table."""
        with self._read_slots, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return self._reader().execute(self.render(query)).to_arrow_table()
