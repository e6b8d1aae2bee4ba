"""The native API's error shape: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from aicode.errors import RequestError

log = logging.getLogger(__name__)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON body of a native API error."""
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(exc: RequestError, **extra: Any) -> JSONResponse:
    """A JSON error response for a request error."""
    body = error_body(exc.code, exc.message, exc.field) | extra
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(body, status_code=exc.status, headers=headers)


def _validation_field(error: dict[str, Any]) -> str | None:
    location = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("query", "path", "body", "header")
    ]
    return ".".join(location) or None


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure in the native shape; surfaces override this under their prefix."""

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> JSONResponse:
        handler = getattr(request.state, "error_renderer", None)
        if handler is not None:
            return handler(exc)  # type: ignore[no-any-return]
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        field = _validation_field(first)
        message = f"{field}: {first.get('msg', 'invalid value')}" if field else "invalid request"
        from aicode.errors import InvalidInput

        err = InvalidInput(message, field=field)
        handler = getattr(request.state, "error_renderer", None)
        if handler is not None:
            return handler(err)  # type: ignore[no-any-return]
        return error_response(err)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "internal server error"), status_code=500)
