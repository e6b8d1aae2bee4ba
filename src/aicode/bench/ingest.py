"""Ingest bench: HTTP ingestion from client processes versus a bare DuckDB bulk append.

HTTP: ``clients`` spawned processes post their spool files to the server at once; every
request is answered only after its facts are committed (group commit), so the rate counts
durable acknowledgements. The clock runs from the moment all clients are connected and
released until the last answer.

Bare: the same rows, read back from the store, appended as Arrow tables to plain tables (no
keys, no rollups, no parsing) in a separate DuckDB file; only the INSERT statements are
timed. It is the ceiling: what DuckDB itself costs for these rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import multiprocessing
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa
import sqlglot

from aicode.bench.client import post_spool
from aicode.bench.prepare import Prepared
from aicode.bench.reads import percentile
from aicode.bench.spool import read_frame
from aicode.ingest.decode import decode_batch, gunzip
from aicode.ingest.normalize import normalize
from aicode.store.base import Rejection, Store
from aicode.store.duckdb.arrow_rows import batch_tables
from aicode.store.duckdb.schema import FACT_TABLES

# Bodies parsed for the parse-only ceiling (the rate, not the total, is what it reports).
PARSE_SAMPLE_BATCHES: Final = 200
ROLLUP_TABLES: Final = (
    "completion_user_hour",
    "completion_user_day",
    "chat_user_day",
    "change_user_day",
    "change_lang_user_day",
    "commit_user_day",
    "commit_ext_user_day",
    "typing_user_day",
)


@dataclasses.dataclass
class HttpIngestResult:
    """What the client processes measured."""

    clients: int
    gzip: bool
    batch_size: int
    events: int
    requests: int
    accepted: int
    duplicates: int
    rejected: int
    seconds: float
    events_per_s: float
    request_p50_ms: float
    request_p95_ms: float
    body_bytes: int
    errors: list[str]
    # The ceiling parsing sets: the same bodies (up to PARSE_SAMPLE_BATCHES of them) decoded,
    # normalized and laid out as Arrow rows by one thread, no HTTP, no store (after the run).
    parse_events: int = 0
    parse_seconds: float = 0.0
    parse_events_per_s: float = 0.0


@dataclasses.dataclass
class BareAppendResult:
    """The same rows appended to plain tables with no keys or rollups."""

    events: int
    rows: int
    inserts: int
    seconds: float
    events_per_s: float
    rows_per_s: float


def http_ingest(
    prepared: Prepared,
    host: str,
    port: int,
    *,
    gzip: bool,
    batch_size: int,
    on_acked: Callable[[int], None] | None = None,
    start_timeout_s: float = 120.0,
) -> HttpIngestResult:
    """Post every spooled batch from one process per spool file; returns the measured rate."""
    context = multiprocessing.get_context("spawn")  # no fork of a process running DuckDB
    clients = len(prepared.spools)
    ready = context.Value("i", 0)
    go = context.Event()
    abandon = context.Value("b", 0)
    acked = context.Value("q", 0)
    reports: Any = context.Queue()
    processes = [
        context.Process(
            target=post_spool,
            args=(
                n,
                host,
                port,
                prepared.ingest_token,
                str(spool),
                gzip,
                ready,
                go,
                abandon,
                acked,
                reports,
            ),
            name=f"aicode-bench-client-{n}",
            daemon=True,
        )
        for n, spool in enumerate(prepared.spools)
    ]
    for process in processes:
        process.start()
    deadline = time.monotonic() + start_timeout_s
    while int(ready.value) < clients:
        # A client that exits before it is ready failed to start; its report says why.
        if time.monotonic() > deadline or any(p.exitcode is not None for p in processes):
            abandon.value = 1
            break
        time.sleep(0.02)
    released = time.monotonic()
    go.set()
    collected: list[dict[str, Any]] = []
    while len(collected) < clients:
        try:
            collected.append(reports.get(timeout=0.25))
        except queue.Empty:
            if on_acked is not None:
                on_acked(int(acked.value))
            if not any(p.is_alive() for p in processes) and reports.empty():
                break
    for process in processes:
        process.join(timeout=30)
    if on_acked is not None:
        on_acked(int(acked.value))
    parse_events, parse_seconds = parse_only(prepared, gzip=gzip)
    started = [r["started"] for r in collected if r["started"]] or [released]
    finished = [r["finished"] for r in collected if r["finished"]] or [time.monotonic()]
    seconds = max(max(finished) - min(started), 1e-9)
    events = sum(int(r["events"]) for r in collected)
    latencies = [x for r in collected for x in r["latencies_ms"]]
    errors = [f"client {r['client']}: {e}" for r in collected for e in r["errors"]]
    if len(collected) < clients:
        errors.append(f"{clients - len(collected)} client process(es) died without a report")
    return HttpIngestResult(
        clients=clients,
        gzip=gzip,
        batch_size=batch_size,
        events=events,
        requests=sum(int(r["requests"]) for r in collected),
        accepted=sum(int(r["accepted"]) for r in collected),
        duplicates=sum(int(r["duplicates"]) for r in collected),
        rejected=sum(int(r["rejected"]) for r in collected),
        seconds=seconds,
        events_per_s=events / seconds,
        request_p50_ms=percentile(latencies, 0.5),
        request_p95_ms=percentile(latencies, 0.95),
        body_bytes=prepared.body_bytes,
        errors=errors[:20],
        parse_events=parse_events,
        parse_seconds=parse_seconds,
        parse_events_per_s=parse_events / parse_seconds if parse_seconds else 0.0,
    )


def parse_only(
    prepared: Prepared, *, gzip: bool, batches: int = PARSE_SAMPLE_BATCHES
) -> tuple[int, float]:
    """(events, seconds): one thread turning spooled bodies into Arrow rows, no store."""
    org_num = prepared.org.num
    seconds = 0.0
    events = 0
    for spool in prepared.spools:
        with spool.open("rb") as frames:
            while (frame := read_frame(frames)) is not None and batches > 0:
                batches -= 1
                body, count = frame
                events += count
                began = time.perf_counter()
                if gzip:
                    body = gunzip(body, len(body) * 1000 + 1)
                items = decode_batch(body, max_items=len(body))
                facts = [(i, f) for i, f in enumerate(items) if not isinstance(f, Rejection)]
                batch_tables(normalize(org_num, facts))
                seconds += time.perf_counter() - began
    return events, seconds


def _day_chunks(
    start: dt.date, end: dt.date, *, bounded: bool = False
) -> list[tuple[dt.date | None, dt.date | None]]:
    """Half-open day windows (None, start+1), ..., (end, None); the first is (start, start+1)
    when ``bounded``."""
    bounds: list[dt.date | None] = [start if bounded else None]
    day = start + dt.timedelta(days=1)
    while day <= end:
        bounds.append(day)
        day += dt.timedelta(days=1)
    bounds.append(None)
    return list(itertools.pairwise(bounds))


def _export_sql(table: str, org_num: int, low: dt.date | None, high: dt.date | None) -> str:
    where = [f"org_num = {int(org_num)}"]
    if low is not None:
        where.append(f"ts >= DATE '{low.isoformat()}'")
    if high is not None:
        where.append(f"ts < DATE '{high.isoformat()}'")
    return f"SELECT * FROM {table} WHERE {' AND '.join(where)}"


def bare_append(
    store: Store,
    org_num: int,
    start: dt.date,
    end: dt.date,
    path: Path,
    *,
    events: int,
    rows_per_insert: int = 100_000,
    on_rows: Callable[[int], None] | None = None,
    since: dt.date | None = None,
) -> BareAppendResult:
    """Append the organization's fact rows to plain tables in a new DuckDB file.

    With ``since``, only rows from that day on: the ones HTTP ingest stored after a bulk
    history.
    """
    # Rows are read back one day at a time (bounded memory) and appended in Arrow chunks of
    # about ``rows_per_insert`` rows, each INSERT its own (durable) transaction.
    con = duckdb.connect(str(path))
    seconds = 0.0
    rows = inserts = 0
    try:
        for table in FACT_TABLES:
            pending: list[pa.Table] = []
            pending_rows = 0
            created = False

            def flush(table: str = table) -> None:
                nonlocal pending, pending_rows, created, seconds, rows, inserts
                if not pending_rows:
                    return
                chunk = pa.concat_tables(pending)
                con.register("chunk", chunk)
                try:
                    if not created:
                        con.execute(f"CREATE TABLE {table} AS SELECT * FROM chunk LIMIT 0")
                        created = True
                    began = time.perf_counter()
                    con.execute(f"INSERT INTO {table} SELECT * FROM chunk")
                    seconds += time.perf_counter() - began
                finally:
                    con.unregister("chunk")
                rows += chunk.num_rows
                inserts += 1
                if on_rows is not None:
                    on_rows(chunk.num_rows)
                pending, pending_rows = [], 0

            first = start if since is None else since
            for low, high in _day_chunks(first, end, bounded=since is not None):
                part = store.query_arrow(
                    sqlglot.parse_one(_export_sql(table, org_num, low, high), read="duckdb")
                )
                if part.num_rows:
                    pending.append(part)
                    pending_rows += part.num_rows
                if pending_rows >= rows_per_insert:
                    flush()
            flush()
    finally:
        con.close()
    seconds = max(seconds, 1e-9)
    return BareAppendResult(
        events=events,
        rows=rows,
        inserts=inserts,
        seconds=seconds,
        events_per_s=events / seconds,
        rows_per_s=rows / seconds,
    )


def table_rows(store: Store, tables: tuple[str, ...]) -> dict[str, int]:
    """Row count of each table (rollups folded first: ingest appends partial rows)."""
    compact = getattr(store, "compact_rollups", None)
    if compact is not None:
        compact()
    counts: dict[str, int] = {}
    for table in tables:
        rows = store.query(sqlglot.parse_one(f"SELECT count(*) AS n FROM {table}", read="duckdb"))
        counts[table] = int(rows[0]["n"])
    return counts
