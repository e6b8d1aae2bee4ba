"""Token authentication and organization access, shared by every surface."""

from __future__ import annotations

from aicode.errors import Forbidden, NotFound, Unauthenticated
from aicode.model.tenancy import Organization, Scope, Token
from aicode.store.base import Store


def bearer_secret(authorization: str | None) -> str | None:
    """The token in an ``Authorization: Bearer ...`` header, if any."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(store: Store, secret: str | None, scope: Scope) -> Token:
    """The token for a secret, if it exists and carries the scope (401 / 403 otherwise)."""
    if not secret:
        raise Unauthenticated("missing API token", field="Authorization")
    token = store.authenticate(secret)
    if token is None:
        raise Unauthenticated("invalid API token", field="Authorization")
    if scope not in token.scopes and Scope.ADMIN not in token.scopes:
        raise Forbidden(f"token lacks the {scope.value!r} scope", field="Authorization")
    return token


def authorize_org(store: Store, token: Token, org_id: str | None) -> Organization:
    """The organization a request names (or the token's own), if the token may see it."""
    if org_id is not None and org_id != token.org_id:
        # Another organization, existing or not: never reveal which.
        raise Forbidden("token does not belong to this organization", field="organizationId")
    org = store.get_organization(token.org_id)
    if org is None:
        raise NotFound("organization not found", field="organizationId")
    return org
