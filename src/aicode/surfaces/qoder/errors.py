"""Qoder's error shape, answered by every Qoder route whatever goes wrong.

Qoder documents a non-2xx status with ``{"requestId", "code", "message", "details"?}`` and the
codes BadRequest 400, Unauthorized 401, Forbidden 403, NotFound 404, AlreadyExists 409 and
InternalError 500. ``QODER`` renders every failure of a Qoder request (parameters, auth, the
store, an unknown path or method) in that shape (see api/errors.py), so no Qoder endpoint
answers in the native API's shape or with a bare 500.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response

from aicode.api.errors import ErrorShape
from aicode.api.render import JSON
from aicode.errors import RequestError

# Qoder documents no 405, 413 or 429; those keep their HTTP status under a code named the
# same way. Any other status is a bad request to Qoder.
CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "AlreadyExists",
    413: "PayloadTooLarge",
    429: "TooManyRequests",
    500: "InternalError",
}


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


def render_error(request: Request, exc: RequestError) -> Response:
    """An error in Qoder's shape; the request id is repeated in ``X-Request-Id``."""
    status = exc.status if exc.status in CODES else 400
    body = error_body(CODES[status], exc.message, exc.field)
    headers = {"X-Request-Id": body["requestId"]}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSON(body, status_code=status, headers=headers)


QODER = ErrorShape("Qoder", render_error)
