"""The one error mechanism (aicode.api.errors) on a toy shape, and the native API's answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.testclient import TestClient

from aicode.api.errors import ErrorShape, install_error_handlers
from aicode.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    RequestError,
    TooManyRequests,
    Unauthenticated,
)
from aicode.settings import Settings
from aicode.store.base import Store
from tests.failing_routes import SECRET, failing_client


def render_toy(request: Request, exc: RequestError) -> Response:
    """Everything the mechanism hands a renderer, as JSON."""
    body = {"kind": type(exc).__name__, "code": exc.code, "message": exc.message}
    return JSONResponse(body | {"field": exc.field}, status_code=exc.status)


TOY = ErrorShape("Toy", render_toy)


def refuse(request: Request) -> None:
    """A router dependency that refuses requests carrying ``?refuse``."""
    if "refuse" in request.query_params:
        raise Forbidden("refused by a dependency", field="refuse")


@pytest.fixture
def toy() -> Iterator[TestClient]:
    """An app with a toy-shaped router at /toy, its fallback, and a plain route after it."""
    router = TOY.router(prefix="/toy", dependencies=[Depends(refuse)])

    @router.get("/raise/{kind}")
    def raising(kind: str) -> None:
        raise RAISED[kind]

    @router.get("/typed")
    def typed(count: Annotated[int, Query()]) -> dict[str, int]:
        return {"count": count}

    @router.post("/post-only")
    def post_only() -> dict[str, bool]:
        return {"posted": True}

    TOY.fallback(router)
    later = APIRouter()

    @later.get("/toy/served-elsewhere")
    def served_elsewhere() -> dict[str, bool]:
        return {"elsewhere": True}

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(later)
    with TestClient(app) as client:
        yield client


RAISED: dict[str, Exception] = {
    "invalid": InvalidInput("bad x", field="x"),
    "unauthenticated": Unauthenticated("who are you"),
    "forbidden": Forbidden("not yours"),
    "not-found": NotFound("no such thing"),
    "conflict": Conflict("taken"),
    "too-large": PayloadTooLarge("too big", field="body"),
    "too-many": TooManyRequests("slow down", retry_after=3.0),
    "teapot": HTTPException(418, "I'm a teapot"),
    "unavailable": HTTPException(503, "the database at db-7 is down"),
    "runtime": RuntimeError(SECRET),
}


def toy_body(kind: str, code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """What the toy renderer answers."""
    return {"kind": kind, "code": code, "message": message, "field": field}


@pytest.mark.parametrize(
    ("raised", "status", "body"),
    [
        ("invalid", 400, toy_body("InvalidInput", "invalid_input", "bad x", "x")),
        ("unauthenticated", 401, toy_body("Unauthenticated", "unauthenticated", "who are you")),
        ("forbidden", 403, toy_body("Forbidden", "forbidden", "not yours")),
        ("not-found", 404, toy_body("NotFound", "not_found", "no such thing")),
        ("conflict", 409, toy_body("Conflict", "conflict", "taken")),
        ("too-large", 413, toy_body("PayloadTooLarge", "payload_too_large", "too big", "body")),
        ("too-many", 429, toy_body("TooManyRequests", "too_many_requests", "slow down")),
        ("teapot", 418, toy_body("RequestError", "http_error", "I'm a teapot")),
        ("unavailable", 500, toy_body("InternalError", "internal_error", "internal server error")),
        ("runtime", 500, toy_body("InternalError", "internal_error", "internal server error")),
    ],
)
def test_every_failure_of_a_shaped_route_goes_through_its_renderer(
    toy: TestClient, raised: str, status: int, body: dict[str, Any]
) -> None:
    answer = toy.get(f"/toy/raise/{raised}")
    assert (answer.status_code, answer.json()) == (status, body)


def test_validation_and_dependencies_go_through_the_renderer(toy: TestClient) -> None:
    assert toy.get("/toy/typed?count=2").json() == {"count": 2}
    answer = toy.get("/toy/typed?count=two")
    assert (answer.status_code, answer.json()) == (
        400,
        toy_body(
            "InvalidInput",
            "invalid_input",
            "count: Input should be a valid integer, unable to parse string as an integer",
            "count",
        ),
    )
    refused = toy.get("/toy/typed?count=2&refuse")
    assert (refused.status_code, refused.json()) == (
        403,
        toy_body("Forbidden", "forbidden", "refused by a dependency", "refuse"),
    )


def test_a_wrong_method_is_405_in_the_shape_with_allow(toy: TestClient) -> None:
    answer = toy.get("/toy/post-only")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.json() == toy_body(
        "MethodNotAllowed", "method_not_allowed", "/toy/post-only answers POST, not GET"
    )
    deleted = toy.delete("/toy/typed")
    assert deleted.headers["allow"] == "GET"
    assert deleted.json()["message"] == "/toy/typed answers GET, not DELETE"


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PROPFIND"])
@pytest.mark.parametrize("path", ["/toy", "/toy/nothing", "/toy/raise/x/deeper"])
def test_unserved_paths_under_the_prefix_are_404_in_the_shape(
    toy: TestClient, method: str, path: str
) -> None:
    answer = toy.request(method, path)
    assert (answer.status_code, answer.json()) == (
        404,
        toy_body("NoSuchEndpoint", "not_found", f"Toy has no endpoint {path}"),
    )


def test_a_trailing_slash_is_redirected_without_it_as_before(toy: TestClient) -> None:
    for path, target in (("/toy/", "/toy"), ("/toy/typed/", "/toy/typed?count=1")):
        query = "?count=1" if "typed" in path else ""
        redirect = toy.get(path + query, follow_redirects=False)
        assert (redirect.status_code, redirect.headers["location"]) == (
            307,
            f"http://testserver{target}",
        )
    assert toy.get("/toy/typed/?count=1").json() == {"count": 1}
    assert toy.get("/toy/").json()["message"] == "Toy has no endpoint /toy"


def test_the_fallback_never_shadows_a_route(toy: TestClient) -> None:
    # Served by a router included after the toy one: its full match wins over the fallback.
    assert toy.get("/toy/served-elsewhere").json() == {"elsewhere": True}
    # Nor does the fallback run the router's dependencies: it only ever answers 404.
    assert toy.get("/toy/nothing?refuse").status_code == 404


def test_paths_outside_the_prefix_keep_the_native_shape(toy: TestClient) -> None:
    answer = toy.get("/elsewhere")
    assert (answer.status_code, answer.json()) == (
        404,
        {"error": {"code": "not_found", "message": "Not Found", "field": None}},
    )


def test_when_narrows_the_fallback() -> None:
    router = TOY.router()

    @router.post("/rpc/Known")
    def known() -> dict[str, bool]:
        return {"known": True}

    TOY.fallback(router, ("/rpc/{name}",), when=lambda params: params["name"].istitle())
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    with TestClient(app) as client:
        assert client.post("/rpc/Known").json() == {"known": True}
        assert client.post("/rpc/Other").json()["kind"] == "NoSuchEndpoint"
        assert client.post("/rpc/other").json() == {
            "error": {"code": "not_found", "message": "Not Found", "field": None}
        }


def test_an_unexpected_failure_is_logged_without_the_query_and_never_answered(
    settings: Settings, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with failing_client(settings, store, TOY, "/toy/boom") as client:
        answer = client.get("/toy/boom?token=aic_query-secret")
    assert (answer.status_code, answer.json()) == (
        500,
        toy_body("InternalError", "internal_error", "internal server error"),
    )
    assert SECRET not in answer.text
    record = next(r for r in caplog.records if r.name == "aicode.api.errors")
    assert record.getMessage() == "GET /toy/boom failed (answered 500, request id none)"
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == SECRET
    assert "aic_query-secret" not in caplog.text


# the native API ------------------------------------------------------------------------------


def native(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """A native error body."""
    return {"error": {"code": code, "message": message, "field": field}}


@pytest.mark.parametrize(
    "path", ["/nope", "/api/v1/nope", "/api/v1/analytics", "/api/v1/organizations/x/nope"]
)
def test_native_unknown_paths_are_404_in_the_native_shape(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert (answer.status_code, answer.json()) == (404, native("not_found", "Not Found"))


def test_native_wrong_method_is_405_in_the_native_shape(client: TestClient) -> None:
    answer = client.post("/api/v1/organizations/x/overview")
    assert (answer.status_code, answer.json()) == (
        405,
        native("method_not_allowed", "Method Not Allowed"),
    )
    assert answer.headers["allow"] == "GET"
    ingest = client.get("/api/v1/ingest")
    assert (ingest.status_code, ingest.headers["allow"]) == (405, "POST")


def test_native_unexpected_failures_are_500_in_the_native_shape(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Outside a shaped route the app's own handlers answer (and Starlette re-raises).
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(SECRET)

    with TestClient(app, raise_server_exceptions=False) as test_client:
        answer = test_client.get("/boom")
    assert (answer.status_code, answer.json()) == (
        500,
        native("internal_error", "internal server error"),
    )
    assert SECRET not in answer.text
    assert "GET /boom failed (answered 500, request id none)" in caplog.text
