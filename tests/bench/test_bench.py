"""Smoke test of the benchmark harness at a tiny size: every row is there, numbers are sane.

One run has every phase (a 20-line hook commit instead of 1,000); a smaller one skips the
dashboard pages and the hook.

No timing assertions: this checks the harness, not the machine.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from aicode.bench.__main__ import main, parse_args
from aicode.bench.options import HOOK_LINES, BenchOptions
from aicode.bench.pages import PAGES
from aicode.bench.reads import ENDPOINTS, percentile
from aicode.bench.report import BenchResult, print_report, to_json
from aicode.bench.run import run_bench


@pytest.fixture(scope="module")
def result() -> BenchResult:
    """One tiny run, shared by the tests of this module."""
    options = BenchOptions(
        developers=12, days=3, seed=7, clients=2, repeat=3, batch_size=50, hook_lines=20,
        hook_runs=2,
    )  # fmt: skip
    return run_bench(options, progress_console=Console(file=io.StringIO()))


PAGE_NAMES = [*(name for name, _ in PAGES), "commit", "static assets (first visit)"]


def test_ingest_stores_every_generated_fact(result: BenchResult) -> None:
    http = result.http
    assert result.size.events > 0
    assert http.errors == []
    assert http.events == result.size.events
    assert http.accepted == result.size.events
    assert http.rejected == 0
    assert http.requests == -(-http.events // 50)  # every batch of 50 posted once
    assert http.seconds > 0
    assert http.events_per_s > 0
    assert 0 < http.request_p50_ms <= http.request_p95_ms
    assert http.parse_events == http.events  # fewer batches than the sample
    assert http.parse_seconds > 0
    assert http.parse_events_per_s == http.events / http.parse_seconds


def test_bare_append_copies_the_same_rows(result: BenchResult) -> None:
    assert result.bare.rows == sum(result.size.rows.values())
    assert result.bare.events == result.size.events
    assert result.bare.events_per_s > 0
    assert result.ingest_ratio > 0
    assert sum(result.size.rollup_rows.values()) > 0


def test_every_endpoint_is_timed_and_agrees_with_its_raw_sql(result: BenchResult) -> None:
    assert [r.endpoint for r in result.reads] == [e.name for e in ENDPOINTS]
    for read in result.reads:
        assert read.check == "ok", read.endpoint
        for side in (read.api, read.raw):
            assert side.runs >= 1
            assert 0 < side.min_ms <= side.p50_ms <= side.p95_ms
        assert read.api.runs == 3
        assert read.speedup > 0
        assert read.response_bytes > 0


def test_the_http_floor_is_timed_and_printed_under_the_reads(result: BenchResult) -> None:
    floor = result.http_floor
    assert floor is not None
    assert floor.runs == 5  # at least five, even with --repeat 3
    assert 0 < floor.min_ms <= floor.p50_ms <= floor.p95_ms
    text = _report(result)
    p50 = f"{floor.p50_ms:,.1f}"
    assert f"HTTP floor: GET /healthz p50 {p50} ms on the same connection" in text
    assert "20x faster than its raw SQL only where that takes over" in text


def test_every_dashboard_page_is_timed_on_the_generated_organization(
    result: BenchResult,
) -> None:
    assert result.pages is not None
    assert [p.page for p in result.pages] == PAGE_NAMES
    query = f"?start={result.size.start}&end={result.size.end}"
    assert result.pages[0].path.endswith(query)
    for page in result.pages:
        assert page.timing.runs == 3
        assert 0 < page.timing.min_ms <= page.timing.p50_ms <= page.timing.p95_ms
        assert page.response_bytes > 1000
        assert page.target_ms == 1000.0


def test_the_hook_is_timed_with_and_without(result: BenchResult) -> None:
    hook = result.hook
    assert hook is not None
    assert hook.lines == 20
    assert [len(hook.without_hook_ms), len(hook.with_hook_ms), len(hook.background_ms)] == [2] * 3
    assert hook.ratio > 0
    assert HOOK_LINES == BenchOptions().hook_lines == 1000


def _report(result: BenchResult) -> str:
    out = io.StringIO()
    print_report(result, Console(file=out, width=240, color_system=None))
    return out.getvalue()


def _rows(text: str) -> dict[str, str]:
    return {line.split("│")[1].strip(): line for line in text.splitlines() if "│" in line}


def test_the_table_has_every_row(result: BenchResult) -> None:
    text = _report(result)
    for endpoint in ENDPOINTS:
        assert endpoint.name in text
    assert "HTTP, 2 client processes, 50-event NDJSON" in text
    assert "bare DuckDB Arrow append" in text
    assert "parse only: decode + normalize to Arrow rows" in text
    assert "12 developers x 3 days" in text
    assert "SMALLER than the targets'" in text
    # Pages share names with endpoints ("overview"): read the reads table on its own.
    rows = _rows(text[text.index("Reads:") : text.index("Dashboard pages:")])
    for endpoint in ENDPOINTS:
        verdicts = [v for v in ("pass", "miss", "n/a") for _ in range(rows[endpoint.name].count(v))]
        assert len(verdicts) == 2, rows[endpoint.name]
    assert "n/a" in rows["commits page 1"]


def test_the_pages_and_hook_tables(result: BenchResult) -> None:
    assert result.pages is not None
    assert result.hook is not None
    text = _report(result)
    pages, hook = text[text.index("Dashboard pages:") :].split("Git hook:")
    assert f"Dashboard pages: {result.size.start} .. {result.size.end}, 3 runs each" in pages
    rows = _rows(pages)
    assert list(rows) == PAGE_NAMES
    assert "p50<1,000ms" in pages
    for page in result.pages:
        assert rows[page.page].rstrip(" │").endswith(page.verdict), rows[page.page]
    assert hook.startswith(" git commit of a 20-line change, 2 runs each (no target)")
    rows = _rows(hook)
    assert list(rows) == [
        "git commit, no hook",
        "git commit, with hook",
        "hook's detached work (diff, fingerprints, send)",
    ]
    assert "1.00x" in rows["git commit, no hook"]
    with_hook = [cell.strip() for cell in rows["git commit, with hook"].split("│")]
    assert with_hook[4:6] == [f"{result.hook.ratio:.2f}x", f"{result.hook.added_ms:+,.1f}"]
    assert "not part of its time" in hook
    assert "pass" not in hook
    assert "miss" not in hook


def test_json_carries_results_and_verdicts(result: BenchResult) -> None:
    body = json.loads(to_json(result))
    assert body["size"]["developers"] == 12
    assert body["http"]["events"] == result.size.events
    assert len(body["reads"]) == len(ENDPOINTS)
    assert body["verdicts"]["commits page 1 speedup"] == "n/a"
    assert set(body["verdicts"].values()) <= {"pass", "miss", "n/a"}
    assert body["targets"]["developers"] == 10_000
    assert body["targets"]["page_p50_ms"] == 1000.0


def test_json_carries_pages_and_hook(result: BenchResult) -> None:
    assert result.pages is not None
    assert result.hook is not None
    body = json.loads(to_json(result))
    assert [p["page"] for p in body["pages"]] == PAGE_NAMES
    for page, measured in zip(body["pages"], result.pages, strict=True):
        assert set(page) == {"page", "path", "timing", "response_bytes", "target_ms", "verdict"}
        assert set(page["timing"]) == {"runs", "p50_ms", "p95_ms", "min_ms"}
        assert page["timing"]["p50_ms"] == measured.timing.p50_ms
        assert page["verdict"] == measured.verdict
        assert body["verdicts"][f"page {page['page']} p50"] == measured.verdict
    hook = body["hook"]
    assert set(hook) == {
        "lines", "without_hook_ms", "with_hook_ms", "background_ms", "ratio", "added_ms", "rows",
    }  # fmt: skip
    assert hook["lines"] == 20
    assert hook["with_hook_ms"] == result.hook.with_hook_ms
    assert hook["ratio"] == result.hook.ratio
    assert hook["added_ms"] == result.hook.added_ms
    assert hook["rows"] == result.hook.rows()
    assert not any(name.startswith("hook") for name in body["verdicts"])


def test_pages_and_hook_can_be_skipped() -> None:
    options = BenchOptions(
        developers=2, days=1, seed=7, clients=1, repeat=1, batch_size=50, pages=False, hook=False
    )
    result = run_bench(options, progress_console=Console(file=io.StringIO()))
    assert result.pages is None
    assert result.hook is None
    assert len(result.reads) == len(ENDPOINTS)
    body = json.loads(to_json(result))
    assert body["pages"] is None
    assert body["hook"] is None
    assert not any(name.startswith("page ") for name in body["verdicts"])
    text = _report(result)
    assert "Dashboard pages: skipped (--no-pages)" in text
    assert "Git hook: skipped (--no-hook)" in text


def test_command_line_options() -> None:
    options = parse_args(["--developers", "5", "--days", "2", "--clients", "1", "--json"])
    assert (options.developers, options.days, options.clients, options.json) == (5, 2, 1, True)
    assert not options.at_target_size
    assert (options.pages, options.hook, options.hook_runs) == (True, True, 9)
    skipped = parse_args(["--no-pages", "--no-hook"])
    assert (skipped.pages, skipped.hook) == (False, False)
    assert parse_args(["--hook-runs", "3"]).hook_runs == 3
    assert parse_args(["--developers", "10000", "--days", "90"]).at_target_size
    with pytest.raises(SystemExit):
        parse_args(["--developers", "0"])
    with pytest.raises(SystemExit):
        parse_args(["--hook-runs", "0"])


def test_keep_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    assert main(["--developers", "1", "--days", "1", "--keep", str(tmp_path)]) == 2


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([5.0], 0.95) == 5.0
