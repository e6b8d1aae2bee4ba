"""GET /api/v1/fingerprint-key: the organization's line-fingerprint key, for its clients' hooks.

Any token of the organization may read it (a developer's hook holds an ingest token): the key
only keeps a leaked database from being reversed by dictionary, it does not protect the API.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from aicode.api.auth import authorize_org, bearer_secret
from aicode.api.deps import AuthorizationHeader, StoreDep
from aicode.attribution.fingerprint import ALGORITHM, encode_key
from aicode.errors import Unauthenticated
from aicode.model.tenancy import Organization

router = APIRouter(tags=["attribution"])


def any_token_org(store: StoreDep, authorization: AuthorizationHeader = None) -> Organization:
    """The organization of a valid token, whatever its scopes."""
    secret = bearer_secret(authorization)
    if not secret:
        raise Unauthenticated("missing API token", field="Authorization")
    token = store.authenticate(secret)
    if token is None:
        raise Unauthenticated("invalid API token", field="Authorization")
    return authorize_org(store, token, None)


@router.get("/api/v1/fingerprint-key", summary="The organization's line-fingerprint key")
def fingerprint_key(
    store: StoreDep, org: Annotated[Organization, Depends(any_token_org)]
) -> JSONResponse:
    """The key clients hash committed and AI-written lines with (see docs/attribution.md)."""
    body: dict[str, Any] = {
        "organizationId": org.id,
        "algorithm": ALGORITHM,
        "key": encode_key(store.fingerprint_key(org)),
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
