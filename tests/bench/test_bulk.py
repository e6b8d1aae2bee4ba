"""The bench's history modes: the plan, the flags, and a tiny run on a bulk history.

The run keeps its store, which is reopened afterwards: the bulk rows and the HTTP-ingested
ones must sum up without overlap, and every rollup must still equal the facts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlglot
from rich.console import Console

from aicode.bench.__main__ import parse_args
from aicode.bench.bulk import HistoryPlan, plan_history
from aicode.bench.options import BenchOptions
from aicode.bench.reads import ENDPOINTS
from aicode.bench.report import BenchResult, print_report, to_json
from aicode.bench.run import run_bench
from aicode.store.duckdb import DuckDBStore
from aicode.store.duckdb.schema import FACT_TABLES
from tests.store.test_bulk import assert_rollups_match_facts

END = dt.date(2026, 3, 15)


def test_demo_mode_sends_every_day_over_http() -> None:
    plan = plan_history("demo", 300, 30, END, None)
    assert plan == HistoryPlan("demo", dt.date(2026, 2, 14), END, 0, None)
    assert (plan.http_start, plan.http_days) == (dt.date(2026, 2, 14), 30)


def test_bulk_mode_sends_only_the_last_days_over_http() -> None:
    # 300,000 events at ~11.6 demo facts per developer-day: 12 days of 2,000 developers.
    plan = plan_history("bulk", 2000, 90, END, None)
    assert (plan.bulk_days, plan.http_days, plan.ingest_events) == (78, 12, 300_000)
    assert plan.http_start == dt.date(2026, 3, 4)
    at_target = plan_history("bulk", 10_000, 90, END, None)
    assert (at_target.bulk_days, at_target.http_days) == (88, 2)
    # At least one day goes over HTTP, and never more days than the run has.
    assert plan_history("bulk", 10_000, 90, END, 10).http_days == 1
    assert plan_history("bulk", 30, 7, END, None).bulk_days == 0


def test_history_defaults_by_size() -> None:
    assert BenchOptions().history_mode == "demo"  # make bench: 300 x 30
    assert BenchOptions(developers=999, days=100).history_mode == "demo"
    assert BenchOptions(developers=1000, days=100).history_mode == "bulk"
    assert BenchOptions(developers=10_000, days=90).history_mode == "bulk"
    assert BenchOptions(developers=10_000, days=90, history="demo").history_mode == "demo"
    assert BenchOptions(history="bulk").history_mode == "bulk"


def test_history_flags_parse() -> None:
    options = parse_args(["--history", "bulk", "--ingest-events", "5000"])
    assert (options.history, options.ingest_events, options.history_mode) == ("bulk", 5000, "bulk")
    defaults = parse_args([])
    assert (defaults.history, defaults.ingest_events) == (None, None)
    assert parse_args(["--history", "demo", "--developers", "5000"]).history_mode == "demo"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--history", "csv"],
            "argument --history: invalid choice: 'csv' (choose from 'demo', 'bulk')",
        ),
        (["--ingest-events", "many"], "argument --ingest-events: invalid int value: 'many'"),
        (["--ingest-events", "0"], "ingest_events must be at least 1"),
    ],
)
def test_bad_history_flags_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_history_options_are_refused() -> None:
    with pytest.raises(ValueError, match="history must be one of demo, bulk"):
        BenchOptions(history="all")
    with pytest.raises(ValueError, match="ingest_events must be at least 1"):
        BenchOptions(ingest_events=0)


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> tuple[BenchResult, Path]:
    """A tiny bulk-mode run whose store is kept."""
    keep = tmp_path_factory.mktemp("kept")
    options = BenchOptions(
        developers=30, days=7, seed=7, clients=2, repeat=1, batch_size=100, pages=False,
        hook=False, history="bulk", ingest_events=500, keep=keep,
    )  # fmt: skip
    return run_bench(options, progress_console=Console(file=io.StringIO())), keep


def test_a_bulk_run_reads_both_parts_and_every_endpoint_agrees(
    kept: tuple[BenchResult, Path],
) -> None:
    result, _ = kept
    size = result.size
    assert (size.history, size.bulk_days) == ("bulk", 6)
    assert size.http_start == size.end
    assert size.start == (dt.date.fromisoformat(size.end) - dt.timedelta(days=6)).isoformat()
    assert result.http.errors == []
    assert result.http.accepted == result.http.events == size.events
    assert 0 < size.events <= 500
    assert (result.http.duplicates, result.http.rejected) == (0, 0)
    # Every table holds the bulk rows plus what ingest stored; the bare append only the latter.
    assert set(size.bulk_rows) == set(FACT_TABLES)
    assert all(size.rows[t] > size.bulk_rows[t] > 0 for t in ("completions", "changes"))
    assert sum(size.rows.values()) - sum(size.bulk_rows.values()) == result.bare.rows
    assert [r.endpoint for r in result.reads] == [e.name for e in ENDPOINTS]
    assert {r.endpoint: r.check for r in result.reads} == {e.name: "ok" for e in ENDPOINTS}


def test_the_kept_store_has_no_overlap_and_exact_rollups(kept: tuple[BenchResult, Path]) -> None:
    result, keep = kept
    store = DuckDBStore(str(keep / "bench.duckdb"))
    try:
        http_start = result.size.http_start
        bulk = store.query(
            sqlglot.parse_one(
                f"SELECT count(*) AS n FROM changes WHERE fact_id LIKE 'bulk-%'"
                f" AND ts >= DATE '{http_start}'",
                read="duckdb",
            )
        )
        demo = store.query(
            sqlglot.parse_one(
                f"SELECT count(*) AS n FROM changes WHERE fact_id NOT LIKE 'bulk-%'"
                f" AND ts < DATE '{http_start}'",
                read="duckdb",
            )
        )
        assert (bulk[0]["n"], demo[0]["n"]) == (0, 0)
        assert_rollups_match_facts(store)
    finally:
        store.close()


def test_the_report_names_the_history(kept: tuple[BenchResult, Path]) -> None:
    result, _ = kept
    out = io.StringIO()
    print_report(result, Console(file=out, width=400, highlight=False))
    text = out.getvalue()
    size = result.size
    bulk = sum(size.bulk_rows.values())
    assert (
        f"history: bulk: 6 days from {size.start} generated in the store by SQL ({bulk:,} "
        "fact-table rows, rollups included, in "
    ) in text
    assert (
        f"days {size.http_start} .. {size.end}: {size.events:,} demo facts sent over HTTP" in text
    )
    body = json.loads(to_json(result))
    assert body["size"]["history"] == "bulk"
    assert body["size"]["bulk_rows"] == size.bulk_rows


def test_a_demo_run_says_so() -> None:
    options = BenchOptions(
        developers=2, days=1, seed=7, clients=1, repeat=1, batch_size=50, pages=False,
        hook=False, ingest_events=10,
    )  # fmt: skip
    result = run_bench(options, progress_console=Console(file=io.StringIO()))
    assert (result.size.history, result.size.bulk_days, result.size.bulk_rows) == ("demo", 0, {})
    assert result.size.events == result.http.accepted == 10
    out = io.StringIO()
    print_report(result, Console(file=out, width=400, highlight=False))
    assert "history: demo: every fact from the demo generator, sent over HTTP (10 facts)" in (
        out.getvalue()
    )


def test_a_bulk_run_whose_window_is_every_day_says_so() -> None:
    options = BenchOptions(
        developers=2, days=1, seed=7, clients=1, repeat=1, batch_size=50, pages=False,
        hook=False, history="bulk", ingest_events=10,
    )  # fmt: skip
    result = run_bench(options, progress_console=Console(file=io.StringIO()))
    assert (result.size.history, result.size.bulk_days, result.size.bulk_rows) == ("bulk", 0, {})
    out = io.StringIO()
    print_report(result, Console(file=out, width=400, highlight=False))
    assert (
        "history: bulk, but the HTTP window is every day: every fact from the demo generator, "
        "sent over HTTP (10 facts)"
    ) in out.getvalue()
