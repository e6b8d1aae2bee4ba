"""The answer's shape: every value a string, items as protobuf JSON maps; errors as Connect.

``{"queryResults": [{"responseItems": [{"item": {...}}]}]}``, one result per query in request
order. Item keys are sorted, as protobuf JSON writes a map. The seed documents no error body;
errors follow the Connect protocol Windsurf's services speak: ``{"code", "message"}``, with
Connect's code for the HTTP status. A path that names no procedure, or a method other than
POST, is ``unimplemented``, as gRPC and Connect say of a procedure a server does not serve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from aicode.api.errors import ErrorShape
from aicode.errors import MethodNotAllowed, NoSuchEndpoint, RequestError
from aicode.metrics.query import Kind, QueryResult

FLOAT_DECIMALS = 6
FRACTION_DECIMALS = 2  # percent_code_written: "0.61", as the seed shows

_CONNECT_CODES: Final[dict[int, str]] = {
    400: "invalid_argument",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    409: "already_exists",
    413: "resource_exhausted",
    429: "resource_exhausted",
    500: "internal",
}


def _decimal(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _time(value: dt.datetime) -> str:
    return value.isoformat() + "Z" if value.tzinfo is None else value.isoformat()


def format_value(value: Any, kind: Kind) -> str:
    """A result value as the string the answer carries; numbers without needless decimals."""
    if value is None:
        return ""
    if kind is Kind.BOOL or isinstance(value, bool):
        return "true" if value else "false"
    if kind is Kind.FRACTION:
        return _decimal(float(value), FRACTION_DECIMALS)
    if kind is Kind.FLOAT:
        return _decimal(float(value), FLOAT_DECIMALS)
    if kind is Kind.TIME and isinstance(value, dt.datetime):
        return _time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def answer_body(results: Sequence[QueryResult]) -> dict[str, Any]:
    """The JSON body for the results of every query, in request order."""
    return {
        "queryResults": [
            {
                "responseItems": [
                    {
                        "item": {
                            name: format_value(row[name], result.kinds[name])
                            for name in sorted(row)
                        }
                    }
                    for row in result.rows
                ]
            }
            for result in results
        ]
    }


def render_error(request: Request, exc: RequestError) -> Response:
    """A request error in the Connect shape, with its HTTP status."""
    if isinstance(exc, NoSuchEndpoint | MethodNotAllowed):
        code = "unimplemented"
    else:
        code = _CONNECT_CODES.get(exc.status, "unknown")
    return JSONResponse({"code": code, "message": exc.message}, status_code=exc.status)


WINDSURF = ErrorShape("Windsurf", render_error)
