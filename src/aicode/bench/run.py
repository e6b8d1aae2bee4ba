"""One benchmark run, start to finish.

Prepare, serve, ingest, bare append, reads, dashboard pages, clean up; then the git hook,
which needs neither the server nor the store.
"""

from __future__ import annotations

import contextlib
import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from aicode.app import create_app
from aicode.bench.bulk import plan_for
from aicode.bench.hook import HookBenchResult, measure_hook_overhead
from aicode.bench.ingest import ROLLUP_TABLES, bare_append, http_ingest, table_rows
from aicode.bench.options import BenchOptions
from aicode.bench.pages import PAGES, PageResult, run_pages
from aicode.bench.prepare import Prepared, prepare
from aicode.bench.reads import ENDPOINTS, http_floor, run_reads
from aicode.bench.report import BenchResult, SizeInfo
from aicode.bench.server import serve
from aicode.settings import Settings
from aicode.store.duckdb.schema import FACT_TABLES


@contextlib.contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        if any(keep.iterdir()):
            raise ValueError(f"--keep directory {keep} is not empty")
        yield keep
        return
    path = Path(tempfile.mkdtemp(prefix="aicode-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _store_bytes(db_path: Path) -> int:
    wal = db_path.with_name(db_path.name + ".wal")
    return sum(p.stat().st_size for p in (db_path, wal) if p.exists())


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
        console=console,
        transient=False,
    )


def _stepper(progress: Progress, task: TaskID) -> Callable[[str], None]:
    """An ``on_step`` that shows the step under way and counts the one before it as done."""

    def on_step(note: str) -> None:
        if progress.tasks[task].fields.get("note"):
            progress.advance(task)
        progress.update(task, note=note)

    return on_step


def _pages(
    progress: Progress, options: BenchOptions, prepared: Prepared, host: str, port: int
) -> list[PageResult]:
    steps = len(PAGES) + 2  # the pages, one commit's page, the static assets
    task = progress.add_task(f"dashboard pages ({options.repeat} runs each)", total=steps, note="")
    pages = run_pages(
        host,
        port,
        token=prepared.read_token,
        org_id=prepared.org.id,
        start=prepared.start,
        end=prepared.end,
        repeat=options.repeat,
        on_step=_stepper(progress, task),
    )
    progress.update(task, completed=steps, note="")
    return pages


def _hook(progress: Progress, options: BenchOptions) -> HookBenchResult:
    runs = options.hook_runs + 1  # the warm-up commit included
    task = progress.add_task(f"git hook ({options.hook_lines:,}-line commits)", total=runs, note="")
    return measure_hook_overhead(
        lines=options.hook_lines,
        runs=options.hook_runs,
        on_run=lambda n: progress.update(task, completed=n),
    )


def run_bench(options: BenchOptions, *, progress_console: Console | None = None) -> BenchResult:
    """Run every phase and return what was measured; progress goes to ``progress_console``."""
    began = time.perf_counter()
    console = progress_console or Console(stderr=True)
    plan = plan_for(options)
    with _workdir(options.keep) as workdir, _progress(console) as progress:
        if plan.bulk_days:
            loading = progress.add_task("bulk history (SQL, by day)", total=plan.bulk_days, note="")

            def on_bulk_day(days: int, rows: dict[str, int]) -> None:
                progress.update(
                    loading, completed=days, note=f"{sum(rows.values()):,} fact-table rows"
                )

        generate = progress.add_task("generate + serialize facts", total=plan.http_days, note="")

        def on_day(days: int, events: int) -> None:
            progress.update(generate, completed=days, note=f"{events:,} facts")

        prepared = prepare(
            options, workdir, on_day, on_bulk_day if plan.bulk_days else None, plan=plan
        )
        store = prepared.store
        try:
            settings = Settings(db=str(prepared.db_path))
            with serve(create_app(settings, store=store)) as (host, port):
                ingest = progress.add_task(
                    f"ingest over HTTP ({options.clients} clients)",
                    total=prepared.events,
                    note="",
                )
                http = http_ingest(
                    prepared,
                    host,
                    port,
                    gzip=options.gzip,
                    batch_size=options.batch_size,
                    on_acked=lambda n: progress.update(ingest, completed=n),
                )
                rows = table_rows(store, FACT_TABLES)
                rollups = table_rows(store, ROLLUP_TABLES)
                http_rows = sum(rows.values()) - sum(prepared.bulk_rows.values())
                append = progress.add_task("bare DuckDB append", total=http_rows, note="")
                bare = bare_append(
                    store,
                    prepared.org.num,
                    prepared.start,
                    prepared.end,
                    workdir / "bare.duckdb",
                    events=prepared.events,
                    on_rows=lambda n: progress.advance(append, n),
                    since=plan.http_start if plan.bulk_days else None,
                )
                reads_task = progress.add_task(
                    f"reads ({options.repeat} runs each)", total=2 * len(ENDPOINTS), note=""
                )

                floor = http_floor(host, port, token=prepared.read_token, repeat=options.repeat)
                reads = run_reads(
                    store,
                    host,
                    port,
                    token=prepared.read_token,
                    org_id=prepared.org.id,
                    org_num=prepared.org.num,
                    start=prepared.start,
                    end=prepared.end,
                    repeat=options.repeat,
                    raw_budget_s=options.raw_budget_s,
                    on_step=_stepper(progress, reads_task),
                )
                progress.update(reads_task, completed=2 * len(ENDPOINTS), note="")
                pages = _pages(progress, options, prepared, host, port) if options.pages else None
        finally:
            store.close()
        size = SizeInfo(
            developers=options.developers,
            days=options.days,
            seed=options.seed,
            start=prepared.start.isoformat(),
            end=prepared.end.isoformat(),
            departments=prepared.departments,
            events=prepared.events,
            facts=prepared.fact_counts,
            rows=rows,
            rollup_rows=rollups,
            store_bytes=_store_bytes(prepared.db_path),
            generate_s=prepared.generate_s,
            history=plan.mode,
            http_start=plan.http_start.isoformat(),
            bulk_days=plan.bulk_days,
            bulk_rows=prepared.bulk_rows,
            bulk_s=prepared.bulk_s,
        )
        for spool in prepared.spools:
            spool.unlink(missing_ok=True)
        hook = _hook(progress, options) if options.hook else None
    return BenchResult(
        size=size,
        clients=options.clients,
        repeat=options.repeat,
        http=http,
        bare=bare,
        reads=reads,
        http_floor=floor,
        pages=pages,
        hook=hook,
        at_target_size=options.at_target_size,
        total_s=time.perf_counter() - began,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
