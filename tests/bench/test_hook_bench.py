"""The hook overhead measurement at a tiny size: every row is there and consistent.

No timing assertions: this checks the harness, not the machine.
"""

from __future__ import annotations

import statistics

from aicode.bench.hook import hook_rows, measure_hook_overhead


def test_hook_overhead_rows() -> None:
    finished: list[int] = []
    result = measure_hook_overhead(lines=20, runs=2, on_run=finished.append)
    assert finished == [1, 2, 3]  # the warm-up, then the two timed runs
    assert [len(result.without_hook_ms), len(result.with_hook_ms), len(result.background_ms)] == [
        2,
        2,
        2,
    ]
    rows = result.rows()
    assert [r["case"] for r in rows] == [
        "git commit, no hook",
        "git commit, with hook",
        "hook's detached work (diff, fingerprints, send)",
    ]
    assert {r["lines"] for r in rows} == {20}
    assert {r["runs"] for r in rows} == {2}
    assert all(r["median_ms"] > 0 and r["min_ms"] > 0 for r in rows)
    assert rows[1]["ratio"] == round(
        statistics.median(result.with_hook_ms) / statistics.median(result.without_hook_ms), 3
    )
    assert result.added_ms == statistics.median(result.with_hook_ms) - statistics.median(
        result.without_hook_ms
    )
    assert rows[0]["ratio"] is None
    assert rows[2]["ratio"] is None


def test_hook_rows_is_the_report_entry_point() -> None:
    assert len(hook_rows(lines=5, runs=1)) == 3
