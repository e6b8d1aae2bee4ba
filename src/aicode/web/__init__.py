"""The web dashboard, served by the same app over the same metrics layer."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from aicode.web import auth, routes
from aicode.web.render import STATIC_DIR
from aicode.web.sessions import SessionStore


def install(app: FastAPI) -> None:
    """Serve the dashboard at ``/``: sign-in, pages and static assets, with fresh sessions."""
    app.state.dashboard_sessions = SessionStore()
    app.include_router(auth.router)
    app.include_router(routes.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
