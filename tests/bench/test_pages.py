"""The dashboard page bench on a tiny demo: every page is timed and read in full.

No timing assertions: this checks the harness, not the machine.
"""

from __future__ import annotations

import datetime as dt

import pytest

from aicode.app import create_app
from aicode.bench.pages import PAGES, TARGET_MS, run_pages
from aicode.bench.server import serve
from aicode.demo import DemoConfig, build_demo
from aicode.settings import Settings
from aicode.store.base import Store

END = dt.date(2025, 3, 14)


def test_every_page_is_timed(settings: Settings, store: Store) -> None:
    demo = build_demo(store, DemoConfig(seed=3, developers=6, days=4, end=END))
    steps: list[str] = []
    with serve(create_app(settings, store=store)) as (host, port):
        rows = run_pages(
            host,
            port,
            token=demo.tokens.read,
            org_id=demo.organization.id,
            start=END - dt.timedelta(days=3),
            end=END,
            repeat=2,
            on_step=steps.append,
        )
    names = [r.page for r in rows]
    assert names == [*(name for name, _ in PAGES), "commit", "static assets (first visit)"]
    assert steps == [*(f"page {n}" for n in names[:-1]), "static assets"]
    for row in rows:
        assert row.timing.runs == 2
        assert 0 < row.timing.min_ms <= row.timing.p50_ms <= row.timing.p95_ms
        assert row.response_bytes > 1000
        assert row.target_ms == TARGET_MS
        assert row.verdict in ("pass", "miss")
    assert rows[0].path == f"/orgs/{demo.organization.id}?start=2025-03-11&end=2025-03-14"
    assert "/commits/" in rows[-2].path
    assert rows[-1].response_bytes > 200_000  # Chart.js is among the assets


def test_a_wrong_token_stops_the_bench(settings: Settings, store: Store) -> None:
    demo = build_demo(store, DemoConfig(seed=3, developers=2, days=1, end=END))
    with (
        serve(create_app(settings, store=store)) as (host, port),
        pytest.raises(RuntimeError, match="sign-in failed: HTTP 401"),
    ):
        run_pages(
            host, port, token="aic_wrong", org_id=demo.organization.id,
            start=END, end=END, repeat=1,
        )  # fmt: skip
