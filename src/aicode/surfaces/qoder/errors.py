"""Qoder's error shape, answered by every Qoder route whatever goes wrong.

Qoder documents a non-2xx status with ``{"requestId", "code", "message", "details"?}`` and the
codes BadRequest 400, Unauthorized 401, Forbidden 403, NotFound 404, AlreadyExists 409 and
InternalError 500. The route class below turns every error raised while serving a Qoder
request (parameters, auth, the store) into that shape, so no Qoder endpoint answers in the
native API's shape or with a bare 500.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from aicode.api.render import JSON
from aicode.errors import RequestError

log = logging.getLogger(__name__)

CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "AlreadyExists",
}
INTERNAL = "InternalError"


def error_body(
    code: str, message: str, field: str | None = None, request_id: str | None = None
) -> dict[str, Any]:
    """The JSON body of a Qoder error; ``details.field`` names the parameter at fault."""
    body: dict[str, Any] = {
        "requestId": request_id or str(uuid.uuid4()),
        "code": code,
        "message": message,
    }
    if field is not None:
        body["details"] = {"field": field}
    return body


def error_response(status: int, code: str, message: str, field: str | None = None) -> JSON:
    """A Qoder error response; the request id is repeated in ``X-Request-Id``."""
    body = error_body(code, message, field)
    headers = {"X-Request-Id": body["requestId"]}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSON(body, status_code=status, headers=headers)


def request_error(exc: RequestError) -> JSON:
    """A request error of the shared layers (auth, params) in Qoder's shape."""
    status = exc.status if exc.status in CODES else 400
    return error_response(status, CODES[status], exc.message, exc.field)


def validation_error(exc: RequestValidationError) -> JSON:
    """A framework validation error in Qoder's shape, naming the parameter."""
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body")]
    field = ".".join(location) or None
    message = f"{field}: {first.get('msg', 'invalid value')}" if field else "invalid request"
    return error_response(400, "BadRequest", message, field)


class QoderRoute(APIRoute):
    """A route that answers every failure in Qoder's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The FastAPI handler, wrapped so that errors become Qoder error responses."""
        handler = super().get_route_handler()

        async def qoder_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestError as exc:
                return request_error(exc)
            except RequestValidationError as exc:
                return validation_error(exc)
            except Exception:
                log.exception("unhandled error on %s %s", request.method, request.url.path)
                return error_response(500, INTERNAL, "internal server error")

        return qoder_handler
