"""The dashboard answers errors as pages: unknown paths, other methods, unexpected failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.web.render import CONTENT_SECURITY_POLICY
from aicode.web.routes import DASHBOARD
from tests.failing_routes import SECRET, failing_client
from tests.world import World

ORIGIN = "https://testserver"


@pytest.fixture
def web(settings: Settings, store: Store, world: World) -> Iterator[TestClient]:
    """A client signed in to the world's organization, following no redirects."""
    secret = store.create_token(world.org, "dashboard", ["read"])[1]
    app = create_app(settings, store=store)
    with TestClient(app, base_url=ORIGIN, follow_redirects=False) as client:
        client.post("/signin", data={"token": secret}, headers={"Origin": ORIGIN})
        yield client


def assert_page(response: object, status: int, title: str, message: str) -> None:
    """An error page: status, HTML with the dashboard's headers, its title and message."""
    assert response.status_code == status  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    text = response.text  # type: ignore[attr-defined]
    assert f"<h1>{title}</h1>" in text
    assert f"<p data-error>{escape(message)}</p>" in text


@pytest.mark.parametrize("rest", ["nope", "members/extra", "commits/aaaa0001/files"])
def test_unknown_pages_of_an_organization_are_404_pages(
    web: TestClient, world: World, rest: str
) -> None:
    path = f"/orgs/{world.org.id}/{rest}"
    assert_page(web.get(path), 404, "Not found", f"The dashboard has no endpoint {path}")


def test_an_unknown_page_says_nothing_about_the_organization(web: TestClient) -> None:
    # Signed in or not, own organization or not: the same 404, before any session check.
    path = "/orgs/someone-else/nope"
    assert_page(web.get(path), 404, "Not found", f"The dashboard has no endpoint {path}")
    web.cookies.clear()
    assert_page(web.get(path), 404, "Not found", f"The dashboard has no endpoint {path}")


@pytest.mark.parametrize("slug", ["", "/members", "/commits/aaaa0001"])
def test_another_method_on_a_page_is_a_405_page(web: TestClient, world: World, slug: str) -> None:
    path = f"/orgs/{world.org.id}{slug}"
    response = web.post(path)
    assert_page(response, 405, "Method not allowed", f"{path} answers GET, not POST")
    assert response.headers["allow"] == "GET"


def test_an_unexpected_exception_is_a_500_page(settings: Settings, store: Store) -> None:
    with failing_client(settings, store, DASHBOARD, "/orgs/{organization_id}/boom") as client:
        response = client.get("/orgs/x/boom")
    assert_page(response, 500, "Server error", "internal server error")
    assert SECRET not in response.text


def test_signing_in_is_still_asked_of_strangers(
    settings: Settings, store: Store, world: World
) -> None:
    with TestClient(create_app(settings, store=store), follow_redirects=False) as client:
        response = client.get(f"/orgs/{world.org.id}/members")
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next=%2Forgs%2F{world.org.id}%2Fmembers"
