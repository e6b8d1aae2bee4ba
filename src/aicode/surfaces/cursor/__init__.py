"""Cursor's AI Code Tracking API: commits and accepted AI changes, JSON and streamed CSV.

Paths, parameters, field names, CSV columns, the Basic-auth key, the per-team rate limit and
the error shape follow Cursor's published contract; every number comes from
``aicode.metrics`` (see docs/cursor.md).
"""

from aicode.surfaces.cursor.limits import RateLimiter
from aicode.surfaces.cursor.routes import CursorState, router

__all__ = ["CursorState", "RateLimiter", "router"]
