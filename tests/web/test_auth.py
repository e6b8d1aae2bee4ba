"""Signing in and out over HTTP: cookie flags, no token anywhere, organizations kept apart."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.web.sessions import COOKIE_NAME
from tests.conftest import Tenant
from tests.world import World

ORIGIN = "https://testserver"


@pytest.fixture
def web(settings: Settings, store: Store) -> Iterator[TestClient]:
    """The app over HTTPS (the session cookie is Secure), following no redirects."""
    with TestClient(
        create_app(settings, store=store), base_url=ORIGIN, follow_redirects=False
    ) as client:
        yield client


def sign_in(web: TestClient, token: str, **form: str) -> object:
    return web.post("/signin", data={"token": token, **form}, headers={"Origin": ORIGIN})


def test_pages_send_strangers_to_the_sign_in_page(web: TestClient, world: World) -> None:
    assert web.get("/").headers["location"] == "/signin"
    response = web.get(f"/orgs/{world.org.id}/members?start=2025-06-02")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/signin?next=%2Forgs%2F{world.org.id}%2Fmembers%3Fstart%3D2025-06-02"
    )
    csv = web.get(f"/orgs/{world.org.id}/members?format=csv&table=members")
    assert csv.status_code == 303
    assert "ann@acme.dev" not in csv.text
    form = web.get("/signin")
    assert form.status_code == 200
    assert 'type="password"' in form.text
    assert 'method="post"' in form.text


def test_sign_in_sets_a_secure_http_only_session_cookie(
    web: TestClient, world: World, tenant: Tenant, store: Store
) -> None:
    response = sign_in(web, tenant.read)
    assert response.status_code == 303
    assert response.headers["location"] == f"/orgs/{tenant.org.id}"
    header = response.headers["set-cookie"]
    cookie = SimpleCookie(header)[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "lax"
    assert cookie["path"] == "/"
    assert int(cookie["max-age"]) == 24 * 3600
    assert len(cookie.value) >= 40
    assert tenant.read not in header
    assert tenant.read[4:20] not in header
    assert tenant.read not in response.headers["location"]
    page = web.get(f"/orgs/{tenant.org.id}")
    assert page.status_code == 200
    assert tenant.read not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_admin_tokens_may_sign_in_ingest_tokens_may_not(web: TestClient, tenant: Tenant) -> None:
    assert sign_in(web, tenant.admin).status_code == 303
    web.cookies.clear()
    refused = sign_in(web, tenant.ingest)
    assert refused.status_code == 403
    assert "That token may not read this organization&#39;s data." in refused.text
    assert "set-cookie" not in refused.headers


@pytest.mark.parametrize(
    ("token", "status", "message"),
    [
        ("aic_not-a-real-token", 401, "That token is not valid."),
        ("", 401, "Enter a read token."),
    ],
)
def test_a_wrong_token_gets_no_session(
    web: TestClient, tenant: Tenant, token: str, status: int, message: str
) -> None:
    response = sign_in(web, token)
    assert response.status_code == status
    assert message in response.text
    assert "set-cookie" not in response.headers
    assert web.get(f"/orgs/{tenant.org.id}").status_code == 303


def test_another_organization_sees_nothing(
    web: TestClient, world: World, other_tenant: Tenant
) -> None:
    sign_in(web, other_tenant.read)
    for path in ("", "/members", "/commits", "/commits/aaaa0001", "/languages"):
        response = web.get(f"/orgs/{world.org.id}{path}?start=2025-06-02&end=2025-06-04")
        assert response.status_code == 403, path
        assert "this dashboard belongs to another organization" in response.text
        assert "ann@acme.dev" not in response.text
        assert "acme" not in response.text
    csv = web.get(f"/orgs/{world.org.id}/languages?format=csv&table=extensions")
    assert csv.status_code == 403
    assert ".py" not in csv.text
    unknown = web.get("/orgs/no-such-org")
    assert unknown.status_code == 403
    assert "this dashboard belongs to another organization" in unknown.text


def test_sign_out_ends_the_session_for_good(web: TestClient, tenant: Tenant) -> None:
    sign_in(web, tenant.read)
    cookie = web.cookies.get(COOKIE_NAME)
    assert cookie
    response = web.post("/signout", headers={"Origin": ORIGIN})
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?signedOut=1"
    assert f'{COOKIE_NAME}=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert "You are signed out." in web.get("/signin?signedOut=1").text
    # The old cookie value, replayed, no longer opens anything.
    web.cookies.set(COOKIE_NAME, cookie)
    assert web.get(f"/orgs/{tenant.org.id}").status_code == 303


def test_a_revoked_token_ends_its_sessions(web: TestClient, tenant: Tenant, store: Store) -> None:
    sign_in(web, tenant.read)
    assert web.get(f"/orgs/{tenant.org.id}").status_code == 200
    token = next(t for t in store.list_tokens(tenant.org) if t.name == "read-token")
    assert store.revoke_token(tenant.org, token.id)
    assert web.get(f"/orgs/{tenant.org.id}").status_code == 303


def test_forms_posted_from_another_site_are_refused(web: TestClient, tenant: Tenant) -> None:
    response = web.post(
        "/signin", data={"token": tenant.read}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    sign_in(web, tenant.read)
    out = web.post("/signout", headers={"Origin": "https://evil.example"})
    assert out.status_code == 403
    assert web.get(f"/orgs/{tenant.org.id}").status_code == 200


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/orgs/{org}/members?start=2025-06-02", "/orgs/{org}/members?start=2025-06-02"),
        ("//evil.example/orgs/x", "/orgs/{org}"),
        ("https://evil.example/", "/orgs/{org}"),
        ("/orgs/someone-else/members", "/orgs/{org}"),
    ],
)
def test_sign_in_returns_only_to_the_organizations_own_pages(
    web: TestClient, tenant: Tenant, next_url: str, landing: str
) -> None:
    response = sign_in(web, tenant.read, next=next_url.format(org=tenant.org.id))
    assert response.headers["location"] == landing.format(org=tenant.org.id)


def test_tokens_never_reach_the_logs(
    web: TestClient, world: World, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(web, "aic_wrong-secret-value")
    sign_in(web, tenant.read)
    web.get(f"/orgs/{tenant.org.id}")
    web.post("/signout", headers={"Origin": ORIGIN})
    assert caplog.records  # something was logged, and none of it is a secret
    assert tenant.read not in caplog.text
    assert "aic_wrong-secret-value" not in caplog.text
