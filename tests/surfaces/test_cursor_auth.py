"""The API key as Basic user name or Bearer token; 401 and 403 in Cursor's shape; teams apart."""

from __future__ import annotations

import base64

import httpx
import pytest
from fastapi.testclient import TestClient

from aicode.model.tenancy import Scope
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.surfaces.cursor_support import PATHS, RANGE, CursorWorld, get

pytest_plugins = ["tests.surfaces.cursor_fixtures"]


def call(client: TestClient, path: str, authorization: str | None) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.get(f"/analytics/ai-code/{path}", params=RANGE, headers=headers)


def basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("path", PATHS)
def test_the_key_works_as_basic_user_or_bearer_token(
    cursor_client: TestClient, cursor_world: CursorWorld, path: str
) -> None:
    by_curl = get(cursor_client, path, cursor_world.key, **RANGE)
    by_basic = call(cursor_client, path, basic(cursor_world.key))
    by_bearer = call(cursor_client, path, f"Bearer {cursor_world.key}")
    assert by_curl.status_code == by_basic.status_code == by_bearer.status_code == 200
    assert by_curl.content == by_basic.content == by_bearer.content


UNAUTHENTICATED = [
    (None, "missing API token"),
    ("", "missing API token"),
    ("Basic " + base64.b64encode(b":").decode(), "missing API token"),
    ("Bearer ", "missing API token"),
    ("Basic !!!not-base64!!!", "malformed Basic credentials"),
    ("Basic " + base64.b64encode(b"\xff\xfe:").decode(), "malformed Basic credentials"),
    (
        "Token abc",
        "unsupported authorization scheme: use Basic (the API key as user name) or Bearer",
    ),
    (basic("wrong-key"), "invalid API token"),
    ("Bearer wrong-key", "invalid API token"),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("authorization", "message"), UNAUTHENTICATED)
def test_missing_or_wrong_key_is_a_401(
    cursor_client: TestClient,
    cursor_world: CursorWorld,
    path: str,
    authorization: str | None,
    message: str,
) -> None:
    response = call(cursor_client, path, authorization)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="aicode"'
    assert response.json() == {"error": "Unauthorized", "message": message}


@pytest.mark.parametrize("path", PATHS)
def test_a_key_without_read_scope_is_a_403(
    cursor_client: TestClient, cursor_world: CursorWorld, store: Store, path: str
) -> None:
    _, ingest_key = store.create_token(cursor_world.world.org, "hook", [Scope.INGEST])
    response = get(cursor_client, path, ingest_key, **RANGE)
    assert response.status_code == 403
    assert response.json() == {"error": "Forbidden", "message": "token lacks the 'read' scope"}


def test_an_admin_key_reads_too(
    cursor_client: TestClient, cursor_world: CursorWorld, store: Store
) -> None:
    _, admin_key = store.create_token(cursor_world.world.org, "admin", [Scope.ADMIN])
    assert get(cursor_client, "commits", admin_key, **RANGE).json()["totalCount"] == 5


def test_a_revoked_key_is_a_401(
    cursor_client: TestClient, cursor_world: CursorWorld, store: Store
) -> None:
    token, secret = store.create_token(cursor_world.world.org, "old", [Scope.READ])
    assert get(cursor_client, "changes", secret, **RANGE).status_code == 200
    store.revoke_token(cursor_world.world.org, token.id)
    response = get(cursor_client, "changes", secret, **RANGE)
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthorized", "message": "invalid API token"}


def test_another_teams_key_sees_only_its_own_team(
    cursor_client: TestClient, cursor_world: CursorWorld, cursor_other: Tenant
) -> None:
    for path in ("commits", "changes"):
        body = get(cursor_client, path, cursor_other.read, **RANGE).json()
        assert body == {"items": [], "totalCount": 0, "page": 1, "pageSize": 100}
    commits_csv = get(cursor_client, "commits.csv", cursor_other.read, **RANGE).text
    assert commits_csv.count("\n") == 1
    assert commits_csv.startswith("commit_hash,")
    changes_csv = get(cursor_client, "changes.csv", cursor_other.read, **RANGE).text
    assert changes_csv == (
        "change_id,user_id,user_email,source,model,total_lines_added,total_lines_deleted,"
        "created_at,metadata_json\n"
    )
    ann = cursor_world.world.ann
    response = get(cursor_client, "commits", cursor_other.read, user=ann.encoded_id, **RANGE)
    assert response.status_code == 404
    assert response.json() == {
        "error": "Not Found",
        "message": f"user {ann.encoded_id!r} is not a member of this team",
    }


def test_errors_elsewhere_keep_the_native_shape(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    # The Cursor error renderer is set per request on this surface only.
    response = cursor_client.get(f"/api/v1/organizations/{cursor_world.world.org.id}/overview")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthenticated",
            "message": "missing API token",
            "field": "Authorization",
        }
    }
