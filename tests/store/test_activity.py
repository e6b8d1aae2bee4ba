"""``activity_user_day``: who was active on which day, folded at ingest and by migration 7."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import msgspec
import sqlglot

from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.model.tenancy import Organization
from aicode.store import open_store
from aicode.store.base import Store
from aicode.store.duckdb.schema import LATEST_VERSION, MIGRATIONS
from tests.conftest import Tenant

DAY = dt.date(2025, 6, 2)


def send(store: Store, org: Organization, *items: dict[str, Any]) -> None:
    decoded = [decode_item(msgspec.json.encode(item), i) for i, item in enumerate(items)]
    outcome = ingest_items(store, org, decoded)
    assert outcome.rejected == []


def activity(store: Store) -> list[tuple[Any, ...]]:
    """Each person-day's activity, its partial rows (until compaction) added up as readers do."""
    query = (
        sqlglot.select(
            "u.email",
            "a.day",
            "bool_or(a.completion)",
            "bool_or(a.chat)",
            "bool_or(a.change)",
            "max(a.last_ts)",
            *[
                f"sum(a.{c})"
                for c in (
                    "completion_events",
                    "completion_count_accepted",
                    "chat_turns",
                    "chat_loc_used",
                    "change_changes",
                    "change_accepted_lines_added",
                )
            ],
        )
        .from_("activity_user_day a")
        .join("users u", on="a.user_num = u.user_num")
        .group_by("u.email", "a.day")
        .order_by("u.email", "a.day")
    )
    return [tuple(r.values()) for r in store.query(query)]


def change_days(store: Store) -> list[tuple[Any, ...]]:
    """change_org_day, and change_user_day summed over people: they must be equal."""
    measures = ["changes", "accepted_changes", "lines_added", "accepted_lines_added"]
    dims = ["day", "source", "product_type", "ide", "model"]
    org = (
        sqlglot.select(*dims, *[f"sum({m})" for m in measures], "max(last_ts)")
        .from_("change_org_day")
        .group_by(*dims)
        .order_by(*dims)
    )
    people = (
        sqlglot.select(*dims, *[f"sum({m})" for m in measures], "max(last_ts)")
        .from_("change_user_day")
        .group_by(*dims)
        .order_by(*dims)
    )
    org_rows = [tuple(r.values()) for r in store.query(org)]
    assert org_rows == [tuple(r.values()) for r in store.query(people)]
    return org_rows


FACTS: list[dict[str, Any]] = [
    {"type": "completion", "id": "c1", "user": "ann@acme.dev", "ts": "2025-06-02T09:00:00Z",
     "countSuggested": 3, "countAccepted": 2},
    {"type": "completion", "id": "c3", "user": "ann@acme.dev", "ts": "2025-06-02T09:10:00Z",
     "countAccepted": 1},
    {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": "2025-06-02T11:15:00Z",
     "locUsed": 7},
    {"type": "change", "id": "x1", "user": "bob@acme.dev", "ts": "2025-06-02T08:00:00Z",
     "source": "TAB", "files": [{"fileName": "a.py", "linesAdded": 4}]},
    {"type": "change", "id": "x2", "user": "bob@acme.dev", "ts": "2025-06-02T08:05:00Z",
     "source": "AGENT", "accepted": False, "files": [{"fileName": "a.py", "linesAdded": 9}]},
    {"type": "completion", "id": "c2", "user": "bob@acme.dev", "ts": "2025-06-03T23:59:00Z"},
    {"type": "change", "id": "x3", "user": "dan@acme.dev", "ts": "2025-06-02T09:00:00Z",
     "source": "COMPOSER", "files": [{"fileName": "b.py", "linesAdded": 3}]},
    # Typing and commits are not assistant activity.
    {"type": "typing", "id": "t1", "user": "cid@acme.dev", "ts": "2025-06-02T10:00:00Z",
     "userBytes": 10},
    {"type": "commit", "user": "cid@acme.dev", "ts": "2025-06-02T10:00:00Z", "repo": "acme/app",
     "commitHash": "abcd1234", "files": [{"path": "a.py", "linesAdded": 1}]},
]  # fmt: skip

# bob's two changes and dan's, organization-wide by source.
ORG_CHANGES = [
    (DAY, "AGENT", "ide", "", "", 2, 1, 12, 3, dt.datetime(2025, 6, 2, 9, 0)),
    (DAY, "TAB", "ide", "", "", 1, 1, 4, 4, dt.datetime(2025, 6, 2, 8, 0)),
]

EXPECTED = [
    ("ann@acme.dev", DAY, True, True, False, dt.datetime(2025, 6, 2, 11, 15), 2, 3, 1, 7, 0, 0),
    ("bob@acme.dev", DAY, False, False, True, dt.datetime(2025, 6, 2, 8, 5), 0, 0, 0, 0, 2, 4),
    ("bob@acme.dev", dt.date(2025, 6, 3), True, False, False, dt.datetime(2025, 6, 3, 23, 59),
     1, 0, 0, 0, 0, 0),
    ("dan@acme.dev", DAY, False, False, True, dt.datetime(2025, 6, 2, 9, 0), 0, 0, 0, 0, 1, 3),
]  # fmt: skip


def test_each_kind_of_activity_sets_its_flag_its_totals_and_the_latest_time(
    store: Store, tenant: Tenant
) -> None:
    send(store, tenant.org, *FACTS)
    assert activity(store) == EXPECTED
    assert change_days(store) == ORG_CHANGES


def test_activity_folded_batch_by_batch_equals_one_batch(store: Store, tenant: Tenant) -> None:
    for fact in reversed(FACTS):
        send(store, tenant.org, fact)
    send(store, tenant.org, *FACTS)  # all resent: nothing changes
    assert activity(store) == EXPECTED
    assert change_days(store) == ORG_CHANGES


def test_migration_7_fills_activity_from_the_rollups_of_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "older.duckdb"
    store = open_store(str(path))
    try:
        org = store.create_organization("acme")
        send(store, org, *FACTS)
    finally:
        store.close()
    # Make it a store that never ran migrations 7 and 8: their tables and records gone (a
    # store applies every migration it has no record of; 9 stays applied).
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE activity_user_day")
    con.execute("DROP TABLE change_org_day")
    con.execute("DROP TABLE rollup_dirty_spans")
    con.execute("DROP TABLE store_tasks")
    con.execute("DELETE FROM schema_migrations WHERE version IN (7, 8)")
    con.close()
    assert {7, 8} <= {number for number, _, _ in MIGRATIONS}

    reopened = open_store(str(path))
    try:
        assert reopened.schema_version() == LATEST_VERSION
        assert activity(reopened) == EXPECTED
        assert change_days(reopened) == ORG_CHANGES
    finally:
        reopened.close()
