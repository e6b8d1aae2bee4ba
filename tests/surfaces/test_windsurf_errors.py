"""Windsurf's (Connect) error shape beyond the query: other procedures, methods, failures."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.windsurf.answer import WINDSURF
from tests.conftest import Tenant
from tests.failing_routes import SECRET, failing_client


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_another_method_on_analytics_is_405_unimplemented(
    client: TestClient, tenant: Tenant, method: str
) -> None:
    response = client.request(method, "/api/v1/Analytics", json={"service_key": tenant.read})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {
        "code": "unimplemented",
        "message": f"/api/v1/Analytics answers POST, not {method}",
    }


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize(
    "path", ["/api/v1/CascadeAnalytics", "/api/v1/UserPageAnalytics", "/api/v1/Analytics/x"]
)
def test_another_procedure_is_404_unimplemented(
    client: TestClient, tenant: Tenant, method: str, path: str
) -> None:
    response = client.request(method, path, json={"service_key": tenant.read})
    assert response.status_code == 404
    assert response.json() == {
        "code": "unimplemented",
        "message": f"Windsurf has no endpoint {path}",
    }


def test_lower_case_paths_under_api_v1_stay_native(client: TestClient) -> None:
    response = client.post("/api/v1/analytics")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not Found", "field": None}
    }


def test_an_unexpected_exception_of_any_windsurf_route_is_500_internal(
    settings: Settings, store: Store
) -> None:
    with failing_client(settings, store, WINDSURF, "/api/v1/Boom") as failing:
        response = failing.post("/api/v1/Boom", json={})
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    assert SECRET not in response.text
