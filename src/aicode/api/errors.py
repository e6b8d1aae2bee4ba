"""Failures as HTTP answers: one mechanism for the native API, the dashboard and every surface.

Each API the app serves has an ``ErrorShape``: a name (used in messages) and a renderer
``(request, RequestError) -> Response``. Whatever goes wrong is first made a ``RequestError``
by ``as_request_error``: parameter and body validation, authentication, a missing object, an
unknown path, a wrong method, a body too large, a rate limit, and any unexpected exception,
which becomes a 500 ``InternalError`` whose message says nothing of the cause (the log has
it, with the request id the answer carries, if any). The renderer then only maps the error's
status, code, message and field onto its API's body and headers.

A surface builds its routers with ``shape.router()``: their routes answer every failure of a
request through the shape, a wrong method (405) included. ``shape.fallback(router)``, called
once the router has all its routes, adds the routes that answer paths under the router's
prefix which nothing serves (404), in the same shape. The fallback only ever matches
partially, as a wrong method does, so it never shadows a route of the app, and a wrong
method on a served path still wins over it. A path ending in ``/`` is left to the router's
usual redirect to the path without it.

The native API is the default: what happens outside a shaped route (an unknown path
elsewhere, the native routes themselves) answers in its shape, via ``install_error_handlers``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, ClassVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from aicode.errors import (
    Forbidden,
    InternalError,
    InvalidInput,
    MethodNotAllowed,
    NoSuchEndpoint,
    NotFound,
    PayloadTooLarge,
    RequestError,
    Unauthenticated,
)

log = logging.getLogger(__name__)

ErrorRenderer = Callable[[Request, RequestError], Response]
PathTest = Callable[[Mapping[str, Any]], bool]

INTERNAL_MESSAGE = "internal server error"
# Every method a client might try: the fallback answers 404 to all of them alike.
ANY_METHOD = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
_HTTP_ERRORS: dict[int, type[RequestError]] = {
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    413: PayloadTooLarge,
}


# the native shape ------------------------------------------------------------------------------


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON body of a native API error: ``{"error": {"code", "message", "field"}}``."""
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(exc: RequestError, **extra: Any) -> JSONResponse:
    """A request error in the native shape."""
    body = error_body(exc.code, exc.message, exc.field) | extra
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(body, status_code=exc.status, headers=headers)


def render_native(request: Request, exc: RequestError) -> Response:
    """The native API's renderer."""
    return error_response(exc)


# any failure as a RequestError -----------------------------------------------------------------


def _validation_field(error: Mapping[str, Any]) -> str | None:
    location = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("query", "path", "body", "header")
    ]
    return ".".join(location) or None


def validation_error(exc: RequestValidationError) -> InvalidInput:
    """FastAPI's validation failure as a 400 naming the first parameter at fault."""
    first = exc.errors()[0] if exc.errors() else {}
    field = _validation_field(first)
    message = f"{field}: {first.get('msg', 'invalid value')}" if field else "invalid request"
    return InvalidInput(message, field=field)


def _http_error(exc: StarletteHTTPException) -> RequestError:
    message = str(exc.detail)
    if exc.status_code >= 500:
        return InternalError(INTERNAL_MESSAGE)
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        return MethodNotAllowed(message, allowed=tuple(m.strip() for m in allow.split(",") if m))
    kind = _HTTP_ERRORS.get(exc.status_code)
    if kind is not None:
        return kind(message)
    error = RequestError(message)
    error.status = exc.status_code  # keeps the status; the code stays the generic one
    error.code = "http_error"
    return error


def as_request_error(exc: Exception) -> RequestError:
    """Any failure as the request error to answer; an unexpected one is a bare 500."""
    if isinstance(exc, RequestError):
        return exc
    if isinstance(exc, RequestValidationError):
        return validation_error(exc)
    if isinstance(exc, StarletteHTTPException):
        return _http_error(exc)
    return InternalError(INTERNAL_MESSAGE)


def _shown_methods(methods: Sequence[str]) -> str:
    # HEAD comes with GET; naming it too says nothing.
    shown = [m for m in methods if not (m == "HEAD" and "GET" in methods)]
    return ", ".join(shown)


