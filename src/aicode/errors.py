"""Exceptions raised by aicode.

AicodeError
├── ConfigurationError      a setting or store URL is invalid
├── StoreError              the store failed or refused a write
│   └── MigrationError      the schema cannot be brought to the current version
└── RequestError            a request cannot be served (has status, code, field)
    ├── InvalidInput        400: a parameter or body field is malformed
    ├── Unauthenticated     401: no token, or a token that does not exist
    ├── Forbidden           403: the token may not see this organization or act
    ├── NotFound            404: the named object does not exist
    │   └── NoSuchEndpoint  404: no route serves the path
    ├── MethodNotAllowed    405: the path is served, but not for this method
    ├── Conflict            409: the request contradicts stored data (e.g. a taken alias)
    ├── PayloadTooLarge     413: the body is larger than allowed
    ├── TooManyRequests     429: a rate limit refused the request (has retry_after)
    └── InternalError       500: aicode itself failed; the answer never says why, the log does
"""

from __future__ import annotations


class AicodeError(Exception):
    """Base of every error aicode raises on purpose."""


class ConfigurationError(AicodeError):
    """A setting or store URL is invalid."""


class StoreError(AicodeError):
    """The store failed or refused a write."""


class MigrationError(StoreError):
    """The schema cannot be brought to the current version."""


class RequestError(AicodeError):
    """A request cannot be served; carries the HTTP status, a code and the field at fault."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(RequestError):
    """A parameter or body field is malformed."""

    status = 400
    code = "invalid_input"


class Unauthenticated(RequestError):
    """No token was given, or the token does not exist."""

    status = 401
    code = "unauthenticated"


class Forbidden(RequestError):
    """The token may not see this organization or perform this action."""

    status = 403
    code = "forbidden"


class NotFound(RequestError):
    """The named object does not exist."""

    status = 404
    code = "not_found"


class NoSuchEndpoint(NotFound):
    """No route serves the requested path (as opposed to a named object that is missing)."""


class MethodNotAllowed(RequestError):
    """The path is served, but not for this method; ``allowed`` lists the methods that are."""

    status = 405
    code = "method_not_allowed"

    def __init__(self, message: str, *, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed


class Conflict(RequestError):
    """The request contradicts what is stored, such as an alias that names someone else."""

    status = 409
    code = "conflict"


class PayloadTooLarge(RequestError):
    """The request body is larger than allowed."""

    status = 413
    code = "payload_too_large"


class TooManyRequests(RequestError):
    """A rate limit refused the request; ``retry_after`` is the wait in seconds."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InternalError(RequestError):
    """aicode itself failed while serving a request; the cause goes to the log, not the caller."""

    status = 500
    code = "internal_error"
