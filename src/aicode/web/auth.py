"""Signing in to the dashboard with a read token, signing out, and who a request is.

The token is posted once in a form body, checked like an API bearer token, and exchanged for
a server-side session; the cookie carries only the session's random id (Secure, HttpOnly,
SameSite=Lax). Every page checks that the session's token is still live and that the URL
names the session's own organization.
"""

from __future__ import annotations

import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from aicode.api.auth import authenticate
from aicode.api.deps import StoreDep
from aicode.errors import Forbidden, RequestError, Unauthenticated
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store
from aicode.web.render import page_response
from aicode.web.sessions import COOKIE_NAME, LIFETIME_SECONDS, Session, SessionStore

SIGN_IN = "/signin"
MAX_FORM_BYTES = 8192

router = APIRouter(include_in_schema=False)


def sessions(request: Request) -> SessionStore:
    """The app's dashboard sessions."""
    return request.app.state.dashboard_sessions  # type: ignore[no-any-return]


def home_of(org_id: str) -> str:
    """The dashboard root of an organization."""
    return f"/orgs/{org_id}"


def safe_next(value: str | None) -> str | None:
    """A dashboard path to return to after signing in; anything else is dropped."""
    if not value or not value.startswith("/orgs/") or "\\" in value or "//" in value:
        return None
    return value


def sign_in_url(request: Request) -> str:
    """The sign-in page, returning to this request's page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN}?{urllib.parse.urlencode({'next': here})}"


def _live_session(request: Request, store: Store) -> tuple[Session, Organization] | None:
    cookie = request.cookies.get(COOKIE_NAME)
    session = sessions(request).get(cookie)
    if session is None:
        return None
    org = store.get_organization(session.org_id)
    if org is None or session.token_id not in {t.id for t in store.list_tokens(org)}:
        sessions(request).end(cookie)  # the token was revoked since: the session goes too
        return None
    return session, org


def signed_in_org(request: Request, store: StoreDep, organization_id: str) -> Organization:
    """The organization of the URL, if the signed-in session belongs to it (401 / 403)."""
    found = _live_session(request, store)
    if found is None:
        raise Unauthenticated("sign in to see this dashboard", field="session")
    session, org = found
    if organization_id != session.org_id:
        # Another organization, existing or not: never reveal which.
        raise Forbidden("this dashboard belongs to another organization", field="organizationId")
    return org


SignedInOrg = Annotated[Organization, Depends(signed_in_org)]


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urllib.parse.urlsplit(origin).netloc == request.headers.get("host")


def _sign_in_page(
    request: Request, *, status: int = 200, error: str = "", next_url: str | None = None
) -> Response:
    return page_response(
        "signin.html",
        status,
        error=error,
        next_url=next_url or "",
        signed_out=request.query_params.get("signedOut") == "1",
        insecure=request.url.scheme != "https"
        and request.url.hostname not in ("127.0.0.1", "localhost", "::1"),
    )


@router.get("/")
def home(request: Request, store: StoreDep) -> Response:
    """The signed-in organization's dashboard, or the sign-in page."""
    found = _live_session(request, store)
    if found is None:
        return RedirectResponse(SIGN_IN, status_code=303)
    return RedirectResponse(home_of(found[0].org_id), status_code=303)


@router.get(SIGN_IN)
def sign_in_form(request: Request, store: StoreDep) -> Response:
    """The sign-in form (or straight to the dashboard when already signed in)."""
    next_url = safe_next(request.query_params.get("next"))
    found = _live_session(request, store)
    if found is not None:
        return RedirectResponse(next_url or home_of(found[0].org_id), status_code=303)
    return _sign_in_page(request, next_url=next_url)


@router.post(SIGN_IN)
async def sign_in(request: Request, store: StoreDep) -> Response:
    """Exchange a read token for a session cookie."""
    if not _same_origin(request):
        return _sign_in_page(request, status=403, error="Sign in from this server's own page.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _sign_in_page(request, status=413, error="The form is too large.")
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    secret = (form.get("token") or [""])[0].strip()
    next_url = safe_next((form.get("next") or [""])[0])
    try:
        token = authenticate(store, secret, Scope.READ)
    except RequestError as exc:
        message = {
            "missing API token": "Enter a read token.",
            "invalid API token": "That token is not valid.",
        }.get(exc.message, "That token may not read this organization's data.")
        return _sign_in_page(request, status=exc.status, error=message, next_url=next_url)
    sessions(request).end(request.cookies.get(COOKIE_NAME))
    cookie = sessions(request).create(token.org_id, token.id)
    if next_url is not None and not next_url.startswith(home_of(token.org_id)):
        next_url = None
    response = RedirectResponse(next_url or home_of(token.org_id), status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        cookie,
        max_age=LIFETIME_SECONDS,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    return response


@router.post("/signout")
def sign_out(request: Request) -> Response:
    """End the session and forget the cookie."""
    if not _same_origin(request):
        return page_response(
            "error.html", 403, title="Forbidden", message="Sign out from the dashboard itself."
        )
    sessions(request).end(request.cookies.get(COOKIE_NAME))
    response = RedirectResponse(f"{SIGN_IN}?signedOut=1", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", secure=True, httponly=True, samesite="lax")
    return response