# the mechanism ---------------------------------------------------------------------------------


class ErrorShape:
    """How one API answers failures: its name in messages and the renderer of its body."""

    def __init__(self, name: str, render: ErrorRenderer) -> None:
        self.name = name
        self.render = render
        self.route_class: type[APIRoute] = type(f"{name}Route", (ShapedRoute,), {"shape": self})

    def answer(self, request: Request, exc: Exception) -> Response:
        """The response to a failure; one that was not expected is logged with its cause."""
        error = as_request_error(exc)
        response = self.render(request, error)
        if isinstance(error, MethodNotAllowed) and error.allowed:
            response.headers["Allow"] = ", ".join(error.allowed)
        if error is not exc and isinstance(error, InternalError):
            # Method and path only: never a query string, header or body (they hold tokens).
            log.error(
                "%s %s failed (answered %s, request id %s)",
                request.method,
                request.url.path,
                response.status_code,
                response.headers.get("x-request-id", "none"),
                exc_info=exc,
            )
        return response

    def router(self, **options: Any) -> APIRouter:
        """An APIRouter whose routes answer every failure in this shape."""
        return APIRouter(route_class=self.route_class, **options)

    def fallback(
        self,
        router: APIRouter,
        paths: Sequence[str] = ("", "/{rest:path}"),
        *,
        when: PathTest | None = None,
    ) -> None:
        """Answer unserved paths under the router's prefix with a 404 in this shape.

        Call it after the router has all its routes. ``paths`` are relative to the router's
        prefix (the default: the prefix itself and anything below it); ``when``, given the
        path parameters, narrows which paths count as this API's.
        """
        route_class = type(
            f"{self.name}Fallback", (FallbackRoute,), {"shape": self, "path_test": when}
        )
        for path in paths:
            router.add_api_route(
                path,
                _no_endpoint,
                methods=list(ANY_METHOD),
                include_in_schema=False,
                route_class_override=route_class,
            )


class ShapedRoute(APIRoute):
    """A route that answers every failure, a wrong method included, in its API's shape."""

    shape: ClassVar[ErrorShape]

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler (parameters, dependencies, endpoint), failures rendered."""
        handler = super().get_route_handler()
        shape = self.shape

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every failure answers in the API's shape
                return shape.answer(request, exc)

        return answer

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, or answer a wrong method (405) in this route's shape."""
        if self.methods and scope["method"] not in self.methods:
            request = Request(scope, receive)
            allowed = tuple(sorted(self.methods))
            refused = MethodNotAllowed(
                f"{request.url.path} answers {_shown_methods(allowed)}, not {request.method}",
                allowed=allowed,
            )
            await self.shape.answer(request, refused)(scope, receive, send)
            return
        await super().handle(scope, receive, send)


def _missing(shape: ErrorShape, request: Request) -> NoSuchEndpoint:
    return NoSuchEndpoint(f"{shape.name} has no endpoint {request.url.path}")


def _no_endpoint(request: Request) -> Response:
    """The fallback's endpoint; its route answers before calling it, with the same 404."""
    raise NoSuchEndpoint(f"no endpoint {request.url.path}")


class FallbackRoute(ShapedRoute):
    """Paths under a surface's prefix that no route serves: a 404 in the surface's shape."""

    path_test: ClassVar[PathTest | None] = None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """At most a partial match, so that any route of the app that matches comes first."""
        if str(scope.get("path", "")).endswith("/"):
            # Left to the router, which redirects to the path without the slash, served or not.
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match is Match.NONE:
            return match, child_scope
        test = type(self).path_test
        if test is not None and not test(child_scope.get("path_params", {})):
            return Match.NONE, {}
        return Match.PARTIAL, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 404 whatever the method; nothing runs, not even the router's dependencies."""
        request = Request(scope, receive)
        await self.shape.answer(request, _missing(self.shape, request))(scope, receive, send)


NATIVE = ErrorShape("aicode", render_native)


def install_error_handlers(app: FastAPI) -> None:
    """Answer failures outside the shaped routes in the native shape."""

    async def native(request: Request, exc: Exception) -> Response:
        return NATIVE.answer(request, exc)

    for kind in (RequestError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, native)
