"""Lingma errors: Yunxiao's status and error code, the exact message, a request id everywhere."""

from __future__ import annotations

import re
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from aicode.errors import Conflict, InvalidInput, RequestError
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.lingma import routes
from aicode.surfaces.lingma.errors import LINGMA
from tests.conftest import Tenant
from tests.failing_routes import SECRET, failing_client

ENDPOINTS = ("developerUsage", "departmentUsage")
RANGE = {"startTime": "2025-06-02", "endTime": "2025-06-05"}
REQUEST_ID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}")


def lingma_call(
    client: TestClient, org_id: str, endpoint: str, token: str | None, **params: str
) -> httpx.Response:
    """A GET of a Lingma endpoint, with the token in ``x-yunxiao-token`` when given."""
    headers = {"x-yunxiao-token": token} if token is not None else {}
    return client.get(
        f"/oapi/v1/lingma/organizations/{org_id}/{endpoint}", params=params, headers=headers
    )


def assert_error(answer: httpx.Response, status: int, code: str, message: str) -> None:
    """The status, and a body in Yunxiao's shape whose request id is the header's."""
    request_id = answer.headers["x-request-id"]
    assert REQUEST_ID.fullmatch(request_id)
    assert answer.status_code == status
    assert answer.json() == {"errorCode": code, "errorMessage": message, "requestId": request_id}


@pytest.fixture
def lingma_ids(client: TestClient, tenant: Tenant, other_tenant: Tenant) -> dict[str, str]:
    """A department and a person in each organization, by role."""
    ids: dict[str, str] = {}
    for role, who in (("own", tenant), ("other", other_tenant)):
        base = f"/api/v1/organizations/{who.org.id}"
        people = {"people": [{"email": "ann@acme.dev", "department": "Eng"}]}
        assert client.post(f"{base}/people", json=people, headers=who.headers("admin")).is_success
        listed = client.get(f"{base}/people", headers=who.headers()).json()["people"]
        ids[f"{role} user"] = listed[0]["id"]
        ids[f"{role} department"] = listed[0]["departmentId"]
    return ids


def valid_params(endpoint: str, ids: dict[str, str]) -> dict[str, str]:
    """Parameters that succeed on an endpoint."""
    if endpoint == "departmentUsage":
        return {"departmentId": ids["own department"], **RANGE}
    return dict(RANGE)


