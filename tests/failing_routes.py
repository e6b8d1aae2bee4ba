"""The real app plus one route, in a surface's error shape, that fails unexpectedly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from aicode.api.errors import ErrorShape
from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store

# What the failure says; no answer may repeat it.
SECRET = "the disk at /var/lib/secret-9f2c is on fire"


@contextmanager
def failing_client(
    settings: Settings, store: Store, shape: ErrorShape, path: str
) -> Iterator[TestClient]:
    """A client of the app with ``GET/POST path`` raising RuntimeError in ``shape``'s router."""
    app = create_app(settings, store=store)
    router = shape.router()

    @router.api_route(path, methods=["GET", "POST"])
    def fail() -> None:
        raise RuntimeError(SECRET)

    app.include_router(router)
    with TestClient(app) as client:
        yield client
