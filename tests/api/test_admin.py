"""The identity administration API: people in bulk, identities, departments."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant

CSV = (
    "email,name,department,groups,aliases\n"
    "ann@acme.dev,Ann,Eng/Platform,backend;oncall,ann@gmail.com|user_cursor1\n"
    "bob@acme.dev,Bob,Eng,,\n"
)
PEOPLE = {
    "people": [
        {
            "email": "ann@acme.dev",
            "name": "Ann",
            "department": "Eng/Platform",
            "groups": ["backend", "oncall"],
            "aliases": ["ann@gmail.com", "user_cursor1"],
        },
        {"email": "bob@acme.dev", "name": "Bob", "department": "Eng"},
    ]
}
CREATED = {
    "usersCreated": 2,
    "usersUpdated": 0,
    "usersUnchanged": 0,
    "usersMerged": 0,
    "departmentsCreated": 2,
    "aliasesAdded": 2,
    "dryRun": False,
}
UNCHANGED = {
    "usersCreated": 0,
    "usersUpdated": 0,
    "usersUnchanged": 2,
    "usersMerged": 0,
    "departmentsCreated": 0,
    "aliasesAdded": 0,
    "dryRun": False,
}


def url(tenant: Tenant, path: str) -> str:
    return f"/api/v1/organizations/{tenant.org.id}/{path}"


def error(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def load(client: TestClient, tenant: Tenant) -> None:
    response = client.post(url(tenant, "people"), json=PEOPLE, headers=tenant.headers("admin"))
    assert response.status_code == 200, response.text


def person(store: Store, tenant: Tenant, ref: str) -> dict[str, Any]:
    user = store.find_user(tenant.org, ref)
    assert user is not None
    paths = {d.id: d for d in store.list_departments(tenant.org)}
    return {
        "id": user.id,
        "numericId": user.num,
        "encodedId": user.encoded_id,
        "email": user.email,
        "displayName": user.display_name,
        "departmentId": paths[user.department_id].id if user.department_id else None,
        "groups": list(user.groups),
        "privacyMode": user.privacy_mode,
    }


# POST people ---------------------------------------------------------------------------------


def test_post_people_json_then_again_changes_nothing(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    first = client.post(url(tenant, "people"), json=PEOPLE, headers=headers)
    assert (first.status_code, first.json()) == (200, CREATED)
    second = client.post(url(tenant, "people"), json=PEOPLE, headers=headers)
    assert (second.status_code, second.json()) == (200, UNCHANGED)


def test_post_people_csv_is_the_same_import(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin") | {"Content-Type": "text/csv; charset=utf-8"}
    first = client.post(url(tenant, "people"), content=CSV, headers=headers)
    assert (first.status_code, first.json()) == (200, CREATED)
    json_again = client.post(url(tenant, "people"), json=PEOPLE, headers=tenant.headers("admin"))
    assert json_again.json() == UNCHANGED


def test_post_people_dry_run_writes_nothing(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        url(tenant, "people") + "?dryRun=true", json=PEOPLE, headers=tenant.headers("admin")
    )
    assert response.json() == CREATED | {"dryRun": True}
    listed = client.get(url(tenant, "people"), headers=tenant.headers("read"))
    assert listed.json() == {"people": []}


def test_reposting_a_person_moves_them(client: TestClient, store: Store, tenant: Tenant) -> None:
    load(client, tenant)
    moved = {"people": [{"email": "BOB@acme.dev ", "department": "Sales/EMEA"}]}
    response = client.post(url(tenant, "people"), json=moved, headers=tenant.headers("admin"))
    assert response.json() == {
        "usersCreated": 0,
        "usersUpdated": 1,
        "usersUnchanged": 0,
        "usersMerged": 0,
        "departmentsCreated": 2,
        "aliasesAdded": 0,
        "dryRun": False,
    }
    departments = {d.path: d.id for d in store.list_departments(tenant.org)}
    assert person(store, tenant, "bob@acme.dev")["departmentId"] == departments["Sales/EMEA"]
    assert person(store, tenant, "bob@acme.dev")["displayName"] == "Bob"


def test_post_people_updates_the_user_ingest_created(
    client: TestClient, store: Store, tenant: Tenant
) -> None:
    fact = {"type": "completion", "id": "c1", "user": "ann@gmail.com", "ts": "2025-06-01T10:00:00Z"}
    ingest_items(store, tenant.org, [decode_item(msgspec.json.encode(fact), 0)])
    (auto,) = store.list_users(tenant.org)
    load(client, tenant)
    ann = person(store, tenant, "ann@acme.dev")
    assert (ann["id"], ann["email"], ann["displayName"]) == (auto.id, "ann@acme.dev", "Ann")
    assert len(store.list_users(tenant.org)) == 2


def test_post_people_reports_every_bad_item(client: TestClient, tenant: Tenant) -> None:
    body = {
        "people": [
            {"email": "ann@acme.dev", "department": "Eng//x"},
            {"email": "nope", "privacyMode": "yes"},
        ]
    }
    response = client.post(url(tenant, "people"), json=body, headers=tenant.headers("admin"))
    assert response.status_code == 400
    assert response.json() == error(
        "invalid_input",
        "people[0]: department path 'Eng//x' has an empty part (and 2 more problems)",
        "people[0].department",
    ) | {
        "errors": [
            {
                "index": 0,
                "field": "people[0].department",
                "message": "department path 'Eng//x' has an empty part",
            },
            {
                "index": 1,
                "field": "people[1].privacyMode",
                "message": "privacyMode must be true or false",
            },
            {"index": 1, "field": "people[1].email", "message": "invalid email 'nope'"},
        ]
    }


def test_post_people_csv_errors_name_lines(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers("admin") | {"Content-Type": "text/csv"}
    response = client.post(
        url(tenant, "people"), content="email,name\nann@acme.dev,Ann\nx,X\n", headers=headers
    )
    assert (response.status_code, response.json()) == (
        400,
        error("invalid_input", "line 3: invalid email 'x'", "email")
        | {"errors": [{"line": 3, "field": "email", "message": "invalid email 'x'"}]},
    )


@pytest.mark.parametrize(
    ("content", "content_type", "message", "field"),
    [
        (
            b"{",
            "application/json",
            "the body is not valid JSON: unexpected end of data: line 1 column 2 (char 1)",
            "body",
        ),
        (b"", "application/json", "the request body is empty", "body"),
        (
            b'{"persons": []}',
            "application/json",
            'expected a JSON object with a "people" list',
            "people",
        ),
        (b'{"people": [], "dry": 1}', "application/json", "unknown field 'dry'", "dry"),
        (
            b"email\n",
            "text/plain",
            "unsupported Content-Type 'text/plain'; send application/json or text/csv",
            "Content-Type",
        ),
        (
            b"",
            "text/csv",
            "the CSV is empty; expected a header row (email,name,department,"
            "groups,aliases,privacy_mode)",
            "body",
        ),
        (
            b"mail\nx@y.dev\n",
            "text/csv",
            "line 1: unknown column 'mail' (known: email, name,"
            " department, groups, aliases, privacy_mode) (and 1 more problem)",
            "header",
        ),
    ],
)
def test_post_people_bad_bodies(
    client: TestClient,
    tenant: Tenant,
    content: bytes,
    content_type: str,
    message: str,
    field: str,
) -> None:
    headers = tenant.headers("admin") | {"Content-Type": content_type}
    response = client.post(url(tenant, "people"), content=content, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == error("invalid_input", message, field)["error"]


def test_post_people_alias_conflict_is_409(client: TestClient, tenant: Tenant) -> None:
    load(client, tenant)
    body = {"people": [{"email": "carol@acme.dev", "aliases": ["ann@gmail.com"]}]}
    response = client.post(url(tenant, "people"), json=body, headers=tenant.headers("admin"))
    assert (response.status_code, response.json()) == (
        409,
        error(
            "conflict",
            "people[0]: alias 'ann@gmail.com' already names another person (ann@acme.dev)",
            "aliases",
        ),
    )


def test_post_people_body_limit(settings: Settings, store: Store, tenant: Tenant) -> None:
    small = settings.replace(max_body_bytes=64)
    with TestClient(create_app(small, store=store)) as client:
        response = client.post(url(tenant, "people"), json=PEOPLE, headers=tenant.headers("admin"))
    assert (response.status_code, response.json()) == (
        413,
        error("payload_too_large", "body exceeds 64 bytes", "body"),
    )


# people and users ----------------------------------------------------------------------------


def test_get_people_lists_the_directory(client: TestClient, store: Store, tenant: Tenant) -> None:
    load(client, tenant)
    response = client.get(url(tenant, "people"), headers=tenant.headers("read"))
    ann, bob = person(store, tenant, "ann@acme.dev"), person(store, tenant, "bob@acme.dev")
    assert ann["groups"] == ["backend", "oncall"]
    assert bob["displayName"] == "Bob"
    assert response.json() == {"people": [ann, bob]}


def test_get_user_resolves_every_identity(client: TestClient, store: Store, tenant: Tenant) -> None:
    load(client, tenant)
    ann = person(store, tenant, "ann@acme.dev")
    for ref in (
        "ANN@acme.dev",
        ann["id"],
        ann["encodedId"],
        str(ann["numericId"]),
        "ann@gmail.com",
        "user_cursor1",
    ):
        response = client.get(url(tenant, f"users/{ref}"), headers=tenant.headers("read"))
        assert (response.status_code, response.json()) == (200, ann), ref


def test_get_unknown_user_is_404(client: TestClient, tenant: Tenant) -> None:
    response = client.get(url(tenant, "users/zed@acme.dev"), headers=tenant.headers("read"))
    assert (response.status_code, response.json()) == (
        404,
        error("not_found", "no user is known as 'zed@acme.dev'", "ref"),
    )


def test_post_aliases_adds_identities(client: TestClient, store: Store, tenant: Tenant) -> None:
    load(client, tenant)
    body = {"aliases": ["Bob.Git@Gmail.com", "lingma-77", "bob@acme.dev"]}
    response = client.post(
        url(tenant, "users/bob@acme.dev/aliases"), json=body, headers=tenant.headers("admin")
    )
    bob = person(store, tenant, "bob@acme.dev")
    assert (response.status_code, response.json()) == (
        200,
        {"user": bob, "aliasesAdded": 2, "usersMerged": 0},
    )
    assert person(store, tenant, "LINGMA-77") == bob
    again = client.post(
        url(tenant, f"users/{bob['id']}/aliases"), json=body, headers=tenant.headers("admin")
    )
    assert again.json() == {"user": bob, "aliasesAdded": 0, "usersMerged": 0}


def test_post_aliases_conflict_and_unknown_user(client: TestClient, tenant: Tenant) -> None:
    load(client, tenant)
    taken = client.post(
        url(tenant, "users/bob@acme.dev/aliases"),
        json={"aliases": ["user_cursor1"]},
        headers=tenant.headers("admin"),
    )
    assert (taken.status_code, taken.json()) == (
        409,
        error(
            "conflict",
            "alias 'user_cursor1' already names another person (ann@acme.dev)",
            "aliases",
        ),
    )
    unknown = client.post(
        url(tenant, "users/zed@acme.dev/aliases"),
        json={"aliases": ["z@x.dev"]},
        headers=tenant.headers("admin"),
    )
    assert (unknown.status_code, unknown.json()) == (
        404,
        error("not_found", "no user is known as 'zed@acme.dev'", "ref"),
    )


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        ({}, 'expected a JSON object with "aliases"', "aliases"),
        ({"aliases": "a@x.dev"}, "aliases must be a list of strings", "aliases"),
        ({"aliases": [1]}, "aliases must be a list of strings", "aliases"),
        ({"aliases": [" "]}, "aliases must name at least one alias", "aliases"),
        (
            {"aliases": ["a b"]},
            "alias 'a b' contains a space or comma; separate aliases with ';' or '|'",
            "aliases",
        ),
        ({"aliases": ["a@x.dev"], "user": "x"}, "unknown field 'user'", "user"),
    ],
)
def test_post_aliases_bad_bodies(
    client: TestClient, tenant: Tenant, body: Any, message: str, field: str
) -> None:
    load(client, tenant)
    response = client.post(
        url(tenant, "users/bob@acme.dev/aliases"), json=body, headers=tenant.headers("admin")
    )
    assert (response.status_code, response.json()) == (400, error("invalid_input", message, field))


# departments ---------------------------------------------------------------------------------


def test_departments_tree(client: TestClient, store: Store, tenant: Tenant) -> None:
    headers = tenant.headers("admin")
    created = client.post(
        url(tenant, "departments"), json={"path": " Eng / Platform "}, headers=headers
    )
    depts = {d.path: d for d in store.list_departments(tenant.org)}
    eng, platform = depts["Eng"], depts["Eng/Platform"]
    assert (created.status_code, created.json()) == (
        201,
        {"id": platform.id, "name": "Platform", "path": "Eng/Platform", "parentId": eng.id},
    )
    found = client.post(url(tenant, "departments"), json={"path": "eng/platform"}, headers=headers)
    assert (found.status_code, found.json()) == (200, created.json())
    client.post(url(tenant, "departments"), json={"path": "Eng Ops"}, headers=headers)
    ops = next(d for d in store.list_departments(tenant.org) if d.path == "Eng Ops")
    tree = client.get(url(tenant, "departments/tree"), headers=tenant.headers("read"))
    assert tree.json() == {
        "departments": [
            {"id": eng.id, "name": "Eng", "path": "Eng", "parentId": None},
            {"id": platform.id, "name": "Platform", "path": "Eng/Platform", "parentId": eng.id},
            {"id": ops.id, "name": "Eng Ops", "path": "Eng Ops", "parentId": None},
        ]
    }


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        ({}, 'expected a JSON object with "path"', "path"),
        ({"path": 3}, "path must be a string like 'Eng/Platform'", "path"),
        ({"path": "Eng//Platform"}, "department path 'Eng//Platform' has an empty part", "path"),
        ({"path": "  "}, "department path is empty", "path"),
    ],
)
def test_post_department_bad_bodies(
    client: TestClient, tenant: Tenant, body: Any, message: str, field: str
) -> None:
    response = client.post(url(tenant, "departments"), json=body, headers=tenant.headers("admin"))
    assert (response.status_code, response.json()) == (400, error("invalid_input", message, field))


# authentication and scopes -------------------------------------------------------------------

ADMIN_CALLS = [
    ("post", "people", {"people": []}),
    ("post", "users/ann@acme.dev/aliases", {"aliases": ["a@x.dev"]}),
    ("post", "departments", {"path": "Eng"}),
]
READ_CALLS = [
    ("get", "people", None),
    ("get", "users/ann@acme.dev", None),
    ("get", "departments/tree", None),
]


def call(client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    if method == "post":
        return client.post(path, json=body, headers=headers)
    return client.get(path, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS + READ_CALLS)
def test_missing_token_is_401(
    client: TestClient, tenant: Tenant, method: str, path: str, body: Any
) -> None:
    response = call(client, method, url(tenant, path), body, {})
    assert (response.status_code, response.json()) == (
        401,
        error("unauthenticated", "missing API token", "Authorization"),
    )


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_read_token_cannot_administer(
    client: TestClient, tenant: Tenant, method: str, path: str, body: Any
) -> None:
    response = call(client, method, url(tenant, path), body, tenant.headers("read"))
    assert (response.status_code, response.json()) == (
        403,
        error("forbidden", "token lacks the 'admin' scope", "Authorization"),
    )


@pytest.mark.parametrize(("method", "path", "body"), READ_CALLS)
def test_ingest_token_cannot_read(
    client: TestClient, tenant: Tenant, method: str, path: str, body: Any
) -> None:
    response = call(client, method, url(tenant, path), body, tenant.headers("ingest"))
    assert (response.status_code, response.json()) == (
        403,
        error("forbidden", "token lacks the 'read' scope", "Authorization"),
    )


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS + READ_CALLS)
def test_another_organizations_token_is_403(
    client: TestClient,
    tenant: Tenant,
    other_tenant: Tenant,
    method: str,
    path: str,
    body: Any,
) -> None:
    load(client, tenant)
    response = call(client, method, url(tenant, path), body, other_tenant.headers("admin"))
    assert (response.status_code, response.json()) == (
        403,
        error("forbidden", "token does not belong to this organization", "organizationId"),
    )
    assert client.get(url(other_tenant, "people"), headers=other_tenant.headers("read")).json() == {
        "people": []
    }
