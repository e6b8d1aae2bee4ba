"""The app served by uvicorn on a real loopback socket, driven by httpx."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator

import httpx
import msgspec
import pytest
import sqlglot

from aicode import __version__
from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.live_server import live_server

TS = "2025-06-01T10:00:00Z"


@pytest.fixture
def base_url(settings: Settings, store: Store) -> Iterator[str]:
    """Base URL of a live server over the test's store."""
    with live_server(create_app(settings, store=store)) as url:
        yield url


def test_health_over_a_socket(base_url: str, store: Store) -> None:
    answer = httpx.get(f"{base_url}/healthz", timeout=10)
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "version": __version__,
        "schemaVersion": store.schema_version(),
    }


def test_ingest_round_trip_over_a_socket(base_url: str, store: Store, tenant: Tenant) -> None:
    items = [
        {"type": "completion", "id": f"c{i}", "user": "ann@acme.dev", "ts": TS,
         "countSuggested": 2, "countAccepted": 1}
        for i in range(100)
    ]  # fmt: skip
    body = gzip.compress(b"\n".join(msgspec.json.encode(item) for item in items))
    headers = tenant.headers("ingest") | {
        "Content-Type": "application/x-ndjson",
        "Content-Encoding": "gzip",
    }
    with httpx.Client(base_url=base_url, timeout=10) as client:
        first = client.post("/api/v1/ingest", content=body, headers=headers)
        again = client.post("/api/v1/ingest", content=body, headers=headers)
        refused = client.post("/api/v1/ingest", content=body)
    assert (first.status_code, first.json()) == (
        200,
        {"accepted": 100, "duplicates": 0, "rejected": []},
    )
    assert again.json() == {"accepted": 0, "duplicates": 100, "rejected": []}
    assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Bearer")
    rows = store.query(
        sqlglot.select("sum(events) AS events", "sum(count_accepted) AS accepted").from_(
            "completion_user_day"
        )
    )
    assert rows == [{"events": 100, "accepted": 100}]


def test_concurrent_clients_over_a_socket(base_url: str, store: Store, tenant: Tenant) -> None:
    answers: list[dict[str, int]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            for batch in range(5):
                body = [
                    {"type": "chat", "id": f"h{n}-{batch}-{i}", "user": f"dev{n}@acme.dev",
                     "ts": TS}
                    for i in range(20)
                ]  # fmt: skip
                answer = http.post("/api/v1/ingest", json=body, headers=tenant.headers("ingest"))
                with lock:
                    answers.append(answer.json())

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 30
    assert sum(a["accepted"] for a in answers) == 600
    assert all(a["rejected"] == [] for a in answers)
    (row,) = store.query(sqlglot.select("sum(turns) AS turns").from_("chat_user_day"))
    assert row == {"turns": 600}
    assert len(store.list_users(tenant.org)) == 6


def test_oversized_upload_is_refused_over_a_socket(
    settings: Settings, store: Store, tenant: Tenant
) -> None:
    app = create_app(settings.replace(max_body_bytes=1000), store=store)
    with live_server(app) as url:
        answer = httpx.post(
            f"{url}/api/v1/ingest",
            content=b"[" + b" " * 5000 + b"]",
            headers=tenant.headers("ingest"),
            timeout=10,
        )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "payload_too_large"
