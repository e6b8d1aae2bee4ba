"""Cursor's error shape: ``{"error": <status phrase>, "message": ...}`` with the HTTP status."""

from __future__ import annotations

import http
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from aicode.errors import RequestError
from aicode.surfaces.cursor.limits import retry_after_header


class TooManyRequests(RequestError):
    """429: the team used up this endpoint's requests for the current minute."""

    status = 429
    code = "too_many_requests"

    def __init__(self, retry_after: float) -> None:
        super().__init__("Rate limit exceeded. Please try again later.")
        self.retry_after = retry_after


def error_body(status: int, message: str) -> dict[str, Any]:
    """The JSON body Cursor answers errors with."""
    return {"error": http.HTTPStatus(status).phrase, "message": message}


def render_error(exc: RequestError) -> JSONResponse:
    """A request error in Cursor's shape, with the headers its status calls for."""
    headers: dict[str, str] = {}
    if exc.status == 401:
        # The key is the Basic user name, as `curl -u KEY:` sends it.
        headers["WWW-Authenticate"] = 'Basic realm="aicode"'
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = retry_after_header(exc.retry_after)
    return JSONResponse(error_body(exc.status, exc.message), exc.status, headers=headers)


def use_cursor_errors(request: Request) -> None:
    """Route dependency: failures of this request answer in Cursor's shape."""
    request.state.error_renderer = render_error
