"""Windsurf's custom Analytics query API (issue 6): ``POST /api/v1/Analytics``.

``request`` reads the body into query specs, ``aicode.metrics.query`` validates, compiles and
runs them, ``answer`` writes every value as a string in Windsurf's shape.
"""

from aicode.surfaces.windsurf.routes import router

__all__ = ["router"]
