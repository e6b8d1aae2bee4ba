"""The bench's raw SQL agrees with the API on a history with merges (tests/merge_world.py).

The bench's generated history has no merges; here the raw aggregations must leave out what a
merge carried, as the rollup-backed endpoints do.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot
from fastapi.testclient import TestClient

from aicode.bench.raw_sql import raw_queries
from aicode.bench.reads import ENDPOINTS, PAGE, check
from aicode.store.base import Store
from tests import merge_world
from tests.conftest import Tenant
from tests.merge_world import D1, D2


def _raw(store: Store, tenant: Tenant, name: str) -> list[dict[str, Any]]:
    sql = raw_queries(tenant.org.num, D1, D2, page=PAGE)[name]
    return store.query(sqlglot.parse_one(sql, read="duckdb"))


def _api(client: TestClient, tenant: Tenant, path: str, params: dict[str, str]) -> Any:
    answer = client.get(
        f"/api/v1/organizations/{tenant.org.id}/{path}",
        params={"start": D1.isoformat(), "end": D2.isoformat(), **params},
        headers=tenant.headers(),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("resolution", [False, True])
def test_every_endpoint_agrees_with_its_raw_sql(
    client: TestClient, store: Store, tenant: Tenant, resolution: bool
) -> None:
    merge_world.build(store, tenant.org, resolution=resolution)
    for endpoint in ENDPOINTS:
        body = _api(client, tenant, endpoint.path, endpoint.params)
        assert check(endpoint.name, body, _raw(store, tenant, endpoint.name)) == "ok", endpoint


def test_the_raw_lines_are_the_api_lines(client: TestClient, store: Store, tenant: Tenant) -> None:
    merge_world.build(store, tenant.org, resolution=True)
    (overview,) = _raw(store, tenant, "overview")
    committed = _api(client, tenant, "overview", {})["committed"]
    assert (
        overview["lines_added"],
        overview["lines_deleted"],
        overview["ai_lines_added"],
        overview["ide_next_added"],
    ) == (committed["linesAdded"], committed["linesDeleted"], committed["aiLinesAdded"], 1)
    assert (committed["linesAdded"], committed["linesDeleted"]) == (8, 2)
    users = [
        (r["email"], r["lines_added"], r["ai_lines_added"]) for r in _raw(store, tenant, "users")
    ]
    ranked = _api(client, tenant, "users", {"limit": "10"})["items"]
    assert users == [(u["email"], u["linesAdded"], u["aiLinesAdded"]) for u in ranked]
    assert users == [("ann@acme.dev", 6, 4), ("bob@acme.dev", 2, 0)]
    extensions = [
        (r["extension"], r["files"], r["lines_added"]) for r in _raw(store, tenant, "extensions")
    ]
    listed = _api(client, tenant, "extensions", {})["items"]
    assert extensions == [(e["extension"], e["fileChanges"], e["linesAdded"]) for e in listed]
    assert extensions == [(".py", 4, 7), (".md", 1, 1)]
    repos = [(r["repo"], r["commits"], r["lines_added"]) for r in _raw(store, tenant, "repos")]
    assert repos == [("core", 4, 8)]
    daily = [(r["day"], r["commits"], r["lines_added"]) for r in _raw(store, tenant, "daily")]
    assert daily == [(D1, 3, 7), (D2, 1, 1)]
