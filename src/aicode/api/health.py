"""GET /healthz: the server is up and its store answers."""

from __future__ import annotations

from typing import Any

import sqlglot
from fastapi import APIRouter

from aicode import __version__
from aicode.api.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Health check")
def healthz(store: StoreDep) -> dict[str, Any]:
    """Liveness and the store's schema version."""
    store.query(sqlglot.select("1"))
    return {"status": "ok", "version": __version__, "schemaVersion": store.schema_version()}
