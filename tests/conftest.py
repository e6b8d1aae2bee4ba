"""Shared fixtures: a fresh store file per test, the app over it, an org with tokens."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.model.tenancy import Organization, Scope
from aicode.settings import Settings
from aicode.store import open_store
from aicode.store.base import Store
from tests.world import World, build_world


@dataclasses.dataclass(frozen=True)
class Tenant:
    """An organization with one token per scope."""

    org: Organization
    read: str
    ingest: str
    admin: str

    def headers(self, scope: str = "read") -> dict[str, str]:
        """Authorization header with the token of a scope."""
        return {"Authorization": f"Bearer {getattr(self, scope)}"}


def make_tenant(store: Store, name: str) -> Tenant:
    """Create an organization and a token for each scope."""
    org = store.create_organization(name)
    secrets = {
        scope: store.create_token(org, f"{scope.value}-token", [scope])[1] for scope in Scope
    }
    return Tenant(org, secrets[Scope.READ], secrets[Scope.INGEST], secrets[Scope.ADMIN])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh store file."""
    return Settings.load({"db": str(tmp_path / "store.duckdb")}, environ={})


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A fresh DuckDB store file, closed after the test."""
    opened = open_store(settings.db)
    yield opened
    opened.close()


@pytest.fixture
def tenant(store: Store) -> Tenant:
    """An organization ("acme") with read, ingest and admin tokens."""
    return make_tenant(store, "acme")


@pytest.fixture
def other_tenant(store: Store) -> Tenant:
    """A second organization, for cross-organization checks."""
    return make_tenant(store, "globex")


@pytest.fixture
def client(settings: Settings, store: Store) -> Iterator[TestClient]:
    """An in-process HTTP client for the app over the test's store."""
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@pytest.fixture
def world(store: Store) -> World:
    """The hand-made organization of tests/world.py, stored."""
    return build_world(store)
