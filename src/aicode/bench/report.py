"""The result of a run: as dataclasses, as JSON for scripts, and as tables for people."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from aicode.bench.hook import HookBenchResult
from aicode.bench.ingest import BareAppendResult, HttpIngestResult
from aicode.bench.options import (
    TARGET_CHANGE_ROWS,
    TARGET_DAYS,
    TARGET_DEVELOPERS,
    TARGET_INGEST_EVENTS_PER_S,
    TARGET_READ_P50_MS,
    TARGET_READ_SPEEDUP,
    BenchOptions,
)
from aicode.bench.pages import TARGET_MS as TARGET_PAGE_P50_MS
from aicode.bench.pages import PageResult
from aicode.bench.reads import ReadResult, Timing


@dataclasses.dataclass
class SizeInfo:
    """How big the generated organization was."""

    developers: int
    days: int
    seed: int
    start: str
    end: str
    departments: int
    events: int
    facts: dict[str, int]
    rows: dict[str, int]
    rollup_rows: dict[str, int]
    store_bytes: int
    generate_s: float
    history: str = "demo"  # "demo" or "bulk" (see aicode.bench.bulk)
    http_start: str = ""  # first day of the facts sent over HTTP
    bulk_days: int = 0
    bulk_rows: dict[str, int] = dataclasses.field(default_factory=dict)
    bulk_s: float = 0.0


@dataclasses.dataclass
class BenchResult:
    """Everything one run measured."""

    size: SizeInfo
    clients: int
    repeat: int
    http: HttpIngestResult
    bare: BareAppendResult
    reads: list[ReadResult]
    pages: list[PageResult] | None  # None when skipped (--no-pages)
    hook: HookBenchResult | None  # None when skipped (--no-hook)
    at_target_size: bool
    total_s: float
    peak_rss_mib: float  # of the bench process (server, store and raw queries)
    http_floor: Timing | None = None  # GET /healthz: the least any request costs

    @property
    def ingest_ratio(self) -> float:
        """HTTP events/s as a fraction of the bare append's."""
        return self.http.events_per_s / self.bare.events_per_s if self.bare.events_per_s else 0.0

    def verdicts(self) -> dict[str, str]:
        """pass / miss / n/a of each target, by name."""
        out = {"ingest": _verdict(self.http.events_per_s >= TARGET_INGEST_EVENTS_PER_S)}
        for r in self.reads:
            out[f"{r.endpoint} p50"] = (
                _verdict(r.api.p50_ms < TARGET_READ_P50_MS) if r.date_range else "n/a"
            )
            out[f"{r.endpoint} speedup"] = (
                _verdict(r.speedup >= TARGET_READ_SPEEDUP) if r.aggregation else "n/a"
            )
        for page in self.pages or []:
            out[f"page {page.page} p50"] = page.verdict
        return out

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole result."""
        body = dataclasses.asdict(self)
        body["ingest_ratio"] = self.ingest_ratio
        if self.pages is not None:
            body["pages"] = [dataclasses.asdict(p) | {"verdict": p.verdict} for p in self.pages]
        if self.hook is not None:
            body["hook"] |= {
                "ratio": self.hook.ratio,
                "added_ms": self.hook.added_ms,
                "rows": self.hook.rows(),
            }
        body["verdicts"] = self.verdicts()
        body["targets"] = {
            "developers": TARGET_DEVELOPERS,
            "days": TARGET_DAYS,
            "ingest_events_per_s": TARGET_INGEST_EVENTS_PER_S,
            "read_p50_ms": TARGET_READ_P50_MS,
            "read_speedup": TARGET_READ_SPEEDUP,
            "page_p50_ms": TARGET_PAGE_P50_MS,
        }
        return body


def _verdict(ok: bool) -> str:
    return "pass" if ok else "miss"


def to_json(result: BenchResult) -> str:
    """The result as indented JSON."""
    return json.dumps(result.as_json(), indent=2, default=str)


def _int(value: float) -> str:
    return f"{value:,.0f}"


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _mark(verdict: str) -> str:
    return {"pass": "[green]pass[/]", "miss": "[red]miss[/]"}.get(verdict, "[dim]n/a[/]")


def ingest_table(result: BenchResult) -> Table:
    """Ingest rates: HTTP with durable acknowledgement, the parsing ceiling, the bare append."""
    http, bare = result.http, result.bare
    verdict = result.verdicts()["ingest"]
    table = Table(title="Ingest", title_justify="left")
    for name in ("path", "events", "rows", "seconds", "events/s", "vs bare", "target", ""):
        table.add_column(name, justify="left" if name in ("path", "target") else "right")
    encoding = "gzip NDJSON" if http.gzip else "NDJSON"
    table.add_row(
        f"HTTP, {http.clients} client processes, {http.batch_size:,}-event {encoding}, "
        "ack after commit",
        _int(http.events),
        _int(bare.rows),
        f"{http.seconds:,.2f}",
        _int(http.events_per_s),
        f"{result.ingest_ratio:.2f}x",
        f">= {_int(TARGET_INGEST_EVENTS_PER_S)}/s",
        _mark(verdict),
    )
    table.add_row(
        "parse only: decode + normalize to Arrow rows, 1 thread, no HTTP, no store",
        _int(http.parse_events),
        "",
        f"{http.parse_seconds:,.2f}",
        _int(http.parse_events_per_s),
        f"{http.parse_events_per_s / bare.events_per_s:.2f}x" if bare.events_per_s else "",
        "",
        "",
    )
    table.add_row(
        f"bare DuckDB Arrow append, no keys/rollups ({bare.inserts} INSERTs)",
        _int(bare.events),
        _int(bare.rows),
        f"{bare.seconds:,.2f}",
        _int(bare.events_per_s),
        "1.00x",
        "",
        "",
    )
    return table


def read_table(result: BenchResult) -> Table:
    """Per endpoint: API and raw-SQL latencies, the ratio and the targets."""
    table = Table(
        title=f"Reads: {result.size.start} .. {result.size.end}, {result.repeat} runs each",
        title_justify="left",
    )
    columns = (
        "endpoint",
        "API p50 ms",
        "API p95 ms",
        "raw p50 ms",
        "raw p95 ms",
        "raw runs",
        "faster",
        f"p50<{TARGET_READ_P50_MS:.0f}ms",
        f">={TARGET_READ_SPEEDUP:.0f}x",
        "same answer",
    )
    for name in columns:
        table.add_column(name, justify="left" if name in ("endpoint", "same answer") else "right")
    verdicts = result.verdicts()
    for r in result.reads:
        table.add_row(
            r.endpoint,
            _ms(r.api.p50_ms),
            _ms(r.api.p95_ms),
            _ms(r.raw.p50_ms),
            _ms(r.raw.p95_ms),
            str(r.raw.runs),
            f"{r.speedup:,.1f}x",
            _mark(verdicts[f"{r.endpoint} p50"]),
            _mark(verdicts[f"{r.endpoint} speedup"]),
            r.check if r.check == "ok" else f"[yellow]{r.check}[/]",
        )
    return table


def http_floor_line(floor: Timing) -> str:
    """What the cheapest request costs, and so the least raw time a speed-up target needs."""
    return (
        f"HTTP floor: GET /healthz p50 {_ms(floor.p50_ms)} ms on the same connection; an"
        f" endpoint can be {TARGET_READ_SPEEDUP:.0f}x faster than its raw SQL only where that"
        f" takes over {_ms(floor.p50_ms * TARGET_READ_SPEEDUP)} ms."
    )


def pages_table(result: BenchResult, pages: list[PageResult]) -> Table:
    """Per dashboard page: load times of the whole HTML and the one-second target."""
    size = result.size
    table = Table(
        title=f"Dashboard pages: {size.start} .. {size.end}, {result.repeat} runs each",
        title_justify="left",
    )
    columns = ("page", "p50 ms", "p95 ms", "min ms", "KB", f"p50<{TARGET_PAGE_P50_MS:,.0f}ms")
    for name in columns:
        table.add_column(name, justify="left" if name == "page" else "right")
    for page in pages:
        table.add_row(
            page.page,
            _ms(page.timing.p50_ms),
            _ms(page.timing.p95_ms),
            _ms(page.timing.min_ms),
            _int(page.response_bytes / 1024),
            _mark(page.verdict),
        )
    return table


def hook_table(hook: HookBenchResult) -> Table:
    """git commit with and without the hook: the ratio and the milliseconds it adds."""
    runs = len(hook.with_hook_ms)
    table = Table(
        title=f"Git hook: git commit of a {hook.lines:,}-line change, {runs} runs each (no target)",
        title_justify="left",
        caption="The detached work starts when git commit returns and is not part of its time.",
        caption_justify="left",
    )
    for name in ("case", "median ms", "min ms", "vs no hook", "added ms"):
        table.add_column(name, justify="left" if name == "case" else "right")
    without, with_hook, detached = hook.rows()
    added = f"{hook.added_ms:+,.1f}"
    for row, ratio, more in (
        (without, "1.00x", ""),
        (with_hook, f"{hook.ratio:.2f}x", added),
        (detached, "", ""),
    ):
        table.add_row(row["case"], _ms(row["median_ms"]), _ms(row["min_ms"]), ratio, more)
    return table


def _history_line(size: SizeInfo) -> str:
    if size.history != "bulk" or not size.bulk_days:
        mode = "demo" if size.history != "bulk" else "bulk, but the HTTP window is every day"
        return (
            f"history: {mode}: every fact from the demo generator, sent over HTTP "
            f"({_int(size.events)} facts)"
        )
    bulk = sum(size.bulk_rows.values())
    rate = bulk / size.bulk_s if size.bulk_s else 0.0
    return (
        f"history: bulk: {size.bulk_days} days from {size.start} generated in the store by SQL "
        f"({_int(bulk)} fact-table rows, rollups included, in {size.bulk_s:,.1f} s, "
        f"{_int(rate)} rows/s); days {size.http_start} .. {size.end}: {_int(size.events)} demo "
        "facts sent over HTTP"
    )


def headline(result: BenchResult) -> list[str]:
    """The lines printed above the tables: size, data volume, and how to read the verdicts."""
    size = result.size
    facts = ", ".join(f"{n} {_int(c)}" for n, c in size.facts.items())
    rows = ", ".join(f"{n} {_int(c)}" for n, c in size.rows.items())
    rollups = sum(size.rollup_rows.values())
    lines = [
        f"aicode bench: {size.developers:,} developers x {size.days} days (seed {size.seed}), "
        f"{size.departments} departments, days {size.start} .. {size.end}",
        f"facts: {_int(size.events)} ({facts})",
        f"fact-table rows: {rows}; rollup rows: {_int(rollups)}; "
        f"store file {size.store_bytes / 2**20:,.0f} MiB; generated in {size.generate_s:,.1f} s",
    ]
    lines.append(_history_line(size))
    developer_days = size.developers * size.days
    per_day = size.rows.get("changes", 0) / developer_days if developer_days else 0.0
    target_days = TARGET_DEVELOPERS * TARGET_DAYS
    at_target = per_day * target_days / 1e6
    assumed = TARGET_CHANGE_ROWS / 1e6
    lines.append(
        f"density: {per_day:,.1f} change rows per developer-day; at this density "
        f"{TARGET_DEVELOPERS:,} x {TARGET_DAYS} days would hold {at_target:,.1f}M change rows "
        f"(the targets assume about {assumed:,.0f}M, "
        f"{TARGET_CHANGE_ROWS / target_days:,.0f} per developer-day)"
    )
    if result.at_target_size:
        lines.append("size: at or above the targets' size; pass/miss below are the verdicts.")
    else:
        lines.append(
            f"size: SMALLER than the targets' {TARGET_DEVELOPERS:,} developers x {TARGET_DAYS} "
            "days; pass/miss compares this run's figures with the target numbers, "
            "which are only binding at that size."
        )
    if result.http.errors:
        lines.append(f"[red]ingest errors[/]: {'; '.join(result.http.errors)}")
    if result.http.rejected or result.http.duplicates:
        lines.append(
            f"[yellow]ingest outcome[/]: accepted {_int(result.http.accepted)}, duplicates "
            f"{_int(result.http.duplicates)}, rejected {_int(result.http.rejected)} of "
            f"{_int(result.http.events)} events"
        )
    lines.append(
        f"ingest requests: p50 {_ms(result.http.request_p50_ms)} ms, "
        f"p95 {_ms(result.http.request_p95_ms)} ms per {result.http.batch_size:,}-event request"
    )
    return lines


def print_report(result: BenchResult, console: Console) -> None:
    """Print the headline and the table of every phase that ran."""
    for line in headline(result):
        console.print(line, highlight=False)
    console.print()
    console.print(ingest_table(result))
    console.print()
    console.print(read_table(result))
    if result.http_floor is not None:
        console.print(http_floor_line(result.http_floor), highlight=False)
    console.print()
    if result.pages is None:
        console.print("Dashboard pages: skipped (--no-pages)", style="dim")
    else:
        console.print(pages_table(result, result.pages))
    console.print()
    if result.hook is None:
        console.print("Git hook: skipped (--no-hook)", style="dim")
    else:
        console.print(hook_table(result.hook))
    console.print(
        f"total bench time {result.total_s:,.0f} s; peak memory of the bench process "
        f"{result.peak_rss_mib:,.0f} MiB",
        style="dim",
    )


def options_summary(options: BenchOptions) -> str:
    """The options of a run, as one line."""
    return (
        f"--developers {options.developers} --days {options.days} --seed {options.seed} "
        f"--clients {options.clients} --repeat {options.repeat}"
        + (" --gzip" if options.gzip else "")
        + (" --no-pages" if not options.pages else "")
        + (" --no-hook" if not options.hook else f" --hook-runs {options.hook_runs}")
        + f" --history {options.history_mode}"
        + ("" if options.ingest_events is None else f" --ingest-events {options.ingest_events}")
    )
