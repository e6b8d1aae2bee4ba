"""The DuckDB store's ingest: idempotency, rollups, identity, durability and concurrency."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import msgspec
import sqlglot
import sqlglot.expressions as exp

from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.model.tenancy import Organization
from aicode.store import open_store
from aicode.store.base import IngestOutcome, Rejection, Store
from aicode.store.duckdb import DuckDBStore
from aicode.store.duckdb.schema import FACT_TABLES
from tests.conftest import Tenant

TS = "2025-06-01T10:00:00Z"
DAY = dt.date(2025, 6, 1)


def send(store: Store, org: Organization, *items: dict[str, Any]) -> IngestOutcome:
    decoded = [decode_item(msgspec.json.encode(item), i) for i, item in enumerate(items)]
    return ingest_items(store, org, decoded)


def compacted(store: Store) -> Store:
    """The store with its rollups folded to one row per key (writes append partial rows)."""
    assert isinstance(store, DuckDBStore)
    store.compact_rollups()
    return store


def select(store: Store, table: str, *columns: str, where: str | None = None) -> list[Any]:
    compacted(store)
    query = sqlglot.select(*columns).from_(table)
    if where:
        query = query.where(where)
    return [tuple(r.values()) for r in store.query(query.order_by(*columns))]


def one(store: Store, sql: str) -> Any:
    (row,) = store.query(exp.select(sql))
    return next(iter(row.values()))


ALL_TYPES: list[dict[str, Any]] = [
    {"type": "completion", "id": "c1", "user": "ann@acme.dev", "ts": TS, "language": "python",
     "countSuggested": 3, "countAccepted": 2, "linesAccepted": 4, "bytesAccepted": 90},
    {"type": "completion", "id": "c2", "user": "ann@acme.dev", "ts": "2025-06-01T10:30:00Z",
     "language": "python", "countSuggested": 1, "countAccepted": 1},
    {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": TS, "accepted": True,
     "locUsed": 6},
    {"type": "change", "id": "ch1", "user": "ann@acme.dev", "ts": TS, "source": "COMPOSER",
     "files": [{"fileName": "a.py", "addedFingerprints": ["f1", "f2", "f3"]},
               {"fileName": "b.go", "linesAdded": 2, "linesDeleted": 1}]},
    {"type": "commit", "id": "k1", "user": "ann@acme.dev", "ts": TS, "repo": "acme/app",
     "commitHash": "abcd1234", "isPrimaryBranch": True,
     "files": [{"path": "a.py", "linesAdded": 5, "attribution": {"ideAgentLinesAdded": 3}},
               {"path": "b.go", "linesAdded": 2, "linesDeleted": 2}]},
    {"type": "typing", "id": "t1", "user": "ann@acme.dev", "ts": TS, "userBytes": 100,
     "aiBytesAutocomplete": 40},
]  # fmt: skip


def rollup_snapshot(store: Store) -> dict[str, list[Any]]:
    return {
        "completion_user_day": select(
            store, "completion_user_day", "day", "language", "events", "count_suggested",
            "count_accepted", "lines_accepted", "bytes_accepted",
        ),
        "completion_user_hour": select(
            store, "completion_user_hour", "hour", "events", "count_suggested", "count_accepted"
        ),
        "chat_user_day": select(store, "chat_user_day", "day", "turns", "accepted", "loc_used"),
        "change_user_day": select(
            store, "change_user_day", "day", "source", "changes", "lines_added", "lines_deleted",
            "accepted_lines_added",
        ),
        "change_lang_user_day": select(
            store, "change_lang_user_day", "language", "lines_added", "lines_deleted"
        ),
        "commit_user_day": select(
            store, "commit_user_day", "day", "repo", "primary_branch", "commits", "lines_added",
            "lines_deleted", "ide_agent_added", "ai_lines_added",
        ),
        "commit_ext_user_day": select(
            store, "commit_ext_user_day", "extension", "files", "commits", "lines_added",
            "ai_lines_added",
        ),
        "typing_user_day": select(
            store, "typing_user_day", "day", "user_bytes", "ai_bytes_autocomplete",
            "ai_bytes_command",
        ),
        "activity_user_day": select(
            store, "activity_user_day", "day", "completion", "chat", "change", "last_ts"
        ),
    }  # fmt: skip


EXPECTED_ROLLUPS = {
    "completion_user_day": [(DAY, "python", 2, 4, 3, 4, 90)],
    "completion_user_hour": [(dt.datetime(2025, 6, 1, 10), 2, 4, 3)],
    "chat_user_day": [(DAY, 1, 1, 6)],
    "change_user_day": [(DAY, "AGENT", 1, 5, 1, 5)],
    "change_lang_user_day": [("go", 2, 1), ("python", 3, 0)],
    "commit_user_day": [(DAY, "acme/app", 1, 1, 7, 2, 3, 3)],
    "commit_ext_user_day": [(".go", 1, 1, 2, 0), (".py", 1, 1, 5, 3)],
    "typing_user_day": [(DAY, 100, 40, 0)],
    "activity_user_day": [(DAY, True, True, True, dt.datetime(2025, 6, 1, 10, 30))],
}


# idempotency ---------------------------------------------------------------------------------


def test_resent_batches_are_counted_once_in_facts_and_rollups(store: Store, tenant: Tenant) -> None:
    first = send(store, tenant.org, *ALL_TYPES)
    assert (first.accepted, first.duplicates, first.rejected, first.users_created) == (6, 0, [], 1)
    assert rollup_snapshot(store) == EXPECTED_ROLLUPS
    for _ in range(2):
        again = send(store, tenant.org, *ALL_TYPES)
        assert (again.accepted, again.duplicates, again.rejected) == (0, 6, [])
        assert rollup_snapshot(store) == EXPECTED_ROLLUPS
    counts = {t: one(store, f"(SELECT count(*) FROM {t})") for t in FACT_TABLES}
    assert counts == {"completions": 2, "chats": 1, "changes": 1, "change_files": 2,
                      "commits": 1, "commit_files": 2, "typing": 1}  # fmt: skip


def test_a_resent_fact_in_a_new_batch_adds_only_the_new_ones(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, ALL_TYPES[0])
    outcome = send(store, tenant.org, ALL_TYPES[0], ALL_TYPES[1])
    assert (outcome.accepted, outcome.duplicates) == (1, 1)
    assert select(store, "completion_user_day", "events", "count_suggested") == [(2, 4)]


def test_a_resend_with_changed_values_keeps_the_first(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, ALL_TYPES[0])
    outcome = send(store, tenant.org, ALL_TYPES[0] | {"countSuggested": 50})
    assert (outcome.accepted, outcome.duplicates) == (0, 1)
    assert select(store, "completions", "count_suggested") == [(3,)]


def test_commits_are_idempotent_by_org_repo_and_hash(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    base = {"type": "commit", "user": "ann@acme.dev", "ts": TS, "repo": "acme/app",
            "commitHash": "ABCD1234", "linesAdded": 3}  # fmt: skip
    assert send(store, tenant.org, base | {"id": "first"}).accepted == 1
    again = send(store, tenant.org, base | {"id": "second"}, base | {"commitHash": "abcd1234"})
    assert (again.accepted, again.duplicates) == (0, 2)
    other_repo = send(store, tenant.org, base | {"repo": "acme/lib"})
    assert (other_repo.accepted, other_repo.duplicates) == (1, 0)
    other_org = send(store, other_tenant.org, base)
    assert (other_org.accepted, other_org.duplicates) == (1, 0)
    assert select(store, "commits", "org_num", "repo", "fact_id") == [
        (tenant.org.num, "acme/app", "first"),
        (tenant.org.num, "acme/lib", "abcd1234"),
        (other_tenant.org.num, "acme/app", "abcd1234"),
    ]
    assert select(store, "commit_user_day", "org_num", "repo", "commits", "lines_added") == [
        (tenant.org.num, "acme/app", 1, 3),
        (tenant.org.num, "acme/lib", 1, 3),
        (other_tenant.org.num, "acme/app", 1, 3),
    ]


def test_same_client_id_in_two_orgs_is_two_facts(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    assert send(store, tenant.org, ALL_TYPES[0]).accepted == 1
    assert send(store, other_tenant.org, ALL_TYPES[0]).accepted == 1
    assert one(store, "(SELECT count(*) FROM completions)") == 2


# identity ------------------------------------------------------------------------------------


def test_an_unknown_email_creates_one_user_across_facts_and_batches(
    store: Store, tenant: Tenant
) -> None:
    items = [{"type": "completion", "id": f"c{i}", "user": "Zoe@Acme.dev ", "ts": TS}
             for i in range(5)]  # fmt: skip
    first = send(store, tenant.org, *items)
    assert (first.accepted, first.users_created) == (5, 1)
    second = send(store, tenant.org, items[0] | {"id": "c9", "user": "zoe@acme.dev"})
    assert (second.accepted, second.users_created) == (1, 0)
    users = store.list_users(tenant.org)
    assert [u.email for u in users] == ["zoe@acme.dev"]
    assert {r[0] for r in select(store, "completions", "user_num")} == {users[0].num}


def test_uuid_encoded_and_numeric_ids_name_the_same_user(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, {"type": "chat", "id": "h0", "user": "ann@acme.dev", "ts": TS})
    (ann,) = store.list_users(tenant.org)
    refs = [ann.id, ann.id.upper(), ann.encoded_id, str(ann.num), "ANN@acme.dev"]
    outcome = send(store, tenant.org, *[
        {"type": "chat", "id": f"h{i + 1}", "user": ref, "ts": TS} for i, ref in enumerate(refs)
    ])  # fmt: skip
    assert (outcome.accepted, outcome.users_created, outcome.rejected) == (5, 0, [])
    assert select(store, "chat_user_day", "user_num", "turns") == [(ann.num, 6)]
    assert ann.encoded_id.startswith("user_")


def test_an_unknown_non_email_id_is_rejected_alone(store: Store, tenant: Tenant) -> None:
    outcome = send(
        store,
        tenant.org,
        {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": TS},
        {"type": "chat", "id": "h2", "user": "Ghost", "ts": TS},
        {"type": "commit", "user": "user_nobody", "ts": TS, "repo": "r", "commitHash": "beef",
         "files": [{"path": "a.py", "linesAdded": 1}]},
        {"type": "commit", "user": "ann@acme.dev", "ts": TS, "repo": "r", "commitHash": "cafe",
         "files": [{"path": "b.py", "linesAdded": 1}]},
    )  # fmt: skip
    assert outcome.accepted == 2
    assert outcome.rejected == [
        Rejection(1, "user", "unknown user 'ghost': not an email or known id"),
        Rejection(2, "user", "unknown user 'user_nobody': not an email or known id"),
    ]
    assert select(store, "commit_files", "commit_hash", "path") == [("cafe", "b.py")]
    assert [u.email for u in store.list_users(tenant.org)] == ["ann@acme.dev"]


def test_an_alias_names_its_user(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, {"type": "chat", "id": "h0", "user": "ann@acme.dev", "ts": TS})
    (ann,) = store.list_users(tenant.org)
    store.add_alias(tenant.org, ann, "ann-github")
    outcome = send(store, tenant.org, {"type": "chat", "id": "h1", "user": "Ann-GitHub", "ts": TS})
    assert (outcome.accepted, outcome.users_created) == (1, 0)


def test_users_are_per_organization(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    item = {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": TS}
    send(store, tenant.org, item)
    (ann,) = store.list_users(tenant.org)
    assert send(store, other_tenant.org, item).users_created == 1
    # Another organization's user ids name nobody here.
    outcome = send(store, other_tenant.org, item | {"id": "h2", "user": ann.encoded_id})
    assert outcome.rejected == [
        Rejection(0, "user", f"unknown user {ann.encoded_id!r}: not an email or known id")
    ]


# durability and concurrency ------------------------------------------------------------------


def test_acknowledged_facts_are_in_the_file_after_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "durable.duckdb")
    store = open_store(path)
    org = store.create_organization("acme")
    assert send(store, org, *ALL_TYPES).accepted == 6
    store.close()
    reopened = open_store(path)
    try:
        assert select(reopened, "completions", "fact_id", "count_accepted") == [
            ("c1", 2),
            ("c2", 1),
        ]
        assert select(reopened, "commit_files", "path", "ai_lines_added") == [
            ("a.py", 3), ("b.go", 0)
        ]  # fmt: skip
        assert rollup_snapshot(reopened) == EXPECTED_ROLLUPS
        again = send(reopened, org, *ALL_TYPES)
        assert (again.accepted, again.duplicates, again.users_created) == (0, 6, 0)
    finally:
        reopened.close()


CRASH_SCRIPT = """
import os, sys
import msgspec
import pytest
from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.store import open_store

