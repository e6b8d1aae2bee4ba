"""The application factory: one FastAPI app per settings, nothing built at import time."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from aicode import __version__, web
from aicode.api import admin, fingerprint, health, ingest, read
from aicode.api.errors import install_error_handlers
from aicode.api.render import JSON
from aicode.settings import Settings
from aicode.store import open_store
from aicode.store.base import Store
from aicode.surfaces import cursor, lingma, qoder, windsurf

log = logging.getLogger(__name__)

# Ingest allocates millions of short-lived, acyclic objects (decoded facts, row tuples); at
# the default threshold of 700 the young-generation collector ran every few hundred of them
# and took about a fifth of the parse time. 10,000 keeps that under 5%.
SERVING_GC_THRESHOLD = (10_000, 10, 10)


def collect_less_often() -> None:
    """Tune the garbage collector for a process that serves the app (call before serving)."""
    gc.freeze()  # what start-up built lives as long as the process: never scan it again
    gc.set_threshold(*SERVING_GC_THRESHOLD)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app; it opens the store on startup unless given one (the caller owns that)."""
    settings = settings or Settings.load()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or open_store(
            settings.db,
            group_commit_max=settings.group_commit_max,
            read_threads=settings.read_threads,
            attribution_window_days=settings.attribution_window_days,
        )
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="aicode",
        version=__version__,
        description="Self-hosted analytics for AI-assisted coding: one canonical model, "
        "the native API, and the Lingma, Qoder, Cursor and Windsurf analytics surfaces.",
        lifespan=lifespan,
        default_response_class=JSON,
    )
    app.state.settings = settings
    app.state.cursor = cursor.CursorState.for_settings(settings)
    if store is not None:
        app.state.store = store
    install_error_handlers(app)
    for module in (health, ingest, read, admin, fingerprint, lingma, qoder, cursor, windsurf):
        app.include_router(module.router)

    web.install(app)  # the dashboard at /
    return app
