"""aicode: self-hosted analytics for AI-assisted coding.

Public API: ``create_app(settings)`` builds the ASGI app; ``Settings`` declares every setting;
``open_store(url)`` opens a store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from aicode.settings import Settings
from aicode.store import open_store

if TYPE_CHECKING:
    from fastapi import FastAPI

    from aicode.store.base import Store

__all__ = ["Settings", "__version__", "create_app", "open_store"]


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the ASGI application for these settings (see ``aicode.app``)."""
    from aicode.app import create_app as build

    return build(settings, store=store)
