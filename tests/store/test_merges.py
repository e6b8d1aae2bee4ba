"""Merge commits in the commit rollups: written and carried parts, kept exact through
attribution arriving late, history rewrites and migration 9 of an older store.

The history is tests/merge_world.py; its numbers are worked out there by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from aicode.metrics import Filters, LinePair, commit_totals
from aicode.model.tenancy import Organization
from aicode.store import open_store
from aicode.store.base import Store
from aicode.store.duckdb.commit_parts import OWN_VALUE_COLUMNS, day_rows, extension_rows
from tests import merge_world
from tests.merge_world import D1, D2, MERGE

_MEASURES = ("lines_added", "lines_deleted", "ide_agent_added", "ide_next_added", "ai_lines_added")


def rows(store: Store, sql: str) -> list[dict[str, Any]]:
    return store.query(sqlglot.parse_one(sql, read="duckdb"))


def parts(store: Store, table: str = "commit_user_day") -> list[tuple[Any, ...]]:
    """A commit rollup summed per key, as every reader sums it."""
    keys = "user_num, day, primary_branch, carried" + (
        ", extension" if table == "commit_ext_user_day" else ""
    )
    counts = "commits" if table == "commit_user_day" else "files, commits"
    sums = ", ".join(f"sum({c})::INTEGER" for c in (*counts.split(", "), *_MEASURES))
    return [
        tuple(r.values())
        for r in rows(store, f"SELECT {keys}, {sums} FROM {table} GROUP BY ALL ORDER BY ALL")
    ]


def rebuilt(store: Store, table: str) -> list[tuple[Any, ...]]:
    """The same, folded afresh from the commits that count (what migration 9 writes)."""
    build = day_rows if table == "commit_user_day" else extension_rows
    source = "commits" if table == "commit_user_day" else "commit_files"
    scratch = rows(store, f"SELECT * FROM ({build(source, 'replaced_by IS NULL')}) ORDER BY ALL")
    keys = ["user_num", "day", "primary_branch", "carried"]
    keys += ["extension"] if table == "commit_ext_user_day" else []
    counts = ["commits"] if table == "commit_user_day" else ["files", "commits"]
    return sorted(tuple(r[c] for c in (*keys, *counts, *_MEASURES)) for r in scratch)


def user_nums(store: Store, org: Organization) -> tuple[int, int]:
    users = {u.email: u.num for u in store.list_users(org)}
    return users["ann@acme.dev"], users["bob@acme.dev"]


@pytest.fixture
def org(store: Store) -> Organization:
    return store.create_organization("acme")


def test_the_merge_enters_the_rollups_in_two_parts(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=True)
    ann, bob = user_nums(store, org)
    assert parts(store) == [
        # user, day, primary, carried, commits, added, deleted, ideAgent, ideNext, AI added
        (ann, D1, 0, False, 2, 5, 1, 3, 0, 3),
        (ann, D2, 1, False, 1, 1, 1, 0, 1, 1),
        (ann, D2, 1, True, 1, 4, 0, 3, 0, 3),
        (bob, D1, 1, False, 1, 2, 0, 0, 0, 0),
    ]
    assert parts(store, "commit_ext_user_day") == [
        (ann, D1, 0, False, ".md", 1, 1, 1, 0, 0, 0, 0),
        (ann, D1, 0, False, ".py", 2, 2, 4, 1, 3, 0, 3),
        (ann, D2, 1, False, ".py", 1, 1, 1, 1, 0, 1, 1),
        (ann, D2, 1, True, ".md", 1, 1, 1, 0, 0, 0, 0),
        (ann, D2, 1, True, ".py", 0, 1, 3, 0, 3, 0, 3),
        (bob, D1, 1, False, ".py", 1, 1, 2, 0, 0, 0, 0),
    ]
    for table in ("commit_user_day", "commit_ext_user_day"):
        assert parts(store, table) == rebuilt(store, table), table


def test_the_merge_keeps_its_own_lines_and_their_ai(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=True)
    own = ", ".join(("own_lines_added", "own_lines_deleted", *OWN_VALUE_COLUMNS))
    (merge,) = rows(store, f"SELECT {own} FROM commits WHERE commit_hash = '{MERGE}'")
    assert {c: v for c, v in merge.items() if v} == {
        "own_lines_added": 1,
        "own_lines_deleted": 1,
        "own_ide_next_added": 1,
        "own_ai_lines_added": 1,
    }
    files = rows(
        store,
        "SELECT path, own_added_lines, own_deleted_lines, own_lines_added, own_ai_lines_added"
        f" FROM commit_files WHERE commit_hash = '{MERGE}' ORDER BY position",
    )
    assert [tuple(f.values()) for f in files] == [
        ("src/app.py", [4], [10], 1, 1),
        ("docs/a.md", [], [], 0, 0),
    ]
    other = rows(
        store,
        "SELECT count(*) AS n FROM commit_files WHERE commit_hash <> ? AND"
        " own_added_lines IS NULL AND own_lines_added IS NULL".replace("?", f"'{MERGE}'"),
    )
    assert other == [{"n": 4}]  # the three other commits' four files are no merges


def test_ai_changes_arriving_after_the_merge_move_only_its_parts(
    store: Store, org: Organization
) -> None:
    in_order = store.create_organization("in-order")
    merge_world.build(store, in_order, resolution=True)
    # The commits first: nothing is AI until the changes arrive and re-attribute them.
    facts = merge_world.history(resolution=True)
    assert merge_world.send(store, org, *facts[2:]).accepted == 4
    assert commit_totals(store, Filters.for_days(org.num, D1, D2)).ai == LinePair(0, 0)
    assert merge_world.send(store, org, *facts[:2]).accepted == 2
    for filters in (Filters.for_days(o.num, D1, D2) for o in (org, in_order)):
        assert commit_totals(store, filters).ai == LinePair(4, 0)
        primary = commit_totals(
            store, Filters.for_days(filters.org_num, D1, D2, primary_branch_only=True)
        )
        assert primary.ai == LinePair(4, 0)
    for table in ("commit_user_day", "commit_ext_user_day"):
        assert parts(store, table) == rebuilt(store, table), table


def test_a_rewritten_merge_takes_both_its_parts_out(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=True)
    again = merge_world.merge_commit(resolution=False) | {"commitHash": "4d4d0006"}
    rewrite = {
        "type": "rewrite",
        "id": "amend-1",
        "user": "ann@acme.dev",
        "ts": "2025-06-03T10:00:00Z",
        "repo": "core",
        "kind": "amend",
        "mappings": [{"old": MERGE, "new": "4d4d0006"}],
    }
    assert merge_world.send(store, org, again, rewrite).accepted == 2
    every = commit_totals(store, Filters.for_days(org.num, D1, D2))
    assert (every.commits, every.lines, every.ai) == (4, LinePair(7, 1), LinePair(3, 0))
    primary = commit_totals(store, Filters.for_days(org.num, D1, D2, primary_branch_only=True))
    assert (primary.commits, primary.lines, primary.ai) == (2, LinePair(6, 0), LinePair(3, 0))
    for table in ("commit_user_day", "commit_ext_user_day"):
        assert parts(store, table) == rebuilt(store, table), table


# migration 9 ---------------------------------------------------------------------------------


def _as_before_migration_9(path: Path) -> None:
    """Turn a store into one from before migration 9: merges sent with their first-parent
    diff, the commit rollups one row per commit key without parts."""
    con = duckdb.connect(str(path))
    try:
        for table in ("commit_user_day", "commit_ext_user_day"):
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ?"
                    " ORDER BY column_index",
                    [table],
                ).fetchall()
                if r[0] != "carried"
            ]
            keys = ["org_num", "user_num", "day", "repo", "primary_branch"]
            keys += ["extension"] if table == "commit_ext_user_day" else []
            folded = ", ".join(c if c in keys else f"sum({c}) AS {c}" for c in columns)
            con.execute(
                f"CREATE TABLE old AS SELECT {folded} FROM {table} GROUP BY {', '.join(keys)}"
            )
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE old RENAME TO {table}")
        own = ["own_lines_added", "own_lines_deleted", *OWN_VALUE_COLUMNS]
        for table, columns in (
            ("commits", own),
            ("commit_files", ["own_added_lines", "own_deleted_lines", *own]),
        ):
            for column in columns:
                con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        con.execute("DELETE FROM schema_migrations WHERE version = 9")
    finally:
        con.close()


def test_migration_9_counts_stored_merges_as_carried(tmp_path: Path) -> None:
    path = tmp_path / "older.duckdb"
    store = open_store(str(path))
    try:
        org = store.create_organization("acme")
        # Sent by an older hook: the merge's own lines are not known.
        merge_world.build(store, org, resolution=True, own=False)
    finally:
        store.close()
    _as_before_migration_9(path)
    older = duckdb.connect(str(path))
    before = older.execute("SELECT sum(lines_added) FROM commit_user_day").fetchone()
    older.close()
    assert before == (12,)  # f1 4 + f2 1 + m1 2 + the whole merge 5: counted twice

    store = open_store(str(path))
    try:
        ann, bob = user_nums(store, org)
        assert parts(store) == [
            (ann, D1, 0, False, 2, 5, 1, 3, 0, 3),
            (ann, D2, 1, False, 1, 0, 0, 0, 0, 0),
            (ann, D2, 1, True, 1, 5, 1, 3, 1, 4),
            (bob, D1, 1, False, 1, 2, 0, 0, 0, 0),
        ]
        every = commit_totals(store, Filters.for_days(org.num, D1, D2))
        assert (every.commits, every.lines, every.ai) == (4, LinePair(7, 1), LinePair(3, 0))
        primary = commit_totals(store, Filters.for_days(org.num, D1, D2, primary_branch_only=True))
        assert (primary.commits, primary.lines, primary.ai) == (2, LinePair(7, 1), LinePair(4, 0))
        for table in ("commit_user_day", "commit_ext_user_day"):
            assert parts(store, table) == rebuilt(store, table), table
    finally:
        store.close()