store = open_store(sys.argv[1])
org = store.create_organization("acme")
docs = sys.stdin.buffer.read().splitlines()
outcome = ingest_items(store, org, [decode_item(d, i) for i, d in enumerate(docs)])
print(org.id, outcome.accepted, flush=True)
os._exit(0)  # acknowledged, then gone: no close, no checkpoint
"""


def test_acknowledged_facts_survive_a_killed_process(tmp_path: Path) -> None:
    path = str(tmp_path / "wal.duckdb")
    docs = b"\n".join(msgspec.json.encode(item) for item in ALL_TYPES)
    done = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, path],
        input=docs,
        capture_output=True,
        check=True,
        timeout=60,
    )
    org_id, accepted = done.stdout.decode().split()
    assert accepted == "6"
    assert Path(path + ".wal").exists()
    reopened = open_store(path)
    try:
        assert reopened.get_organization(org_id) is not None
        assert select(reopened, "completions", "fact_id") == [("c1",), ("c2",)]
        assert rollup_snapshot(reopened) == EXPECTED_ROLLUPS
    finally:
        reopened.close()


def test_concurrent_ingests_from_threads_are_all_stored(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "busy.duckdb"), group_commit_max=8)
    org = store.create_organization("acme")
    outcomes: list[IngestOutcome] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        items = [
            {
                "type": "completion",
                "id": f"w{n}-{j}",
                "user": f"dev{j % 4}@acme.dev",
                "ts": TS,
                "countSuggested": 2,
                "countAccepted": 1,
            }
            for j in range(25)
        ]
        items.append(items[0] | {"id": "shared"})  # every thread sends this one
        outcome = send(store, org, *items)
        with lock:
            outcomes.append(outcome)

    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(o.accepted for o in outcomes) == 16 * 25 + 1
        assert sum(o.duplicates for o in outcomes) == 15
        assert sum(o.users_created for o in outcomes) == 4
        assert one(store, "(SELECT count(*) FROM completions)") == 401
        assert one(store, "(SELECT count(*) FROM users)") == 4
        assert select(store, "completion_user_day", "sum(events)", "sum(count_suggested)") == [
            (401, 802)
        ]
    finally:
        store.close()


# batches merged by one group commit ----------------------------------------------------------


def send_together(
    store: Store, sends: list[tuple[Organization, list[dict[str, Any]]]]
) -> list[IngestOutcome]:
    """Send batches from threads while the writer is held, so they are committed as one group."""
    writer = store._writer  # type: ignore[attr-defined]
    started, gate = threading.Event(), threading.Event()

    def hold(con: Any) -> None:
        started.set()
        gate.wait(10)

    blocker = writer.submit(hold)
    assert started.wait(10)
    outcomes: dict[int, IngestOutcome] = {}

    def sender(number: int, org: Organization, items: list[dict[str, Any]]) -> None:
        outcomes[number] = send(store, org, *items)

    threads = [threading.Thread(target=sender, args=(n, *s)) for n, s in enumerate(sends)]
    # One at a time: each batch is queued before the next thread starts, so the group holds
    # them in the order given (the first copy of a fact sent twice is the one stored).
    for queued, thread in enumerate(threads, start=1):
        thread.start()
        deadline = time.monotonic() + 10
        while writer._queue.qsize() < queued and time.monotonic() < deadline:
            time.sleep(0.005)
    gate.set()
    blocker.result(10)
    for thread in threads:
        thread.join(10)
    return [outcomes[n] for n in range(len(sends))]


def test_a_merged_group_keeps_each_batchs_answer(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    chat = {"type": "chat", "user": "ann@acme.dev", "ts": TS}
    outcomes = send_together(
        store,
        [
            (tenant.org, [chat | {"id": "a"}, chat | {"id": "b"}]),
            (other_tenant.org, [chat | {"id": "a"}, chat | {"id": "z", "user": "ghost"}]),
            (tenant.org, [chat | {"id": "b", "user": "bo@acme.dev"}, chat | {"id": "c"}]),
        ],
    )
    assert [(o.accepted, o.duplicates, o.users_created) for o in outcomes] == [
        (2, 0, 1),
        (1, 0, 1),
        (1, 1, 1),
    ]
    assert outcomes[1].rejected == [
        Rejection(1, "user", "unknown user 'ghost': not an email or known id")
    ]
    assert select(store, "chat_user_day", "org_num", "turns") == [
        (tenant.org.num, 3),
        (other_tenant.org.num, 1),
    ]


def test_a_fact_with_files_resent_within_one_group_stores_its_files_once(
    store: Store, tenant: Tenant
) -> None:
    commit = ALL_TYPES[4]
    change = ALL_TYPES[3]
    outcomes = send_together(store, [(tenant.org, [commit, change])] * 3)
    assert [(o.accepted, o.duplicates) for o in outcomes] == [(2, 0), (0, 2), (0, 2)]
    assert one(store, "(SELECT count(*) FROM commit_files)") == 2
    assert one(store, "(SELECT count(*) FROM change_files)") == 2
    assert rollup_snapshot(store)["commit_ext_user_day"] == EXPECTED_ROLLUPS["commit_ext_user_day"]
    assert (
        rollup_snapshot(store)["change_lang_user_day"] == (EXPECTED_ROLLUPS["change_lang_user_day"])
    )
