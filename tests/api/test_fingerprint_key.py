"""GET /api/v1/fingerprint-key: any token of the organization reads its key, nobody else."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.attribution.fingerprint import decode_key, encode_key
from aicode.store.base import Store
from tests.conftest import Tenant

PATH = "/api/v1/fingerprint-key"


def error(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


@pytest.mark.parametrize("scope", ["ingest", "read", "admin"])
def test_every_scope_reads_the_organizations_key(
    client: TestClient, store: Store, tenant: Tenant, scope: str
) -> None:
    response = client.get(PATH, headers=tenant.headers(scope))
    assert response.status_code == 200
    key = store.fingerprint_key(tenant.org)
    assert response.json() == {
        "organizationId": tenant.org.id,
        "algorithm": "aicode-fp-v1",
        "key": encode_key(key),
    }
    assert decode_key(response.json()["key"]) == key
    assert response.headers["cache-control"] == "no-store"


def test_each_organization_has_its_own_key(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = client.get(PATH, headers=tenant.headers("ingest")).json()
    theirs = client.get(PATH, headers=other_tenant.headers("ingest")).json()
    assert mine["organizationId"] == tenant.org.id
    assert theirs["organizationId"] == other_tenant.org.id
    assert mine["key"] != theirs["key"]


def test_the_key_is_stable(client: TestClient, tenant: Tenant) -> None:
    first = client.get(PATH, headers=tenant.headers("read")).json()
    second = client.get(PATH, headers=tenant.headers("admin")).json()
    assert first == second


def test_missing_token_is_401(client: TestClient, tenant: Tenant) -> None:
    response = client.get(PATH)
    assert response.status_code == 401
    assert response.json() == error("unauthenticated", "missing API token", "Authorization")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer aic_not-a-token", "Basic dXNlcjpwYXNz", "Bearer ", "aic_bare"]
)
def test_wrong_token_is_401(client: TestClient, tenant: Tenant, header: str) -> None:
    response = client.get(PATH, headers={"Authorization": header})
    assert response.status_code == 401
    message = "invalid API token" if header == "Bearer aic_not-a-token" else "missing API token"
    assert response.json() == error("unauthenticated", message, "Authorization")


def test_revoked_token_is_401(client: TestClient, store: Store, tenant: Tenant) -> None:
    token, secret = store.create_token(tenant.org, "laptop", ["ingest"])  # type: ignore[list-item]
    assert client.get(PATH, headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert store.revoke_token(tenant.org, token.id)
    response = client.get(PATH, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json() == error("unauthenticated", "invalid API token", "Authorization")


def test_the_key_is_never_logged(
    client: TestClient, store: Store, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.get(PATH, headers=tenant.headers("ingest"))
    assert response.status_code == 200
    key = response.json()["key"]
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records) + caplog.text
    assert key not in logged
    assert store.fingerprint_key(tenant.org).hex() not in logged
