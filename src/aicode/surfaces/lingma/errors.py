"""Yunxiao's OpenAPI error shape, with a request id on every answer.

Yunxiao documents error codes and statuses but not the body's field names; Alibaba's own
client reads ``errorCode`` and ``errorMessage``, so errors are
``{"errorCode", "errorMessage", "requestId"}`` with the same id in the ``x-request-id``
header, which successful answers carry too.
"""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from aicode.api.errors import ErrorShape
from aicode.api.render import JSON
from aicode.errors import RequestError

REQUEST_ID_HEADER = "x-request-id"

BAD_REQUEST = "BadRequest"
UNAUTHORIZED = "Unauthorized"
INVALID_TOKEN = "InvalidTokenError"  # noqa: S105 (an error code, not a secret)
FORBIDDEN = "Forbidden"
NOT_IN_ORGANIZATION = "Forbidden.InvalidUser.UserNotInCurrentOrganization"
INTERNAL = "InternalServerError"

# Errors raised outside this package carry only a status. Yunxiao documents 400, 401, 403,
# 429 and 500; an unknown path, a wrong method or a body too large keep their HTTP status
# under a code named the same way. Anything else (a 409) is a bad request to Yunxiao.
_CODE_BY_STATUS = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    429: "TooManyRequests",
    500: INTERNAL,
}


class LingmaError(RequestError):
    """A request error with Yunxiao's error code as well as the HTTP status."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code


def bad_request(message: str) -> LingmaError:
    """A 400 ``BadRequest`` whose message names the parameter at fault."""
    return LingmaError(400, BAD_REQUEST, message)


def new_request_id() -> str:
    """A fresh request id, upper-case like Yunxiao's (``37294673-00CA-5B8B-...``)."""
    return str(uuid.uuid4()).upper()


def _status_and_code(exc: RequestError) -> tuple[int, str]:
    if isinstance(exc, LingmaError):
        return exc.status, exc.error_code
    status = exc.status if exc.status in _CODE_BY_STATUS else 400
    return status, _CODE_BY_STATUS[status]


def render_error(request: Request, exc: RequestError) -> Response:
    """An error in Yunxiao's shape; the request id is in the body and the header."""
    status, code = _status_and_code(exc)
    request_id = new_request_id()
    body = {"errorCode": code, "errorMessage": exc.message, "requestId": request_id}
    return JSON(body, status_code=status, headers={REQUEST_ID_HEADER: request_id})


LINGMA = ErrorShape("Lingma", render_error)