# authentication and organization ---------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_read_or_admin_token_of_the_organization_is_accepted(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    params = valid_params(endpoint, lingma_ids)
    for token in (tenant.read, tenant.admin):
        answer = lingma_call(client, tenant.org.id, endpoint, token, **params)
        assert answer.status_code == 200
        assert REQUEST_ID.fullmatch(answer.headers["x-request-id"])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token_is_401(
    client: TestClient,
    tenant: Tenant,
    lingma_ids: dict[str, str],
    endpoint: str,
    token: str | None,
) -> None:
    answer = lingma_call(
        client, tenant.org.id, endpoint, token, **valid_params(endpoint, lingma_ids)
    )
    assert_error(answer, 401, "Unauthorized", "missing x-yunxiao-token header")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_native_bearer_header_is_not_the_lingma_token(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    answer = client.get(
        f"/oapi/v1/lingma/organizations/{tenant.org.id}/{endpoint}",
        params=valid_params(endpoint, lingma_ids),
        headers=tenant.headers("read"),
    )
    assert_error(answer, 401, "Unauthorized", "missing x-yunxiao-token header")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_token_is_401(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    answer = lingma_call(
        client, tenant.org.id, endpoint, "pt-0fh3nope", **valid_params(endpoint, lingma_ids)
    )
    assert_error(answer, 401, "InvalidTokenError", "x-yunxiao-token is not a valid token")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_token_without_read_scope_is_403(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    answer = lingma_call(
        client, tenant.org.id, endpoint, tenant.ingest, **valid_params(endpoint, lingma_ids)
    )
    assert_error(answer, 403, "Forbidden", "the x-yunxiao-token token lacks the 'read' scope")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_another_organizations_token_is_403(
    client: TestClient,
    tenant: Tenant,
    other_tenant: Tenant,
    lingma_ids: dict[str, str],
    endpoint: str,
) -> None:
    answer = lingma_call(
        client, tenant.org.id, endpoint, other_tenant.read, **valid_params(endpoint, lingma_ids)
    )
    assert_error(
        answer,
        403,
        "Forbidden.InvalidUser.UserNotInCurrentOrganization",
        f"the x-yunxiao-token token does not belong to organization {tenant.org.id!r}",
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unknown_organization_id_is_403_like_another_organization(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    answer = lingma_call(
        client,
        "67d8e0b9120358055abf0000",
        endpoint,
        tenant.read,
        **valid_params(endpoint, lingma_ids),
    )
    assert_error(
        answer,
        403,
        "Forbidden.InvalidUser.UserNotInCurrentOrganization",
        "the x-yunxiao-token token does not belong to organization '67d8e0b9120358055abf0000'",
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_authentication_is_checked_before_parameters(
    client: TestClient, tenant: Tenant, endpoint: str
) -> None:
    answer = lingma_call(client, tenant.org.id, endpoint, None, startTime="yesterday")
    assert_error(answer, 401, "Unauthorized", "missing x-yunxiao-token header")


# dates -----------------------------------------------------------------------------------------

BAD_DATES: list[tuple[dict[str, str], str]] = [
    ({"endTime": "2025-06-05"}, "startTime is required"),
    ({"startTime": "", "endTime": "2025-06-05"}, "startTime is required"),
    ({"startTime": "2025-06-02"}, "endTime is required"),
    ({"startTime": "2025/06/02", "endTime": "2025-06-05"},
     "startTime must be a date as YYYY-MM-DD, got '2025/06/02'"),
    ({"startTime": "2025-6-2", "endTime": "2025-06-05"},
     "startTime must be a date as YYYY-MM-DD, got '2025-6-2'"),
    ({"startTime": "20250602", "endTime": "2025-06-05"},
     "startTime must be a date as YYYY-MM-DD, got '20250602'"),
    ({"startTime": "2025-06-02", "endTime": "2025-02-30"},
     "endTime must be a date as YYYY-MM-DD, got '2025-02-30'"),
    ({"startTime": "2025-06-02", "endTime": "2025-06-05T00:00:00"},
     "endTime must be a date as YYYY-MM-DD, got '2025-06-05T00:00:00'"),
    ({"startTime": "2025-06-02", "endTime": "1749081600000"},
     "endTime must be a date as YYYY-MM-DD, got '1749081600000'"),
    ({"startTime": "2025-06-05", "endTime": "2025-06-02"}, "endTime must not be before startTime"),
]  # fmt: skip


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("dates", "message"), BAD_DATES)
def test_bad_dates_are_400(
    client: TestClient,
    tenant: Tenant,
    lingma_ids: dict[str, str],
    endpoint: str,
    dates: dict[str, str],
    message: str,
) -> None:
    params = {k: v for k, v in valid_params(endpoint, lingma_ids).items() if k not in RANGE}
    answer = lingma_call(client, tenant.org.id, endpoint, tenant.read, **params, **dates)
    assert_error(answer, 400, "BadRequest", message)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_one_day_range_is_fine(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    params = valid_params(endpoint, lingma_ids) | {"endTime": "2025-06-02"}
    assert lingma_call(client, tenant.org.id, endpoint, tenant.read, **params).status_code == 200


# pages -----------------------------------------------------------------------------------------

PAGE_LIMIT = "page must be a whole number from 1 to 2147483647"
PER_PAGE_LIMIT = "perPage must be a whole number from 1 to 1000"
BAD_PAGES: list[tuple[dict[str, str], str]] = [
    ({"page": "0"}, f"{PAGE_LIMIT}, got '0'"),
    ({"page": "-1"}, f"{PAGE_LIMIT}, got '-1'"),
    ({"page": "two"}, f"{PAGE_LIMIT}, got 'two'"),
    ({"page": "1.5"}, f"{PAGE_LIMIT}, got '1.5'"),
    ({"page": " 1"}, f"{PAGE_LIMIT}, got ' 1'"),
    ({"page": "2147483648"}, f"{PAGE_LIMIT}, got '2147483648'"),
    ({"page": "99999999999999999999"}, f"{PAGE_LIMIT}, got '99999999999999999999'"),
    ({"perPage": "0"}, f"{PER_PAGE_LIMIT}, got '0'"),
    ({"perPage": "1001"}, f"{PER_PAGE_LIMIT}, got '1001'"),
    ({"perPage": "all"}, f"{PER_PAGE_LIMIT}, got 'all'"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("paging", "message"), BAD_PAGES)
def test_bad_page_values_are_400(
    client: TestClient,
    tenant: Tenant,
    lingma_ids: dict[str, str],
    endpoint: str,
    paging: dict[str, str],
    message: str,
) -> None:
    params = valid_params(endpoint, lingma_ids) | paging
    answer = lingma_call(client, tenant.org.id, endpoint, tenant.read, **params)
    assert_error(answer, 400, "BadRequest", message)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_largest_page_values_are_fine(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    params = valid_params(endpoint, lingma_ids) | {"page": "2147483647", "perPage": "1000"}
    answer = lingma_call(client, tenant.org.id, endpoint, tenant.read, **params)
    assert (answer.status_code, answer.json()) == (200, [])
    assert answer.headers["x-page"] == "2147483647"
    assert answer.headers["x-prev-page"] == "2147483646"


# people and departments ------------------------------------------------------------------------


def test_unknown_user_is_400(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str]
) -> None:
    for user_id, shown in (
        ("3693e234-0000-0000-0000-000000000000", "'3693e234-0000-0000-0000-000000000000'"),
        (lingma_ids["other user"], repr(lingma_ids["other user"])),
    ):
        answer = lingma_call(
            client, tenant.org.id, "developerUsage", tenant.read, userId=user_id, **RANGE
        )
        assert_error(
            answer, 400, "BadRequest", f"userId {shown} is not a user of this organization"
        )


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_department_is_400(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str], endpoint: str
) -> None:
    for department_id in ("8446nope", lingma_ids["other department"]):
        answer = lingma_call(
            client, tenant.org.id, endpoint, tenant.read, departmentId=department_id, **RANGE
        )
        assert_error(
            answer,
            400,
            "BadRequest",
            f"departmentId {department_id!r} is not a department of this organization",
        )


def test_an_unknown_department_does_not_matter_when_user_id_wins(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str]
) -> None:
    answer = lingma_call(
        client,
        tenant.org.id,
        "developerUsage",
        tenant.read,
        userId=lingma_ids["own user"],
        departmentId="8446nope",
        **RANGE,
    )
    assert (answer.status_code, answer.json()) == (200, [])


def test_department_usage_requires_a_department(client: TestClient, tenant: Tenant) -> None:
    for params in (dict(RANGE), {"departmentId": "", **RANGE}):
        answer = lingma_call(client, tenant.org.id, "departmentUsage", tenant.read, **params)
        assert_error(answer, 400, "BadRequest", "departmentId is required")


# request ids and failures ----------------------------------------------------------------------


def test_every_answer_has_its_own_request_id(
    client: TestClient, tenant: Tenant, lingma_ids: dict[str, str]
) -> None:
    answers = [
        lingma_call(client, tenant.org.id, "developerUsage", tenant.read, **RANGE),
        lingma_call(client, tenant.org.id, "developerUsage", tenant.read, **RANGE),
        lingma_call(client, tenant.org.id, "developerUsage", None, **RANGE),
    ]
    ids = [a.headers["x-request-id"] for a in answers]
    assert all(REQUEST_ID.fullmatch(i) for i in ids)
    assert len(set(ids)) == 3


def test_an_unexpected_failure_is_500_in_the_same_shape(
    client: TestClient,
    tenant: Tenant,
    lingma_ids: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(routes, "user_day_usage", broken)
    answer = lingma_call(client, tenant.org.id, "developerUsage", tenant.read, **RANGE)
    assert_error(answer, 500, "InternalServerError", "internal server error")
    assert answer.headers["x-request-id"] in caplog.text
    assert tenant.read not in caplog.text


def test_fastapi_validation_errors_of_a_lingma_route_use_the_same_shape() -> None:
    # The Lingma routes take every parameter as text; a typed one would fail in FastAPI's
    # validation, which a Lingma router must still answer in Yunxiao's shape.
    router = LINGMA.router()

    @router.get("/typed")
    def typed(count: Annotated[int, Query()]) -> dict[str, int]:
        return {"count": count}

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as test_client:
        assert test_client.get("/typed?count=2").json() == {"count": 2}
        answer = test_client.get("/typed?count=two")
    assert_error(
        answer,
        400,
        "BadRequest",
        "count: Input should be a valid integer, unable to parse string as an integer",
    )


def test_other_paths_under_the_prefix_answer_in_the_same_shape(
    client: TestClient, tenant: Tenant
) -> None:
    base = f"/oapi/v1/lingma/organizations/{tenant.org.id}"
    headers = {"x-yunxiao-token": tenant.read}
    assert_error(
        client.get(f"{base}/memberUsage", headers=headers),
        404,
        "NotFound",
        f"Lingma has no endpoint {base}/memberUsage",
    )
    refused = client.post(f"{base}/developerUsage", headers=headers, json={})
    assert_error(refused, 405, "MethodNotAllowed", f"{base}/developerUsage answers GET, not POST")
    assert refused.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (InvalidInput("shared helper refused", field="x"), 400, "BadRequest"),
        (Conflict("shared helper refused"), 400, "BadRequest"),  # Yunxiao documents no 409
    ],
)
def test_errors_of_shared_code_are_mapped_by_status(
    client: TestClient,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    raised: RequestError,
    status: int,
    code: str,
) -> None:
    def refusing(*args: Any, **kwargs: Any) -> Any:
        raise raised

    monkeypatch.setattr(routes, "user_day_usage", refusing)
    answer = lingma_call(client, tenant.org.id, "developerUsage", tenant.read, **RANGE)
    assert_error(answer, status, code, "shared helper refused")


@pytest.mark.parametrize("method", ["GET", "POST", "PROPFIND"])
@pytest.mark.parametrize("rest", ["", "/developerUsage/extra", "/v2/memberUsage"])
def test_every_unserved_path_under_the_prefix_is_404_in_the_same_shape(
    client: TestClient, tenant: Tenant, method: str, rest: str
) -> None:
    path = f"/oapi/v1/lingma/organizations/{tenant.org.id}{rest}"
    answer = client.request(method, path, headers={"x-yunxiao-token": tenant.read})
    assert_error(answer, 404, "NotFound", f"Lingma has no endpoint {path}")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_every_other_method_on_an_endpoint_is_405(
    client: TestClient, tenant: Tenant, endpoint: str, method: str
) -> None:
    path = f"/oapi/v1/lingma/organizations/{tenant.org.id}/{endpoint}"
    answer = client.request(method, path, headers={"x-yunxiao-token": tenant.read})
    assert_error(answer, 405, "MethodNotAllowed", f"{path} answers GET, not {method}")
    assert answer.headers["allow"] == "GET"


def test_an_unexpected_exception_of_any_lingma_route_is_500_in_the_same_shape(
    settings: Settings, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    path = "/oapi/v1/lingma/organizations/{organizationId}/boom"
    with failing_client(settings, store, LINGMA, path) as failing:
        answer = failing.get("/oapi/v1/lingma/organizations/x/boom")
    assert_error(answer, 500, "InternalServerError", "internal server error")
    assert SECRET not in answer.text
    assert answer.headers["x-request-id"] in caplog.text
