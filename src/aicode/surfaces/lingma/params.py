"""Lingma's request parameters: the token header, the dates, the page and whom to report on."""

from __future__ import annotations

import datetime as dt
import re

from aicode.metrics import Filters
from aicode.metrics.filters import department_num_path
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store
from aicode.surfaces.lingma.errors import (
    FORBIDDEN,
    INVALID_TOKEN,
    NOT_IN_ORGANIZATION,
    UNAUTHORIZED,
    LingmaError,
    bad_request,
)

TOKEN_HEADER = "x-yunxiao-token"  # noqa: S105 (a header name, not a secret)
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
MAX_PAGE = 2**31 - 1  # Yunxiao's page is a Java int

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER = re.compile(r"[0-9]{1,10}")


def organization(store: Store, organization_id: str, secret: str | None) -> Organization:
    """The path's organization, if the token is a live ``read`` token of it (401 / 403)."""
    if not secret or not secret.strip():
        raise LingmaError(401, UNAUTHORIZED, f"missing {TOKEN_HEADER} header")
    token = store.authenticate(secret.strip())
    if token is None:
        raise LingmaError(401, INVALID_TOKEN, f"{TOKEN_HEADER} is not a valid token")
    if Scope.READ not in token.scopes and Scope.ADMIN not in token.scopes:
        raise LingmaError(403, FORBIDDEN, f"the {TOKEN_HEADER} token lacks the 'read' scope")
    org = store.get_organization(token.org_id) if token.org_id == organization_id else None
    if org is None:
        # Another organization, existing or not: the answer never says which.
        raise LingmaError(
            403,
            NOT_IN_ORGANIZATION,
            f"the {TOKEN_HEADER} token does not belong to organization {organization_id!r}",
        )
    return org


def day(value: str | None, name: str) -> dt.date:
    """A required YYYY-MM-DD date parameter."""
    if not value:
        raise bad_request(f"{name} is required")
    message = f"{name} must be a date as YYYY-MM-DD, got {value!r}"
    if not _DATE.fullmatch(value):
        raise bad_request(message)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise bad_request(message) from exc


def day_range(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """``startTime`` and ``endTime``: both required, inclusive, in order."""
    first, last = day(start, "startTime"), day(end, "endTime")
    if last < first:
        raise bad_request("endTime must not be before startTime")
    return first, last


def whole_number(value: str | None, name: str, default: int, maximum: int) -> int:
    """An optional positive integer parameter (absent or empty: the default)."""
    if not value:
        return default
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= maximum:
        raise bad_request(f"{name} must be a whole number from 1 to {maximum}, got {value!r}")
    return int(value)


def paging(page: str | None, per_page: str | None) -> tuple[int, int]:
    """``page`` (default 1) and ``perPage`` (default 100)."""
    return (
        whole_number(page, "page", 1, MAX_PAGE),
        whole_number(per_page, "perPage", DEFAULT_PER_PAGE, MAX_PER_PAGE),
    )


def department_path(store: Store, org: Organization, department_id: str) -> str:
    """The id path of one of the organization's departments, for filters that include its
    sub-departments (400 when the organization has no such department).
    """
    path = department_num_path(store, org.num, department_id)
    if path is None:
        raise bad_request(
            f"departmentId {department_id!r} is not a department of this organization"
        )
    return path


def developer_filters(
    store: Store,
    org: Organization,
    days: tuple[dt.date, dt.date],
    user_id: str | None,
    department_id: str | None,
) -> Filters:
    """One person (``userId`` wins), one department with its sub-departments, or everyone."""
    first, last = days
    if user_id:
        user = store.find_user(org, user_id)
        if user is None:
            raise bad_request(f"userId {user_id!r} is not a user of this organization")
        return Filters.for_days(org.num, first, last, user_nums=(user.num,))
    if department_id:
        path = department_path(store, org, department_id)
        return Filters.for_days(org.num, first, last, department_num_path=path)
    return Filters.for_days(org.num, first, last)
