"""Cursor's error shape beyond the endpoints: unknown paths, other methods, unexpected failures."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.cursor.errors import CURSOR
from tests.failing_routes import SECRET, failing_client
from tests.surfaces.cursor_support import PATHS, CursorWorld

pytest_plugins = ["tests.surfaces.cursor_fixtures"]


@pytest.mark.parametrize("method", ["GET", "POST", "PROPFIND"])
@pytest.mark.parametrize(
    "path",
    [
        "/analytics/ai-code",
        "/analytics/ai-code/members",
        "/analytics/ai-code/commits/extra",
        "/analytics/ai-code/commits.json",
    ],
)
def test_every_unserved_path_under_the_prefix_is_a_404_in_cursors_shape(
    cursor_client: TestClient, cursor_world: CursorWorld, method: str, path: str
) -> None:
    response = cursor_client.request(method, path, auth=(cursor_world.key, ""))
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": f"Cursor has no endpoint {path}"}


@pytest.mark.parametrize("endpoint", PATHS)
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_another_method_on_an_endpoint_is_a_405_in_cursors_shape(
    cursor_client: TestClient, cursor_world: CursorWorld, endpoint: str, method: str
) -> None:
    path = f"/analytics/ai-code/{endpoint}"
    response = cursor_client.request(method, path, auth=(cursor_world.key, ""))
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {
        "error": "Method Not Allowed",
        "message": f"{path} answers GET, not {method}",
    }


def test_a_wrong_method_does_not_count_against_the_rate_limit(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    # The limiter sits in the route's dependencies, which a refused method never reaches.
    cursor_client.app.state.cursor.limiter.limit = 1  # type: ignore[attr-defined]
    for _ in range(3):
        refused = cursor_client.post("/analytics/ai-code/commits", auth=(cursor_world.key, ""))
        assert refused.status_code == 405
    answer = cursor_client.get("/analytics/ai-code/commits", auth=(cursor_world.key, ""))
    assert answer.status_code == 200


def test_a_trailing_slash_still_redirects_to_the_endpoint(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    redirect = cursor_client.get(
        "/analytics/ai-code/commits/", auth=(cursor_world.key, ""), follow_redirects=False
    )
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "http://testserver/analytics/ai-code/commits"


def test_paths_beside_the_prefix_keep_the_native_shape(cursor_client: TestClient) -> None:
    response = cursor_client.get("/analytics/ai-codes")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not Found", "field": None}
    }


def test_an_unexpected_exception_of_any_cursor_route_is_a_500_in_cursors_shape(
    settings: Settings, store: Store
) -> None:
    with failing_client(settings, store, CURSOR, "/analytics/ai-code/boom") as client:
        response = client.get("/analytics/ai-code/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": "Internal Server Error",
        "message": "internal server error",
    }
    assert SECRET not in response.text
