"""Smoke test of the benchmark harness at a tiny size: every row is there, numbers are sane.

No timing assertions: this checks the harness, not the machine.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from aicode.bench.__main__ import main, parse_args
from aicode.bench.options import BenchOptions
from aicode.bench.reads import ENDPOINTS, percentile
from aicode.bench.report import BenchResult, print_report, to_json
from aicode.bench.run import run_bench


@pytest.fixture(scope="module")
def result() -> BenchResult:
    """One tiny run, shared by the tests of this module."""
    options = BenchOptions(developers=12, days=3, seed=7, clients=2, repeat=3, batch_size=50)
    return run_bench(options, progress_console=Console(file=io.StringIO()))


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


def test_the_table_has_every_row(result: BenchResult) -> None:
    out = io.StringIO()
    print_report(result, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    for endpoint in ENDPOINTS:
        assert endpoint.name in text
    assert "HTTP, 2 client processes, 50-event NDJSON" in text
    assert "bare DuckDB Arrow append" in text
    assert "12 developers x 3 days" in text
    assert "SMALLER than the targets'" in text
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if "│" in line}
    for endpoint in ENDPOINTS:
        verdicts = [v for v in ("pass", "miss", "n/a") for _ in range(rows[endpoint.name].count(v))]
        assert len(verdicts) == 2, rows[endpoint.name]
    assert "n/a" in rows["commits page 1"]


def test_json_carries_results_and_verdicts(result: BenchResult) -> None:
    body = json.loads(to_json(result))
    assert body["size"]["developers"] == 12
    assert body["http"]["events"] == result.size.events
    assert len(body["reads"]) == len(ENDPOINTS)
    assert body["verdicts"]["commits page 1 speedup"] == "n/a"
    assert set(body["verdicts"].values()) <= {"pass", "miss", "n/a"}
    assert body["targets"]["developers"] == 10_000


def test_command_line_options() -> None:
    options = parse_args(["--developers", "5", "--days", "2", "--clients", "1", "--json"])
    assert (options.developers, options.days, options.clients, options.json) == (5, 2, 1, True)
    assert not options.at_target_size
    assert parse_args(["--developers", "10000", "--days", "90"]).at_target_size
    with pytest.raises(SystemExit):
        parse_args(["--developers", "0"])


def test_keep_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    assert main(["--developers", "1", "--days", "1", "--keep", str(tmp_path)]) == 2


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) == 0.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([5.0], 0.95) == 5.0
