# ruff: noqa: F811 (test arguments name the qoder_org fixture imported below)
"""Qoder's error shape on every endpoint: BadRequest, Unauthorized, Forbidden, InternalError."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from aicode import metrics
from aicode.model.tenancy import Scope
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.qoder.errors import QODER
from tests.conftest import Tenant
from tests.failing_routes import SECRET, failing_client
from tests.surfaces.conftest_qoder import QoderOrg, assert_error, qoder_org  # noqa: F401

STATS_RANGE = "start_date=2025-06-02T00:00:00Z&end_date=2025-06-05T23:59:59Z"
TRACKING_RANGE = "startDate=2025-06-02T00:00:00Z&endDate=2025-06-06T00:00:00Z"
DETAIL = "ai-code-tracking/commits/detail"
ENDPOINTS = [
    ("GET", "ai-code/stats/overview", STATS_RANGE),
    ("GET", "ai-code/stats/daily-trend", STATS_RANGE),
    ("GET", "ai-code/stats/member-ranking", STATS_RANGE),
    ("GET", "ai-code/repos", STATS_RANGE),
    ("GET", "ai-code/file-extensions", STATS_RANGE),
    ("POST", DETAIL, ""),
    ("GET", "ai-code-tracking/commits", TRACKING_RANGE),
    ("GET", "ai-code-tracking/commits/export", TRACKING_RANGE),
    ("GET", "ai-code-tracking/changes", TRACKING_RANGE),
    ("GET", "ai-code-tracking/changes/export", TRACKING_RANGE),
]


def call(
    client: TestClient,
    method: str,
    org_id: str,
    path: str,
    query: str,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    url = f"/v1/organizations/{org_id}/{path}?{query}"
    if method == "POST":
        return client.post(url, json={"commitHashes": ["dddd0005"]}, headers=headers)
    return client.get(url, headers=headers)


@pytest.mark.parametrize(("method", "path", "query"), ENDPOINTS)
def test_every_endpoint_answers_with_a_read_token(
    client: TestClient, qoder_org: QoderOrg, method: str, path: str, query: str
) -> None:
    response = call(client, method, qoder_org.world.org.id, path, query, qoder_org.headers)
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path", "query"), ENDPOINTS)
def test_missing_or_wrong_token_is_unauthorized(
    client: TestClient, qoder_org: QoderOrg, method: str, path: str, query: str
) -> None:
    org_id = qoder_org.world.org.id
    missing = call(client, method, org_id, path, query)
    assert_error(missing, 401, "Unauthorized", "missing API token", "Authorization")
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = call(client, method, org_id, path, query, {"Authorization": "Bearer aic_nope"})
    assert_error(wrong, 401, "Unauthorized", "invalid API token", "Authorization")
    secret = qoder_org.headers["Authorization"].removeprefix("Bearer ")
    basic = call(client, method, org_id, path, query, {"Authorization": f"Basic {secret}"})
    assert_error(basic, 401, "Unauthorized", "missing API token", "Authorization")


@pytest.mark.parametrize(("method", "path", "query"), ENDPOINTS)
def test_another_organization_is_forbidden(
    client: TestClient,
    qoder_org: QoderOrg,
    other_tenant: Tenant,
    store: Store,
    method: str,
    path: str,
    query: str,
) -> None:
    org_id = qoder_org.world.org.id
    # A token of another organization, on this organization's id.
    other = call(client, method, org_id, path, query, other_tenant.headers("read"))
    assert_error(
        other, 403, "Forbidden", "token does not belong to this organization", "organizationId"
    )
    # This organization's token on the other organization's id.
    theirs = call(client, method, other_tenant.org.id, path, query, qoder_org.headers)
    assert_error(
        theirs, 403, "Forbidden", "token does not belong to this organization", "organizationId"
    )
    _, ingest_only = store.create_token(qoder_org.world.org, "i", [Scope.INGEST])
    scoped = call(client, method, org_id, path, query, {"Authorization": f"Bearer {ingest_only}"})
    assert_error(scoped, 403, "Forbidden", "token lacks the 'read' scope", "Authorization")
    # Not an organization id at all.
    bad = call(client, method, "org_xxx", path, query, qoder_org.headers)
    assert_error(
        bad, 400, "BadRequest", "organization_id must be a UUID, got 'org_xxx'", "organization_id"
    )


def time_message(field: str, value: str) -> str:
    return f"{field} must be an RFC 3339 time or epoch milliseconds, got {value!r}"


STATS_BAD_INPUTS = [
    ("ai-code/stats/overview", "", "start_date is required", "start_date"),
    (
        "ai-code/stats/daily-trend",
        "start_date=2025-06-02T00:00:00Z",
        "end_date is required",
        "end_date",
    ),
    (
        "ai-code/stats/member-ranking",
        "start_date=2025-13-01T00:00:00Z&end_date=2025-06-05T00:00:00Z",
        time_message("start_date", "2025-13-01T00:00:00Z"),
        "start_date",
    ),
    (
        "ai-code/stats/overview",
        "start_date=2025-06-02T00:00:00Z&end_date=June",
        time_message("end_date", "June"),
        "end_date",
    ),
    (
        "ai-code/stats/overview",
        "start_date=2025-06-05T00:00:00Z&end_date=2025-06-02T00:00:00Z",
        "end_date must not be before start_date",
        "end_date",
    ),
    (
        "ai-code/stats/overview",
        "start_date=2025-01-01T00:00:00Z&end_date=2025-06-02T00:00:00Z",
        "start_date to end_date may span at most 90 days",
        "start_date",
    ),
    (
        "ai-code/stats/daily-trend",
        STATS_RANGE + "&primary_branch_only=yes",
        "primary_branch_only must be true or false, got 'yes'",
        "primary_branch_only",
    ),
    (
        "ai-code/stats/member-ranking",
        STATS_RANGE + "&limit=0",
        "limit must be an integer from 1 to 10000, got '0'",
        "limit",
    ),
    (
        "ai-code/stats/member-ranking",
        STATS_RANGE + "&limit=ten",
        "limit must be an integer from 1 to 10000, got 'ten'",
        "limit",
    ),
    (
        "ai-code/repos",
        "per_page=101",
        "per_page must be an integer from 1 to 100, got '101'",
        "per_page",
    ),
    ("ai-code/repos", "page=0", "page must be an integer from 1 to 2147483647, got '0'", "page"),
    (
        "ai-code/repos",
        "start_date=yesterday",
        time_message("start_date", "yesterday"),
        "start_date",
    ),
    (
        "ai-code/file-extensions",
        "start_date=2025-01-01T00:00:00Z",
        "start_date to end_date may span at most 90 days",
        "start_date",
    ),
]


@pytest.mark.parametrize(("path", "query", "message", "field"), STATS_BAD_INPUTS)
def test_stats_bad_inputs(
    client: TestClient, qoder_org: QoderOrg, path: str, query: str, message: str, field: str
) -> None:
    assert_error(qoder_org.get(client, path, query), 400, "BadRequest", message, field)


TRACKING_BAD_INPUTS = [
    ("pageSize=201", "pageSize must be an integer from 1 to 200, got '201'", "pageSize"),
    ("pageSize=0", "pageSize must be an integer from 1 to 200, got '0'", "pageSize"),
    ("page=-1", "page must be an integer from 1 to 2147483647, got '-1'", "page"),
    ("userId=abc", "userId must be a UUID, got 'abc'", "userId"),
    (
        "startDate=2025-06-31T00:00:00Z",
        time_message("startDate", "2025-06-31T00:00:00Z"),
        "startDate",
    ),
    (
        "startDate=2025-06-05T00:00:00Z&endDate=2025-06-04T00:00:00Z",
        "endDate must not be before startDate",
        "endDate",
    ),
    (
        "startDate=2025-01-01T00:00:00Z&endDate=2025-06-04T00:00:00Z",
        "startDate to endDate may span at most 90 days",
        "startDate",
    ),
]


@pytest.mark.parametrize(
    "path",
    [
        "ai-code-tracking/commits",
        "ai-code-tracking/changes",
    ],
)
@pytest.mark.parametrize(("query", "message", "field"), TRACKING_BAD_INPUTS)
def test_tracking_bad_inputs(
    client: TestClient, qoder_org: QoderOrg, path: str, query: str, message: str, field: str
) -> None:
    assert_error(qoder_org.get(client, path, query), 400, "BadRequest", message, field)


@pytest.mark.parametrize(
    "path", ["ai-code-tracking/commits/export", "ai-code-tracking/changes/export"]
)
@pytest.mark.parametrize(("query", "message", "field"), TRACKING_BAD_INPUTS[3:])
def test_export_bad_inputs(
    client: TestClient, qoder_org: QoderOrg, path: str, query: str, message: str, field: str
) -> None:
    assert_error(qoder_org.get(client, path, query), 400, "BadRequest", message, field)


@pytest.mark.parametrize("path", ["ai-code-tracking/changes", "ai-code-tracking/changes/export"])
def test_unknown_change_source(client: TestClient, qoder_org: QoderOrg, path: str) -> None:
    response = qoder_org.get(client, path, TRACKING_RANGE + "&source=TAB")
    message = "source must be one of AGENT, NEXT, QUEST, INLINECHAT, got 'TAB'"
    assert_error(response, 400, "BadRequest", message, "source")


HASHES_MESSAGE = "commitHashes must be a non-empty list of commit hashes"


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        ({}, HASHES_MESSAGE, "commitHashes"),
        ({"commitHashes": []}, HASHES_MESSAGE, "commitHashes"),
        ({"commitHashes": "dddd0005"}, HASHES_MESSAGE, "commitHashes"),
        (
            {"commitHashes": [f"{i:08x}" for i in range(51)]},
            "commitHashes may hold at most 50 hashes, got 51",
            "commitHashes",
        ),
        (
            {"commitHashes": ["dddd0005", 5]},
            "commitHashes[1] must be a commit hash string",
            "commitHashes[1]",
        ),
        (
            {"commitHashes": [" "]},
            "commitHashes[0] must be a commit hash string",
            "commitHashes[0]",
        ),
        ({"commitHashes": ["dddd0005"], "branch": 1}, "branch must be a string", "branch"),
        (["dddd0005"], "the body must be a JSON object", None),
    ],
)
def test_commit_detail_bad_bodies(
    client: TestClient, qoder_org: QoderOrg, body: Any, message: str, field: str | None
) -> None:
    response = qoder_org.post(client, DETAIL, body)
    assert_error(response, 400, "BadRequest", message, field)


def test_commit_detail_body_that_is_not_json(client: TestClient, qoder_org: QoderOrg) -> None:
    response = client.post(
        f"{qoder_org.base}/{DETAIL}",
        content=b"{commitHashes:",
        headers=qoder_org.headers | {"Content-Type": "application/json"},
    )
    assert_error(response, 400, "BadRequest", "the body must be a JSON object", None)


def test_failures_are_internal_errors_in_qoder_shape(
    client: TestClient, qoder_org: QoderOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(metrics, "commit_totals", broken)
    response = qoder_org.get(client, "ai-code/stats/overview", STATS_RANGE)
    assert_error(response, 500, "InternalError", "internal server error", None)
    # The cause stays in the server log, never in the answer.
    assert "disk" not in response.text


def test_frameworkvalidation_errors_are_bad_requests() -> None:
    # Every Qoder parameter is parsed by the surface itself; should FastAPI reject one
    # first, the answer keeps Qoder's shape and names the parameter.
    router = QODER.router()

    @router.get("/typed")
    def typed(limit: Annotated[int, Query()]) -> dict[str, int]:
        return {"limit": limit}

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as test_client:
        assert test_client.get("/typed?limit=2").json() == {"limit": 2}
        response = test_client.get("/typed?limit=ten")
    assert_error(
        response,
        400,
        "BadRequest",
        "limit: Input should be a valid integer, unable to parse string as an integer",
        "limit",
    )


@pytest.mark.parametrize("method", ["GET", "POST", "PROPFIND"])
@pytest.mark.parametrize(
    "rest", ["", "/ai-code/stats", "/ai-code/stats/overview/extra", "/members"]
)
def test_every_unserved_path_under_the_prefix_is_not_found(
    client: TestClient, qoder_org: QoderOrg, method: str, rest: str
) -> None:
    path = f"/v1/organizations/{qoder_org.world.org.id}{rest}"
    response = client.request(method, path, headers=qoder_org.headers)
    assert_error(response, 404, "NotFound", f"Qoder has no endpoint {path}", None)


@pytest.mark.parametrize(("method", "path", "query"), ENDPOINTS)
def test_another_method_on_an_endpoint_is_method_not_allowed(
    client: TestClient, qoder_org: QoderOrg, method: str, path: str, query: str
) -> None:
    url = f"/v1/organizations/{qoder_org.world.org.id}/{path}"
    other = "GET" if method == "POST" else "DELETE"
    response = client.request(other, url, headers=qoder_org.headers)
    allowed = "POST" if method == "POST" else "GET"
    message = f"{url} answers {allowed}, not {other}"
    assert_error(response, 405, "MethodNotAllowed", message, None)
    assert response.headers["allow"] == allowed


def test_an_unexpected_exception_of_any_qoder_route_is_an_internal_error(
    settings: Settings, store: Store
) -> None:
    with failing_client(settings, store, QODER, "/v1/organizations/{organization_id}/boom") as c:
        response = c.post("/v1/organizations/x/boom")
    assert_error(response, 500, "InternalError", "internal server error", None)
    assert SECRET not in response.text
