"""Independent read queries run side by side on the store's read pool."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import sqlglot
import sqlglot.expressions as exp

from aicode.errors import StoreError
from aicode.store import open_store
from aicode.store.base import Store


def numbers(n: int) -> exp.Expr:
    return sqlglot.parse_one(f"SELECT range AS x, range * {n} AS y FROM range({n})", read="duckdb")


def test_rows_come_back_in_the_order_of_the_queries(store: Store) -> None:
    queries = [numbers(n) for n in (3, 1, 4, 1, 5)]
    assert store.query_all(queries) == [store.query(q) for q in queries]
    assert store.query_all(queries)[2] == [{"x": i, "y": i * 4} for i in range(4)]
    assert store.query_all([]) == []


def test_queries_run_on_other_threads_and_reuse_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()
    original = store.query

    def noting(query: exp.Expr) -> list[dict[str, Any]]:
        threads.add(threading.current_thread().name)
        return original(query)

    monkeypatch.setattr(store, "query", noting)
    for _ in range(20):
        store.query_all([numbers(n) for n in range(1, 6)])
    assert threading.current_thread().name not in threads
    assert all(name.startswith("aicode-read") for name in threads)
    assert 1 <= len(threads) <= 8  # the store's read slots: cursors stay bounded


def test_a_closed_store_refuses(tmp_path: Path) -> None:
    closed = open_store(str(tmp_path / "closed.duckdb"))
    closed.close()
    with pytest.raises(StoreError, match="the store is closed"):
        closed.query_all([numbers(1), numbers(2)])
