"""POST /api/v1/ingest over the app: body forms, answers, errors, limits and auth."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import sqlglot
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.model.tenancy import Scope
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.store.duckdb import DuckDBStore
from tests.api.ingest_answers import one_bad_fact
from tests.conftest import Tenant

URL = "/api/v1/ingest"
TS = "2025-06-01T10:00:00Z"

BATCH: list[dict[str, Any]] = [
    {"type": "completion", "id": "c1", "user": "ann@acme.dev", "ts": TS, "countSuggested": 3,
     "countAccepted": 2},
    {"type": "chat", "id": "h1", "user": "ann@acme.dev", "ts": "2025-06-01T11:00:00Z"},
    {"type": "change", "id": "ch1", "user": "ann@acme.dev", "ts": TS, "source": "NEXT",
     "files": [{"fileName": "a.py", "linesAdded": 2}]},
    {"type": "commit", "user": "ann@acme.dev", "ts": TS, "repo": "acme/app",
     "commitHash": "abcd1234", "files": [{"path": "a.py", "linesAdded": 4,
                                          "attribution": {"ideNextLinesAdded": 2}}]},
    {"type": "typing", "id": "t1", "user": "ann@acme.dev", "ts": TS, "userBytes": 10},
]  # fmt: skip


def ndjson(items: list[dict[str, Any]]) -> bytes:
    return b"\n".join(msgspec.json.encode(item) for item in items)


def post_ndjson(client: TestClient, tenant: Tenant, body: bytes, **headers: str) -> httpx.Response:
    return client.post(
        URL,
        content=body,
        headers=tenant.headers("ingest") | {"Content-Type": "application/x-ndjson"} | headers,
    )


def rollup(store: Store, table: str, *columns: str) -> list[tuple[Any, ...]]:
    # Writes append partial rows to the rollups; folded, each key has one row.
    assert isinstance(store, DuckDBStore)
    store.compact_rollups()
    rows = store.query(sqlglot.select(*columns).from_(table))
    return [tuple(r.values()) for r in rows]


def error(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


@pytest.fixture
def small_client(settings: Settings, store: Store) -> Iterator[TestClient]:
    """The app with small limits: 2,000-byte bodies, 3 facts per request."""
    limited = settings.replace(max_body_bytes=2000, max_batch_items=3)
    with TestClient(create_app(limited, store=store)) as test_client:
        yield test_client


# idempotency ---------------------------------------------------------------------------------


def test_same_batch_three_times_counts_once(
    client: TestClient, store: Store, tenant: Tenant
) -> None:
    answers = [client.post(URL, json=BATCH, headers=tenant.headers("ingest")) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    assert (
        answers[1].json() == answers[2].json() == {"accepted": 0, "duplicates": 5, "rejected": []}
    )
    assert rollup(store, "completion_user_day", "events", "count_suggested", "count_accepted") == [
        (1, 3, 2)
    ]
    assert rollup(store, "chat_user_day", "turns") == [(1,)]
    assert rollup(store, "change_user_day", "source", "changes", "lines_added") == [("TAB", 1, 2)]
    assert rollup(store, "commit_user_day", "commits", "lines_added", "ide_next_added") == [
        (1, 4, 2)
    ]
    assert rollup(store, "commit_ext_user_day", "extension", "files", "lines_added") == [
        (".py", 1, 4)
    ]
    assert rollup(store, "typing_user_day", "user_bytes") == [(10,)]


def test_duplicates_inside_one_batch(client: TestClient, tenant: Tenant) -> None:
    body = BATCH[:1] * 3 + [BATCH[3] | {"id": "other-client-id"}, BATCH[3]]
    answer = client.post(URL, json=body, headers=tenant.headers("ingest"))
    assert answer.json() == {"accepted": 2, "duplicates": 3, "rejected": []}


# mixed and bad batches -----------------------------------------------------------------------


def test_mixed_batch_stores_the_good_and_reports_the_bad(
    client: TestClient, store: Store, tenant: Tenant
) -> None:
    body = [
        BATCH[0],
        BATCH[0] | {"id": "c2", "countAccepted": "2"},
        {"type": "completion", "id": "c3", "ts": TS},
        BATCH[1],
        BATCH[2] | {"id": "ch2", "source": "MAGIC"},
        42,
        BATCH[0] | {"id": "c4", "user": "ghost"},
    ]
    answer = client.post(URL, json=body, headers=tenant.headers("ingest"))
    assert answer.status_code == 200
    assert answer.json() == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {"index": 1, "field": "countAccepted", "reason": "Expected `int`, got `str`"},
            {"index": 2, "field": "user", "reason": "required field is missing"},
            {"index": 4, "field": "source", "reason": "unknown source 'MAGIC'"},
            {"index": 5, "field": None, "reason": "Expected `object`, got `int`"},
            {"index": 6, "field": "user",
             "reason": "unknown user 'ghost': not an email or known id"},
        ],
    }  # fmt: skip
    assert rollup(store, "completions", "fact_id") == [("c1",)]
    assert rollup(store, "chats", "fact_id") == [("h1",)]


def test_a_batch_of_duplicates_and_rejects_is_200(client: TestClient, tenant: Tenant) -> None:
    client.post(URL, json=BATCH[:1], headers=tenant.headers("ingest"))
    answer = client.post(URL, json=[BATCH[0], {"type": "nope"}], headers=tenant.headers("ingest"))
    assert answer.status_code == 200
    assert answer.json() == {
        "accepted": 0,
        "duplicates": 1,
        "rejected": [{"index": 1, "field": "type", "reason": "unknown fact type 'nope'"}],
    }


def test_every_item_bad_is_400_with_the_rejected_list(client: TestClient, tenant: Tenant) -> None:
    body = [BATCH[0] | {"countSuggested": 1, "countAccepted": 2}, {"type": "nope"}]
    answer = client.post(URL, json=body, headers=tenant.headers("ingest"))
    assert answer.status_code == 400
    assert answer.json() == error(
        "invalid_input",
        "no fact in the batch was valid (item 0, field countAccepted: "
        "countAccepted exceeds countSuggested)",
        "countAccepted",
    ) | {
        "accepted": 0,
        "duplicates": 0,
        "rejected": [
            {
                "index": 0,
                "field": "countAccepted",
                "reason": "countAccepted exceeds countSuggested",
            },
            {"index": 1, "field": "type", "reason": "unknown fact type 'nope'"},
        ],
    }


COMMIT = BATCH[3]


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        (BATCH[0] | {"countAccepted": "2"}, "countAccepted", "Expected `int`, got `str`"),
        (BATCH[0] | {"countSuggested": 1.5}, "countSuggested", "Expected `int`, got `float`"),
        (BATCH[0] | {"countAccepted": 4}, "countAccepted", "countAccepted exceeds countSuggested"),
        ({"type": "chat", "user": "ann@acme.dev", "ts": TS}, "id", "required field is missing"),
        ({"type": "chat", "id": "x", "user": "ann@acme.dev"}, "ts", "required field is missing"),
        ({"id": "x", "user": "ann@acme.dev", "ts": TS}, "type", "required field is missing"),
        (BATCH[0] | {"type": "keystroke"}, "type", "unknown fact type 'keystroke'"),
        (BATCH[2] | {"source": "MAGIC"}, "source", "unknown source 'MAGIC'"),
        (BATCH[0] | {"ts": "1999-12-31T23:59:59Z"}, "ts", "date is before 2000-01-01"),
        (BATCH[0] | {"ts": 946684799999}, "ts", "date is before 2000-01-01"),
        (BATCH[0] | {"ts": "2999-01-01T00:00:00Z"}, "ts", "date is in the future"),
        (BATCH[0] | {"ts": "yesterday"}, "ts", "Invalid RFC3339 encoded datetime"),
        (
            COMMIT | {"attribution": {"ideAgentLinesAdded": 9}},
            "attribution",
            "AI lines added exceed the commit's lines added",
        ),
        (
            COMMIT | {"files": [{"path": "a.py", "linesAdded": 1,
                                 "attribution": {"cliAgentLinesAdded": 2}}]},
            "files[0].attribution",
            "AI lines exceed the file's lines",
        ),
        (
            COMMIT | {"commitHash": "not-hex"},
            "commitHash",
            "Expected `str` matching regex '^[0-9a-fA-F]{4,64}$'",
        ),
        (BATCH[0] | {"user": "ghost"}, "user", "unknown user 'ghost': not an email or known id"),
    ],
)  # fmt: skip
def test_each_bad_fact_is_a_400_naming_the_field(
    client: TestClient, tenant: Tenant, item: dict[str, Any], field: str, reason: str
) -> None:
    answer = client.post(URL, json=[item], headers=tenant.headers("ingest"))
    assert answer.status_code == 400
    assert answer.json() == one_bad_fact(field, reason)


EMPTY = "body is empty: send a JSON array or NDJSON of facts"


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"", "application/json", EMPTY),
        (b"\n\n  \n", "application/x-ndjson", EMPTY),
        (b"[{\"type\": ", "application/json",
         "body is not a valid JSON array: Input data was truncated"),
        (b"[1, 2,]", "application/json",
         "body is not a valid JSON array: trailing comma in array (byte 6)"),
        (b'{"facts": []}', "application/json",
         "body must be a JSON array of facts for Content-Type application/json"
         " (send NDJSON as application/x-ndjson)"),
        (b'"hello"', "application/x-ndjson",
         "body must be a JSON array of facts or NDJSON (one fact object per line)"),
        (b"nonsense", "text/plain",
         "body must be a JSON array of facts or NDJSON (one fact object per line)"),
    ],
)  # fmt: skip
def test_unusable_bodies_are_400(
    client: TestClient, tenant: Tenant, body: bytes, content_type: str, message: str
) -> None:
    answer = post_ndjson(client, tenant, body, **{"Content-Type": content_type})
    assert answer.status_code == 400
    assert answer.json() == error("invalid_input", message, "body")


def test_malformed_ndjson_line_is_rejected_by_index(client: TestClient, tenant: Tenant) -> None:
    body = ndjson(BATCH[:1]) + b"\n{oops\n" + ndjson(BATCH[1:2])
    answer = post_ndjson(client, tenant, body)
    assert answer.status_code == 200
    assert answer.json() == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {"index": 1, "field": None,
             "reason": "malformed JSON: object keys must be strings (byte 1)"},
        ],
    }  # fmt: skip


def test_empty_array_is_an_empty_answer(client: TestClient, tenant: Tenant) -> None:
    answer = client.post(URL, json=[], headers=tenant.headers("ingest"))
    assert (answer.status_code, answer.json()) == (
        200,
        {"accepted": 0, "duplicates": 0, "rejected": []},
    )


# body forms ----------------------------------------------------------------------------------


def test_ndjson_with_blank_lines(client: TestClient, tenant: Tenant) -> None:
    body = b"\n\r\n" + ndjson(BATCH).replace(b"\n", b"\r\n\n  \n") + b"\n\n"
    answer = post_ndjson(client, tenant, body)
    assert (answer.status_code, answer.json()) == (
        200,
        {"accepted": 5, "duplicates": 0, "rejected": []},
    )


def test_json_array_without_content_type(client: TestClient, tenant: Tenant) -> None:
    answer = client.post(URL, content=msgspec.json.encode(BATCH), headers=tenant.headers("ingest"))
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}


def test_charset_parameter_is_ignored(client: TestClient, tenant: Tenant) -> None:
    answer = post_ndjson(
        client,
        tenant,
        msgspec.json.encode(BATCH),
        **{"Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}


@pytest.mark.parametrize("encoding", ["gzip", "GZIP", "x-gzip"])
def test_gzip_bodies(client: TestClient, tenant: Tenant, encoding: str) -> None:
    answer = post_ndjson(
        client, tenant, gzip.compress(ndjson(BATCH)), **{"Content-Encoding": encoding}
    )
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    array = client.post(
        URL,
        content=gzip.compress(msgspec.json.encode(BATCH)),
        headers=tenant.headers("ingest")
        | {"Content-Type": "application/json", "Content-Encoding": encoding},
    )
    assert array.json() == {"accepted": 0, "duplicates": 5, "rejected": []}


def test_body_that_is_not_gzip_is_400(client: TestClient, tenant: Tenant) -> None:
    answer = post_ndjson(client, tenant, ndjson(BATCH), **{"Content-Encoding": "gzip"})
    assert answer.status_code == 400
    assert answer.json() == error(
        "invalid_input",
        "body is not valid gzip: Error -3 while decompressing data: incorrect header check",
        "body",
    )
    truncated = gzip.compress(ndjson(BATCH) * 20)[:-40]
    answer = post_ndjson(client, tenant, truncated, **{"Content-Encoding": "gzip"})
    assert answer.json() == error(
        "invalid_input", "body is not valid gzip: the stream is truncated", "body"
    )


def test_unsupported_content_encoding_is_400(client: TestClient, tenant: Tenant) -> None:
    answer = post_ndjson(client, tenant, ndjson(BATCH), **{"Content-Encoding": "br"})
    assert answer.status_code == 400
    assert answer.json() == error(
        "invalid_input",
        "unsupported Content-Encoding 'br': send gzip or no encoding",
        "Content-Encoding",
    )


# limits --------------------------------------------------------------------------------------


def test_body_over_the_limit_is_413(small_client: TestClient, tenant: Tenant) -> None:
    body = ndjson([BATCH[0] | {"id": f"c{i}", "model": "m" * 200} for i in range(10)])
    assert len(body) > 2000
    answer = post_ndjson(small_client, tenant, body)
    assert answer.status_code == 413
    assert answer.json() == error("payload_too_large", "body exceeds 2000 bytes", "body")


def test_streamed_body_over_the_limit_is_413(small_client: TestClient, tenant: Tenant) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b" " * 500

    answer = small_client.post(
        URL, content=chunks(), headers=tenant.headers("ingest") | {"Content-Type": "text/plain"}
    )
    assert answer.status_code == 413
    assert answer.json() == error("payload_too_large", "body exceeds 2000 bytes", "body")


def test_gzip_bomb_is_413(small_client: TestClient, tenant: Tenant) -> None:
    bomb = gzip.compress(b"[" + b" " * 1_900_000 + b"]", compresslevel=9)
    assert len(bomb) < 2000
    answer = post_ndjson(small_client, tenant, bomb, **{"Content-Encoding": "gzip"})
    assert answer.status_code == 413
    assert answer.json() == error(
        "payload_too_large", "decompressed body exceeds 2000 bytes", "body"
    )


def test_the_limit_applies_to_the_decompressed_size(
    small_client: TestClient, tenant: Tenant
) -> None:
    fits = ndjson(BATCH[:3])
    assert len(fits) < 2000
    answer = post_ndjson(small_client, tenant, gzip.compress(fits), **{"Content-Encoding": "gzip"})
    assert answer.json() == {"accepted": 3, "duplicates": 0, "rejected": []}


def test_too_many_items_is_413(small_client: TestClient, tenant: Tenant) -> None:
    answer = small_client.post(URL, json=BATCH[:4], headers=tenant.headers("ingest"))
    assert answer.status_code == 413
    assert answer.json() == error(
        "payload_too_large", "batch has 4 facts; at most 3 per request", None
    )
    answer = post_ndjson(small_client, tenant, ndjson(BATCH[:4]))
    assert answer.status_code == 413


# auth ----------------------------------------------------------------------------------------


def test_missing_token_is_401_with_www_authenticate(client: TestClient) -> None:
    answer = client.post(URL, json=BATCH)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json() == error("unauthenticated", "missing API token", "Authorization")
    answer = client.post(URL, json=BATCH, headers={"Authorization": "Basic abc"})
    assert answer.status_code == 401


def test_unknown_token_is_401(client: TestClient) -> None:
    answer = client.post(URL, json=BATCH, headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json() == error("unauthenticated", "invalid API token", "Authorization")


def test_read_token_is_403(client: TestClient, store: Store, tenant: Tenant) -> None:
    answer = client.post(URL, json=BATCH, headers=tenant.headers("read"))
    assert answer.status_code == 403
    assert answer.json() == error("forbidden", "token lacks the 'ingest' scope", "Authorization")
    assert rollup(store, "completions", "count(*)") == [(0,)]


def test_admin_token_may_ingest(client: TestClient, tenant: Tenant) -> None:
    answer = client.post(URL, json=BATCH, headers=tenant.headers("admin"))
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}


def test_a_revoked_token_is_401(client: TestClient, store: Store, tenant: Tenant) -> None:
    token, secret = store.create_token(tenant.org, "short-lived", [Scope.INGEST])
    store.revoke_token(tenant.org, token.id)
    answer = client.post(URL, json=BATCH, headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401


def test_organization_path_checks_the_token(
    client: TestClient, store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    own = f"/api/v1/organizations/{tenant.org.id}/ingest"
    answer = client.post(own, json=BATCH, headers=tenant.headers("ingest"))
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    for path in (f"/api/v1/organizations/{other_tenant.org.id}/ingest",
                 "/api/v1/organizations/no-such-org/ingest"):  # fmt: skip
        answer = client.post(path, json=BATCH, headers=tenant.headers("ingest"))
        assert answer.status_code == 403
        assert answer.json() == error(
            "forbidden", "token does not belong to this organization", "organizationId"
        )
    answer = client.post(own, json=BATCH, headers=other_tenant.headers("admin"))
    assert answer.status_code == 403
    answer = client.post(own, json=BATCH, headers=tenant.headers("read"))
    assert answer.status_code == 403
    assert rollup(store, "completions", "org_num") == [(tenant.org.num,)]


def test_facts_land_in_the_tokens_organization(
    client: TestClient, store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    client.post(URL, json=BATCH, headers=tenant.headers("ingest"))
    answer = client.post(URL, json=BATCH, headers=other_tenant.headers("ingest"))
    assert answer.json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    assert sorted(rollup(store, "commits", "org_num")) == [
        (tenant.org.num,),
        (other_tenant.org.num,),
    ]


# identity ------------------------------------------------------------------------------------


def test_an_unknown_email_becomes_one_user(
    client: TestClient, store: Store, tenant: Tenant
) -> None:
    for n in range(3):
        body = [BATCH[0] | {"id": f"c{n}-{i}", "user": "NEW@acme.dev"} for i in range(4)]
        assert client.post(URL, json=body, headers=tenant.headers("ingest")).json()["accepted"] == 4
    (user,) = store.list_users(tenant.org)
    assert user.email == "new@acme.dev"
    for i, ref in enumerate([user.id, user.encoded_id, str(user.num)]):
        answer = client.post(
            URL, json=[BATCH[1] | {"id": f"h{i}", "user": ref}], headers=tenant.headers("ingest")
        )
        assert answer.json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert rollup(store, "chat_user_day", "user_num", "turns") == [(user.num, 3)]
    assert len(store.list_users(tenant.org)) == 1


def test_openapi_documents_both_body_forms(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"][URL]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "application/x-ndjson"}


# the examples of docs/ingest.md --------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"


def test_the_documented_quick_start_works(client: TestClient, tenant: Tenant) -> None:
    text = DOCS.read_text()
    found = re.search(r"<<'NDJSON'\n(.*?)\nNDJSON\n", text, re.DOTALL)
    assert found is not None
    body = found.group(1).encode()
    answer = post_ndjson(client, tenant, body)
    assert answer.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    assert post_ndjson(client, tenant, body).json() == {
        "accepted": 0,
        "duplicates": 3,
        "rejected": [],
    }


def test_every_documented_fact_example_is_accepted(
    client: TestClient, store: Store, tenant: Tenant
) -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(), re.DOTALL)
    examples = [json.loads(b) for b in blocks if b.startswith('{"type"')]
    assert sorted(e["type"] for e in examples) == [
        "change",
        "chat",
        "commit",
        "completion",
        "rewrite",
        "typing",
    ]
    answer = client.post(URL, json=examples, headers=tenant.headers("ingest"))
    assert answer.json() == {"accepted": 6, "duplicates": 0, "rejected": []}
    (commit,) = store.query(
        sqlglot.select("lines_added", "ai_lines_added", "attribution_origin").from_("commits")
    )
    assert commit == {"lines_added": 5, "ai_lines_added": 4, "attribution_origin": "client"}
