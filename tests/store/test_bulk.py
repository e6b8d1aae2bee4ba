"""The bulk history (store/duckdb/bulk.py): deterministic, keyed, consistent, rolled up exactly.

A 30-person demo organization gets 7 days of bulk history with the bench's vocabularies; every
rollup table must equal a from-scratch GROUP BY over the fact tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlglot

from aicode.bench.bulk import bulk_history, plan_history
from aicode.demo.config import DemoConfig
from aicode.demo.people import generate_developers
from aicode.model.attribution import AI_ADDED_COLUMNS, AI_COLUMNS, AI_DELETED_COLUMNS
from aicode.model.tenancy import Organization
from aicode.store.duckdb import DuckDBStore
from aicode.store.duckdb.bulk import BulkHistory
from aicode.store.duckdb.rollups import SHAPES
from aicode.store.duckdb.schema import FACT_TABLES

END = dt.date(2026, 3, 15)  # a Sunday: the 7 days hold a weekend
SEED = 7
DEVELOPERS = 30

# Rows of seed 7, 30 developers, 7 days ending on END (DuckDB 2.0's hash).
EXPECTED_ROWS = {
    "completions": 4_082,
    "chats": 1_002,
    "changes": 10_389,
    "change_files": 11_213,
    "commits": 113,
    "commit_files": 387,
    "typing": 124,
}


def _rows(store: DuckDBStore, sql: str) -> list[dict[str, Any]]:
    return store.query(sqlglot.parse_one(sql, read="duckdb"))


def _value(store: DuckDBStore, sql: str) -> Any:
    return next(iter(_rows(store, sql)[0].values()))


def _load(path: Path) -> tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]]:
    store = DuckDBStore(str(path))
    org = store.create_organization("Demo Org")
    config = DemoConfig(seed=SEED, developers=DEVELOPERS, days=7, end=END)
    store.import_people(org, [d.person_record() for d in generate_developers(config)])
    plan = plan_history("bulk", DEVELOPERS, 8, END + dt.timedelta(days=1), 300)
    history = bulk_history(org.num, SEED, plan)
    days: list[int] = []
    rows = store.load_bulk_history(history, lambda n, _: days.append(n))
    assert days == list(range(1, 8))
    return store, org, history, rows


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]]]:
    """One bulk-loaded store, shared by the read-only tests of this module."""
    store, org, history, rows = _load(tmp_path_factory.mktemp("bulk") / "bulk.duckdb")
    yield store, org, history, rows
    store.close()


def test_the_plan_leaves_a_day_for_http(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    _, _, history, _ = loaded
    assert (history.first_day, history.days) == (END - dt.timedelta(days=6), 7)


def test_rows_per_table_are_those_of_the_seed(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    store, _, _, rows = loaded
    assert rows == EXPECTED_ROWS
    for table in FACT_TABLES:
        assert _value(store, f"SELECT count(*) FROM {table}") == rows[table]


def test_the_same_seed_gives_the_same_rows(
    tmp_path: Path, loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]]
) -> None:
    first = loaded[0]
    second, _, _, rows = _load(tmp_path / "again.duckdb")
    try:
        assert rows == EXPECTED_ROWS
        for table in FACT_TABLES:
            digest = f"SELECT sum(hash(t)) AS h FROM {table} AS t"
            assert _value(first, digest) == _value(second, digest), table
    finally:
        second.close()


def test_another_seed_gives_other_rows(tmp_path: Path) -> None:
    store = DuckDBStore(str(tmp_path / "other.duckdb"))
    try:
        org = store.create_organization("Demo Org")
        config = DemoConfig(seed=SEED, developers=DEVELOPERS, days=7, end=END)
        store.import_people(org, [d.person_record() for d in generate_developers(config)])
        plan = plan_history("bulk", DEVELOPERS, 8, END + dt.timedelta(days=1), 300)
        history = dataclasses.replace(bulk_history(org.num, SEED, plan), seed=SEED + 1)
        assert store.load_bulk_history(history)["changes"] != EXPECTED_ROWS["changes"]
    finally:
        store.close()


def test_keys_are_unique(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    store = loaded[0]
    for table in ("completions", "chats", "changes", "commits", "typing"):
        assert _value(store, f"SELECT count(*) - count(DISTINCT k) FROM {table}") == 0
    duplicated = (
        "SELECT count(*) FROM (SELECT org_num, repo, commit_hash FROM commits"
        " GROUP BY ALL HAVING count(*) > 1)"
    )
    assert _value(store, duplicated) == 0
    for child, parent in (("change_files", "changes"), ("commit_files", "commits")):
        orphans = f"SELECT count(*) FROM {child} WHERE k NOT IN (SELECT k FROM {parent})"
        assert _value(store, orphans) == 0
        positions = f"SELECT count(*) - count(DISTINCT (k, position)) FROM {child}"
        assert _value(store, positions) == 0


def test_facts_keep_the_invariants_the_metrics_assume(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    store, org, history, _ = loaded
    first, last = history.first_day, history.day(history.days - 1)
    for table in FACT_TABLES:
        span = (
            "SELECT min(ts)::DATE AS a, max(ts)::DATE AS b, list(DISTINCT org_num) AS o"
            f" FROM {table}"
        )
        (row,) = _rows(store, span)
        assert first <= row["a"] <= row["b"] <= last, table
        assert row["o"] == [org.num]
        people = (
            f"SELECT count(*) FROM {table} WHERE user_num NOT IN"
            f" (SELECT user_num FROM users WHERE org_num = {org.num})"
        )
        assert _value(store, people) == 0
    added = " + ".join(AI_ADDED_COLUMNS)
    deleted = " + ".join(AI_DELETED_COLUMNS)
    for table in ("commits", "commit_files"):
        broken = (
            f"SELECT count(*) FROM {table} WHERE ai_lines_added > lines_added"
            f" OR ai_lines_deleted > lines_deleted OR ai_lines_added <> {added}"
            f" OR ai_lines_deleted <> {deleted} OR lines_added < 1"
        )
        assert _value(store, broken) == 0
    sums = ", ".join(f"sum({c}) AS {c}" for c in ("lines_added", "lines_deleted", *AI_COLUMNS))
    totals = f"SELECT k, {sums} FROM commit_files GROUP BY k"
    columns = ", ".join(("k", "lines_added", "lines_deleted", *AI_COLUMNS))
    mismatched = f"SELECT count(*) FROM (SELECT {columns} FROM commits EXCEPT {totals})"
    assert _value(store, mismatched) == 0
    origins = "SELECT list(DISTINCT attribution_origin) AS o FROM commits"
    assert _rows(store, origins) == [{"o": ["client"]}]
    file_totals = (
        "SELECT k, sum(lines_added) AS a, sum(lines_deleted) AS d FROM change_files GROUP BY k"
    )
    change_mismatch = (
        "SELECT count(*) FROM (SELECT k, lines_added, lines_deleted FROM changes"
        f" EXCEPT {file_totals})"
    )
    assert _value(store, change_mismatch) == 0
    # Several of each dimension, and AI lines committed by people who use assistants.
    for table, column, at_least in (
        ("changes", "source", 4),
        ("changes", "ide", 5),
        ("changes", "model", 5),
        ("change_files", "language", 5),
        ("commits", "repo", 5),
        ("completions", "product_type", 2),
        ("chats", "chat_type", 5),
    ):
        assert _value(store, f"SELECT count(DISTINCT {column}) FROM {table}") >= at_least
    share = "SELECT sum(ai_lines_added) / sum(lines_added) FROM commits"
    assert 0.15 < _value(store, share) < 0.6
    primary = "SELECT count(DISTINCT is_primary_branch) FROM commits"
    assert _value(store, primary) == 2  # true and false (NULL is not counted)


_AI_SUMS = ", ".join(f"sum({c})" for c in AI_COLUMNS)
_PRIMARY = "CASE WHEN is_primary_branch THEN 1 WHEN NOT is_primary_branch THEN 0 ELSE -1 END"
_COMPLETION = (
    "count(*), sum(count_suggested), sum(count_accepted), sum(lines_suggested),"
    " sum(lines_accepted), sum(bytes_accepted), max(ts)"
)
# Each rollup recomputed from scratch over the fact tables, in the rollup's column order
# (bulk commits are no merges: all their lines are written, none carried).
_DAY = "org_num, user_num, CAST(ts AS DATE)"
_ACCEPTED = (
    "sum(CASE WHEN accepted THEN lines_added ELSE 0 END),"
    " sum(CASE WHEN accepted THEN lines_deleted ELSE 0 END)"
)
_COMMIT_SUMS = (
    f"sum(lines_added), sum(lines_deleted), {_AI_SUMS}, sum(ai_lines_added), sum(ai_lines_deleted)"
)
FROM_SCRATCH = {
    "completion_user_hour": (
        "SELECT org_num, user_num, date_trunc('hour', ts), ide, client_version, language,"
        f" product_type, {_COMPLETION} FROM completions GROUP BY ALL"
    ),
    "completion_user_day": (
        f"SELECT {_DAY}, ide, language, product_type, {_COMPLETION} FROM completions GROUP BY ALL"
    ),
    "chat_user_day": (
        f"SELECT {_DAY}, ide, chat_type, product_type, model, count(*), count_if(accepted),"
        " count_if(inserted_at_cursor), count_if(applied), sum(loc_used), max(ts)"
        " FROM chats GROUP BY ALL"
    ),
    "change_user_day": (
        f"SELECT {_DAY}, source, product_type, ide, model, count(*), count_if(accepted),"
        f" sum(lines_added), sum(lines_deleted), {_ACCEPTED}, max(ts) FROM changes GROUP BY ALL"
    ),
    "change_lang_user_day": (
        "SELECT c.org_num, c.user_num, CAST(c.ts AS DATE), c.source, c.product_type, f.language,"
        " f.extension, sum(f.lines_added), sum(f.lines_deleted),"
        " sum(CASE WHEN c.accepted THEN f.lines_added ELSE 0 END),"
        " sum(CASE WHEN c.accepted THEN f.lines_deleted ELSE 0 END)"
        " FROM change_files AS f JOIN changes AS c ON c.k = f.k GROUP BY ALL"
    ),
    "commit_user_day": (
        f"SELECT {_DAY}, repo, {_PRIMARY}, false AS carried, count(*), {_COMMIT_SUMS}"
        " FROM commits WHERE replaced_by IS NULL GROUP BY ALL"
    ),
    "commit_ext_user_day": (
        f"SELECT {_DAY}, repo, {_PRIMARY}, false AS carried, extension, count(*),"
        f" count(DISTINCT k), {_COMMIT_SUMS} FROM commit_files WHERE replaced_by IS NULL"
        " GROUP BY ALL"
    ),
    "typing_user_day": (
        f"SELECT {_DAY}, ide, client_version, language, sum(user_bytes),"
        " sum(ai_bytes_autocomplete), sum(ai_bytes_command) FROM typing GROUP BY ALL"
    ),
}


def assert_rollups_match_facts(store: DuckDBStore) -> None:
    """Every rollup table equals its from-scratch GROUP BY over the facts, row for row."""
    for table, scratch in FROM_SCRATCH.items():
        rows = _value(store, f"SELECT count(*) FROM {table}")
        assert rows > 0, table
        assert _value(store, f"SELECT count(*) FROM ({scratch})") == rows, table
        for difference in (
            f"SELECT * FROM {table} EXCEPT ALL {scratch}",
            f"{scratch} EXCEPT ALL SELECT * FROM {table}",
        ):
            assert _value(store, f"SELECT count(*) FROM ({difference})") == 0, table


def test_every_rollup_equals_a_group_by_over_the_facts(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    assert_rollups_match_facts(loaded[0])


def test_every_rollup_has_one_row_per_key_after_the_load(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    store = loaded[0]
    for table, shape in SHAPES.items():
        keys = ", ".join(shape.keys)
        rows = _value(store, f"SELECT count(*) FROM {table}")
        distinct = _value(store, f"SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {table})")
        assert rows == distinct, table
        assert rows > 0, table
    # What each day recorded as possibly partial was folded, and the record cleared with it.
    assert _value(store, "SELECT count(*) FROM rollup_dirty_spans") == 0
    assert not store._facts.dirty


def test_scratch_tables_are_gone_after_the_load(
    loaded: tuple[DuckDBStore, Organization, BulkHistory, dict[str, int]],
) -> None:
    store = loaded[0]
    left = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'bulk_%'"
    assert _value(store, left) == 0
    views = "SELECT count(*) FROM duckdb_views() WHERE view_name IN ('new_rows', 'new_files')"
    assert _value(store, views) == 0


def test_a_history_needs_clients_and_repositories() -> None:
    plan = plan_history("bulk", DEVELOPERS, 8, END, 300)
    history = bulk_history(1, SEED, plan)
    with pytest.raises(ValueError, match="needs clients, repositories and a client mix"):
        dataclasses.replace(history, repos=())
    with pytest.raises(ValueError, match="at least one client must have inline completion"):
        dataclasses.replace(
            history, ides=tuple(dataclasses.replace(i, completion_model="") for i in history.ides)
        )
