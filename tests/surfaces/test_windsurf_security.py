"""POST /api/v1/Analytics: the service key, other organizations, and SQL sent as data."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.store.base import Store
from tests.conftest import Tenant
from tests.surfaces.windsurf_org import Org, analytics, build_org, items
from tests.surfaces.windsurf_requests import (
    CHAT_DATA,
    SUM_ACCEPTANCES,
    USER_ANSWER,
    USER_DATA,
    USER_EXAMPLE,
    agg,
    flt,
    query,
    sel,
)


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> Org:
    return build_org(client, tenant)


# -- the service key -------------------------------------------------------------------------


def test_missing_service_key(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/Analytics", json={"query_requests": [USER_EXAMPLE]})
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "service_key is required"}


@pytest.mark.parametrize("key", ["", "aic_not-a-token", 42])
def test_wrong_service_key_before_anything_else(client: TestClient, org: Org, key: Any) -> None:
    # Even a broken query answers 401 to a caller without a valid key.
    status, body = analytics(client, key, query("NOPE", selections=[]))
    expected = "service_key is required" if key in ("", 42) else "service_key is not valid"
    assert (status, body) == (401, {"code": "unauthenticated", "message": expected})


def test_a_revoked_key_is_not_valid(
    client: TestClient, store: Store, tenant: Tenant, org: Org
) -> None:
    token = next(t for t in store.list_tokens(tenant.org) if t.name == "read-token")
    assert store.revoke_token(tenant.org, token.id)
    assert analytics(client, org.read, USER_EXAMPLE) == (
        401,
        {"code": "unauthenticated", "message": "service_key is not valid"},
    )


def test_an_ingest_key_may_not_read(client: TestClient, org: Org) -> None:
    assert analytics(client, org.tenant.ingest, USER_EXAMPLE) == (
        403,
        {"code": "permission_denied", "message": "service_key lacks the read scope"},
    )


def test_an_admin_key_may_read(client: TestClient, org: Org) -> None:
    assert analytics(client, org.tenant.admin, USER_EXAMPLE) == (
        200,
        {"queryResults": [USER_ANSWER]},
    )


def test_another_organizations_key_sees_only_its_own_data(
    client: TestClient, org: Org, other_tenant: Tenant
) -> None:
    others = {"data_source": USER_DATA, "selections": [sel("num_acceptances", "n", "SUM")]}
    by_key = {
        "data_source": CHAT_DATA,
        "selections": [sel("chat_loc_used", "loc", "SUM")],
        "filters": [flt("api_key", "EQUAL", org.keys["ann"])],
        "aggregations": [agg("ide", "ide")],
    }
    assert analytics(client, other_tenant.read, others, by_key, group_name="core") == (
        200,
        {"queryResults": [items({"n": "0"}), items()]},
    )
    # ... while the organization's own key sees them.
    assert analytics(client, org.read, others, by_key, group_name="core") == (
        200,
        {"queryResults": [items({"n": "121"}), items({"ide": "jetbrains", "loc": "50"},
                                                     {"ide": "vscode", "loc": "10"})]},
    )  # fmt: skip


# -- request text is data, never SQL -----------------------------------------------------------


INJECTIONS = [
    "x'; DROP TABLE completions; --",
    'x"; DROP TABLE users; --',
    "' OR '1'='1",
    "\\'; SELECT 1; --",
    "1) OR (1=1",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_field_names_is_an_unknown_field(
    client: TestClient, org: Org, attack: str
) -> None:
    for where in ("selections", "aggregations", "filters"):
        parts: dict[str, Any] = {"selections": [SUM_ACCEPTANCES]}
        if where == "selections":
            parts["selections"] = [sel(attack, "n", "SUM")]
        elif where == "aggregations":
            parts["aggregations"] = [agg(attack, "k")]
        else:
            parts["filters"] = [flt(attack, "EQUAL", "x")]
        status, body = analytics(client, org.read, query(**parts))
        assert status == 400
        assert "unknown field" in body["message"]
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


@pytest.mark.parametrize(
    "attack",
    [
        "date UTC-8; DROP TABLE completions",
        "date UTC-8) OR (1=1",
        "date UTC-8 --",
        "date UTC-(8)",
        "date UTC-٨",
    ],
)
def test_injection_through_date_offsets_is_an_unknown_field(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], aggregations=[agg(attack, "d")])
    )
    assert status == 400
    assert body["message"].startswith('query_requests[0].aggregations[0] "d": unknown field')
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_aliases_is_only_a_name(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client,
        org.read,
        query(
            selections=[sel("num_acceptances", attack, "SUM")],
            aggregations=[agg("ide", attack + "2")],
        ),
    )
    assert status == 200
    assert body == {
        "queryResults": [
            items({attack + "2": "jetbrains", attack: "51"}, {attack + "2": "vscode", attack: "90"})
        ]
    }


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_values_and_group_names_is_data(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client,
        org.read,
        query(selections=[SUM_ACCEPTANCES], filters=[flt("ide", "EQUAL", attack)]),
        query(CHAT_DATA, selections=[sel("chat_loc_used", "loc", "SUM")],
              filters=[flt("version", "NOT_EQUAL", attack), flt("model_id", "EQUAL", attack)]),
        query(selections=[SUM_ACCEPTANCES]),
        group_name=attack,
    )  # fmt: skip
    assert status == 200
    assert body == {
        "queryResults": [items({"total": "0"}), items({"loc": "0"}), items({"total": "0"})]
    }
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


def test_a_value_that_looks_like_sql_matches_itself(
    client: TestClient, tenant: Tenant, org: Org
) -> None:
    from tests.surfaces.windsurf_org import send_facts

    odd = "vs'code\\\"; DROP TABLE chats; --"
    send_facts(
        client,
        tenant,
        [{"type": "chat", "id": "odd", "user": "ann@ws.dev", "ts": "2024-05-01T10:00:00Z",
          "ide": odd, "chatType": "CHAT_INTENT_GENERIC", "locUsed": 7}],
    )  # fmt: skip
    status, body = analytics(
        client,
        org.read,
        query(CHAT_DATA, selections=[sel("chat_loc_used", "loc", "SUM")],
              filters=[flt("ide", "EQUAL", odd.upper())], aggregations=[agg("ide", "ide")]),
    )  # fmt: skip
    assert (status, body) == (200, {"queryResults": [items({"ide": odd.lower(), "loc": "7"})]})
