"""Queued ingest batches are merged into one write per group, each keeping exact counts."""

import threading
from concurrent.futures import Future
from typing import Any

import duckdb
import msgspec
import pytest
import sqlglot

from aicode.ingest.normalize import normalize
from aicode.model.facts import Fact
from aicode.store.duckdb import DuckDBStore
from aicode.store.duckdb.batching import IngestJob
from tests.conftest import Tenant

DECODE = msgspec.json.Decoder(Fact)


def completion(fact_id: str, user: str = "ann@acme.dev") -> Fact:
    return DECODE.decode(
        msgspec.json.encode(
            {
                "type": "completion",
                "id": fact_id,
                "user": user,
                "ts": "2025-06-02T10:00:00Z",
                "countSuggested": 2,
                "countAccepted": 1,
            }
        )
    )


def queue_behind_a_gate(store: DuckDBStore, jobs: list[Any]) -> list[Future[Any]]:
    """Hold the writer on a first job so that every job queued meanwhile forms one group."""
    gate = threading.Event()
    writer = store._writer
    blocker = writer.submit(lambda con: gate.wait(5))
    futures = [writer.submit(job) for job in jobs]
    gate.set()
    blocker.result()
    return futures


def job(
    store: DuckDBStore, tenant: Tenant, ids: list[str], user: str = "ann@acme.dev"
) -> IngestJob:
    batch = normalize(tenant.org.num, [(i, completion(f, user)) for i, f in enumerate(ids)])
    return IngestJob(store._facts, tenant.org.num, batch)


def suggested(store: DuckDBStore) -> int:
    rows = store.query(sqlglot.select("sum(count_suggested) AS n").from_("completion_user_day"))
    return int(rows[0]["n"] or 0)


def test_a_group_counts_each_batch_and_stores_shared_facts_once(
    store: DuckDBStore, tenant: Tenant
) -> None:
    futures = queue_behind_a_gate(
        store,
        [
            job(store, tenant, ["a", "b", "c"]),
            job(store, tenant, ["c", "d"]),
            job(store, tenant, ["a", "b", "c", "d"]),
        ],
    )
    outcomes = [f.result() for f in futures]
    assert [(o.accepted, o.duplicates) for o in outcomes] == [(3, 0), (1, 1), (0, 4)]
    assert outcomes[0].users_created == 1
    assert suggested(store) == 8


def test_a_failing_batch_does_not_take_its_group_down(store: DuckDBStore, tenant: Tenant) -> None:
    good = job(store, tenant, ["x", "y"])
    bad = job(store, tenant, ["z"])
    bad.batch.tables["completions"].columns["ts"] = ["not a timestamp"]
    futures = queue_behind_a_gate(store, [good, bad, job(store, tenant, ["y", "w"])])
    assert (futures[0].result().accepted, futures[2].result().accepted) == (2, 1)
    with pytest.raises(TypeError, match="cannot be converted to int"):
        futures[1].result()
    assert suggested(store) == 6


def count(store: DuckDBStore, table: str) -> int:
    return int(store.query(sqlglot.select("count(*) AS n").from_(table))[0]["n"])


def test_a_group_resending_stored_facts_is_rewritten_carefully(
    store: DuckDBStore, tenant: Tenant
) -> None:
    # The fast write (plain INSERT) meets a stored key and is rolled back whole: the careful
    # rewrite must not keep anything of it (a user it created, rows of the other batch).
    queue_behind_a_gate(store, [job(store, tenant, ["a", "b"])])[0].result()
    futures = queue_behind_a_gate(
        store,
        [
            job(store, tenant, ["c"], user="new@acme.dev"),
            job(store, tenant, ["b", "d"]),
        ],
    )
    outcomes = [f.result() for f in futures]
    assert [(o.accepted, o.duplicates, o.users_created) for o in outcomes] == [
        (1, 0, 1),
        (1, 1, 0),
    ]
    assert count(store, "completions") == 4
    assert count(store, "users") == 2
    assert suggested(store) == 8


def test_a_failing_group_stores_nothing_of_the_failed_batch(
    store: DuckDBStore, tenant: Tenant
) -> None:
    # The INTEGER column refuses the value only inside DuckDB, after the group has already
    # created the batch's new user: the rollback must take that user away too.
    bad = job(store, tenant, ["p", "q"], user="first@acme.dev")
    bad.batch.tables["completions"].columns["count_suggested"] = [2, 2**40]
    futures = queue_behind_a_gate(store, [bad])
    with pytest.raises(duckdb.ConversionException, match="value 1099511627776 can't be cast"):
        futures[0].result()
    assert (count(store, "completions"), count(store, "users"), suggested(store)) == (0, 0, 0)
