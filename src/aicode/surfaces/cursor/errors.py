"""Cursor's error shape: ``{"error": <status phrase>, "message": ...}`` with the HTTP status.

``CURSOR`` renders every failure of a Cursor request (parameters, the key, the rate limit,
an unknown path or method, the store) in that shape; see api/errors.py.
"""

from __future__ import annotations

import http
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from aicode.api.errors import ErrorShape
from aicode.errors import RequestError, TooManyRequests
from aicode.surfaces.cursor.limits import retry_after_header


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON body Cursor answers errors with."""
    return {"error": http.HTTPStatus(status).phrase, "message": message}


def render_error(request: Request, exc: RequestError) -> Response:
    """A request error in Cursor's shape, with the headers its status calls for."""
    headers: dict[str, str] = {}
    if exc.status == 401:
        # The key is the Basic user name, as `curl -u KEY:` sends it.
        headers["WWW-Authenticate"] = 'Basic realm="aicode"'
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = retry_after_header(exc.retry_after)
    return JSONResponse(error_body(exc.status, exc.message), exc.status, headers=headers)


CURSOR = ErrorShape("Cursor", render_error)
