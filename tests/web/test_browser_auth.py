"""Signing in and out in a real browser; wrong and other-organization tokens see nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, Request

from aicode.web.sessions import COOKIE_NAME
from tests.web.browser import wait_for_charts
from tests.web.conftest import LAPTOP, Site, sign_in

Shot = Callable[[Page, str], Path]


def test_sign_in_through_the_form(page: Page, site: Site, shot: Shot) -> None:
    requests: list[Request] = []

    # A real function: Playwright tags its handlers, which a bound builtin method refuses.
    def record(request: Request) -> None:
        requests.append(request)

    page.on("request", record)
    target = site.page_url("members", "repo=web-app")
    page.goto(target)
    assert page.url.startswith(f"{site.url}/signin?next=")
    shot(page, "form")
    page.fill("#token", site.read)
    page.click("form button[type=submit]")
    page.wait_for_url(target)  # back where the sign-in began, filters included
    wait_for_charts(page, 1)
    assert page.locator("[data-org]").inner_text() == "Demo Org"
    cookies = page.context.cookies()
    assert [c["name"] for c in cookies] == [COOKIE_NAME]
    cookie = cookies[0]
    assert cookie["httpOnly"] is True
    assert cookie["secure"] is True
    assert cookie["sameSite"] == "Lax"
    assert site.read not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # HttpOnly: no script can read it
    # The token went out once, in the body of the sign-in POST, and nowhere else.
    carrying = [r for r in requests if site.read in (r.post_data or "")]
    assert [(r.method, r.url) for r in carrying] == [("POST", f"{site.url}/signin")]
    assert not [r.url for r in requests if site.read in r.url]
    assert all(site.read not in value for r in requests for value in r.headers.values())
    assert site.read not in page.content()
    shot(page, "signed-in")


def test_a_wrong_token_sees_nothing(page: Page, site: Site, shot: Shot) -> None:
    page.goto(f"{site.url}/signin")
    page.fill("#token", "aic_this-is-not-a-token")
    with page.expect_response(f"{site.url}/signin") as answer:
        page.click("form button[type=submit]")
    assert answer.value.status == 401
    assert page.locator("[data-error]").inner_text() == "That token is not valid."
    assert page.context.cookies() == []
    response = page.goto(site.page_url())
    assert response is not None
    assert page.url.startswith(f"{site.url}/signin")
    assert page.locator("[data-kpi]").count() == 0
    shot(page, "refused")


def test_another_organizations_token_sees_nothing(browser: Browser, site: Site, shot: Shot) -> None:
    context = browser.new_context(viewport=LAPTOP)
    try:
        sign_in(context, site, site.other.read)
        page = context.new_page()
        for url in (site.page_url(), site.page_url("commits"), site.page_url("members")):
            response = page.goto(url)
            assert response is not None
            assert response.status == 403
            assert page.locator("[data-error]").inner_text() == (
                "this dashboard belongs to another organization"
            )
            assert page.locator("[data-kpi], table, canvas").count() == 0
            assert "Demo Org" not in page.content()
        shot(page, "forbidden")
        page.goto(site.url + "/")
        assert page.url == f"{site.url}/orgs/{site.other.org.id}"
        page.goto(f"{site.url}/orgs/{site.other.org.id}/commits")
        hashes = page.locator('[data-table="commits"] tbody tr td:first-child').all_inner_texts()
        assert hashes == ["0123abcd"]  # its own commit, and nothing of the demo's
    finally:
        context.close()


def test_sign_out(signed_in: Page, site: Site, shot: Shot) -> None:
    page = signed_in
    page.goto(site.page_url("languages"))
    page.click(".signout button")
    page.wait_for_url(f"{site.url}/signin?signedOut=1")
    assert page.locator(".notice-ok").inner_text() == "You are signed out."
    assert page.context.cookies() == []
    page.go_back()  # the browser's history must not bring the numbers back
    page.reload()
    assert page.url.startswith(f"{site.url}/signin?next=")
    assert page.locator("table").count() == 0
    shot(page, "signed-out")
