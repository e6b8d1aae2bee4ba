"""FastAPI dependencies: the store, the settings and the authenticated organization."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from aicode.api.auth import authenticate, authorize_org, bearer_secret
from aicode.model.tenancy import Organization, Scope
from aicode.settings import Settings
from aicode.store.base import Store


def get_store(request: Request) -> Store:
    """The app's store."""
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuthorizationHeader = Annotated[str | None, Header(include_in_schema=False)]


def org_access(scope: Scope):  # type: ignore[no-untyped-def]
    """A dependency giving the organization the path names, checked against a bearer token."""

    def dependency(
        store: StoreDep, organization_id: str, authorization: AuthorizationHeader = None
    ) -> Organization:
        token = authenticate(store, bearer_secret(authorization), scope)
        return authorize_org(store, token, organization_id)

    return dependency


def own_org(scope: Scope):  # type: ignore[no-untyped-def]
    """A dependency giving the bearer token's own organization."""

    def dependency(store: StoreDep, authorization: AuthorizationHeader = None) -> Organization:
        token = authenticate(store, bearer_secret(authorization), scope)
        return authorize_org(store, token, None)

    return dependency


ReadOrg = Annotated[Organization, Depends(org_access(Scope.READ))]
AdminOrg = Annotated[Organization, Depends(org_access(Scope.ADMIN))]
IngestOrg = Annotated[Organization, Depends(org_access(Scope.INGEST))]
OwnIngestOrg = Annotated[Organization, Depends(own_org(Scope.INGEST))]
