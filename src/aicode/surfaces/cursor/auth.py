"""Cursor's authentication: the API key as the HTTP Basic user name (or a Bearer token)."""

from __future__ import annotations

import base64
import binascii

from aicode.api.auth import authenticate, authorize_org, bearer_secret
from aicode.errors import Unauthenticated
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store

_FIELD = "Authorization"


def basic_user(authorization: str) -> str:
    """The user name of ``Basic base64(user:password)``; Cursor keys carry no password."""
    _, _, encoded = authorization.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthenticated("malformed Basic credentials", field=_FIELD) from exc
    user, _, _ = decoded.partition(":")
    return user.strip()


def api_key(authorization: str | None) -> str | None:
    """The key a request carries, from Basic (``curl -u KEY:``) or Bearer authorization."""
    if not authorization or not authorization.strip():
        return None
    scheme = authorization.strip().partition(" ")[0].lower()
    if scheme == "basic":
        return basic_user(authorization.strip()) or None
    if scheme == "bearer":
        return bearer_secret(authorization.strip())
    raise Unauthenticated(
        "unsupported authorization scheme: use Basic (the API key as user name) or Bearer",
        field=_FIELD,
    )


def team(store: Store, authorization: str | None) -> Organization:
    """The organization (Cursor's team) of the request's key, which needs the read scope."""
    token = authenticate(store, api_key(authorization), Scope.READ)
    return authorize_org(store, token, None)
