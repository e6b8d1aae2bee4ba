"""Yunxiao's OpenAPI error shape, and a route class that gives every answer a request id.

Yunxiao documents error codes and statuses but not the body's field names; Alibaba's own
client reads ``errorCode`` and ``errorMessage``, so errors are
``{"errorCode", "errorMessage", "requestId"}`` with the same id in the ``x-request-id``
header, which successful answers carry too.
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

REQUEST_ID_HEADER = "x-request-id"

BAD_REQUEST = "BadRequest"
UNAUTHORIZED = "Unauthorized"
INVALID_TOKEN = "InvalidTokenError"  # noqa: S105 (an error code, not a secret)
FORBIDDEN = "Forbidden"
NOT_IN_ORGANIZATION = "Forbidden.InvalidUser.UserNotInCurrentOrganization"
INTERNAL = "InternalServerError"

# Errors raised outside this package carry only a status; Yunxiao documents no 404 or 409.
_CODE_BY_STATUS = {400: BAD_REQUEST, 401: UNAUTHORIZED, 403: FORBIDDEN}


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


def error_response(status: int, error_code: str, message: str, request_id: str) -> JSON:
    """An error answer in Yunxiao's shape."""
    body = {"errorCode": error_code, "errorMessage": message, "requestId": request_id}
    return JSON(body, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    names = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "header")]
    reason = str(first.get("msg", "invalid value"))
    return f"{'.'.join(names)}: {reason}" if names else reason


def _error_for(exc: Exception) -> tuple[int, str, str]:
    if isinstance(exc, LingmaError):
        return exc.status, exc.error_code, exc.message
    if isinstance(exc, RequestError):
        status = exc.status if exc.status in _CODE_BY_STATUS else 400
        return status, _CODE_BY_STATUS[status], exc.message
    if isinstance(exc, RequestValidationError):
        return 400, BAD_REQUEST, _validation_message(exc)
    return 500, INTERNAL, "internal server error"


class LingmaRoute(APIRoute):
    """A route whose answers, errors included, are in Yunxiao's shape with a request id."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The default handler, wrapped to stamp the request id and render every failure."""
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            request_id = new_request_id()
            try:
                response = await handler(request)
            except Exception as exc:  # every failure answers in the vendor's shape
                if not isinstance(exc, RequestError | RequestValidationError):
                    log.exception("Lingma %s failed (request %s)", request.url.path, request_id)
                response = error_response(*_error_for(exc), request_id)
            response.headers[REQUEST_ID_HEADER] = request_id
            return response

        return answer
