"""Fixtures of the Cursor surface tests, loaded with ``pytest_plugins`` by each test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.model.tenancy import Scope
from aicode.settings import Settings
from aicode.store.base import PersonRecord, Store
from tests.conftest import Tenant, make_tenant
from tests.surfaces.cursor_support import CREATED, DEE_FACTS, CursorWorld, ingest
from tests.world import build_world


@pytest.fixture
def cursor_world(store: Store, monkeypatch: pytest.MonkeyPatch) -> CursorWorld:
    """tests/world.py's organization plus dee (privacy mode), received at ``CREATED``."""
    monkeypatch.setattr("aicode.store.duckdb.ingest.now_utc", lambda: CREATED)
    world = build_world(store)
    store.import_people(world.org, [PersonRecord("dee@acme.dev", "Dee", privacy_mode=True)])
    ingest(store, world, DEE_FACTS)
    dee = store.find_user(world.org, "dee@acme.dev")
    assert dee is not None
    assert dee.privacy_mode
    _, key = store.create_token(world.org, "cursor-reader", [Scope.READ])
    return CursorWorld(world, dee, key)


@pytest.fixture
def cursor_settings(settings: Settings) -> Settings:
    """Settings with a rate limit no test except the limiter's own reaches."""
    return settings.replace(cursor_rate_limit=10_000)


@pytest.fixture
def cursor_client(cursor_settings: Settings, store: Store) -> Iterator[TestClient]:
    """An in-process client of an app with a high Cursor rate limit."""
    with TestClient(create_app(cursor_settings, store=store)) as test_client:
        yield test_client


@pytest.fixture
def cursor_other(store: Store) -> Tenant:
    """Another organization, with its own keys and no data."""
    return make_tenant(store, "globex")
