"""Exceptions raised by aicode.

AicodeError
├── ConfigurationError      a setting or store URL is invalid
├── StoreError              the store failed or refused a write
│   └── MigrationError      the schema cannot be brought to the current version
└── RequestError            a caller's input cannot be served (has status, code, field)
    ├── InvalidInput        400: a parameter or body field is malformed
    ├── Unauthenticated     401: no token, or a token that does not exist
    ├── Forbidden           403: the token may not see this organization or act
    ├── NotFound            404: the named object does not exist
    ├── Conflict            409: the request contradicts stored data (e.g. a taken alias)
    └── PayloadTooLarge     413: the body is larger than allowed
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
    """A caller's input cannot be served; carries the HTTP status, a code and the field."""

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


class Conflict(RequestError):
    """The request contradicts what is stored, such as an alias that names someone else."""

    status = 409
    code = "conflict"


class PayloadTooLarge(RequestError):
    """The request body is larger than allowed."""

    status = 413
    code = "payload_too_large"
