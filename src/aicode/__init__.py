"""aicode: self-hosted analytics for AI-assisted coding.

Public API: ``create_app(settings)`` builds the ASGI app; ``Settings`` declares every setting;
``open_store(url)`` opens a store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from fastapi import FastAPI

    from aicode.settings import Settings
    from aicode.store import open_store
    from aicode.store.base import Store

__all__ = ["Settings", "__version__", "create_app", "open_store"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the git and agent hooks import aicode.hook, and importing the
    # package must not pull in the store (pyarrow, sqlglot) on their path.
    if name == "Settings":
        from aicode.settings import Settings

        return Settings
    if name == "open_store":
        from aicode.store import open_store

        return open_store
    raise AttributeError(f"module 'aicode' has no attribute {name!r}")


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the ASGI application for these settings (see ``aicode.app``)."""
    from aicode.app import create_app as build

    return build(settings, store=store)
