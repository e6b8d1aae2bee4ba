"""Cursor's query parameters: startDate, endDate, page, pageSize and user, made into Filters.

Dates are ISO dates (a whole UTC day: from its start as ``startDate``, to its end as
``endDate``), ISO date-times (an instant; without an offset it is UTC), the literal ``now``,
or relative days ``Nd`` meaning now minus N days. Both ends are inclusive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from aicode.errors import InvalidInput, NotFound
from aicode.metrics import Filters
from aicode.model.tenancy import Organization
from aicode.store.base import Store

DEFAULT_DAYS = 7
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000_000  # keeps the row offset a 64-bit number

_RELATIVE_DAYS = re.compile(r"^(\d{1,6})d$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_END_OF_DAY = dt.time(23, 59, 59, 999_999, tzinfo=dt.UTC)

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current instant, in UTC."""
    return dt.datetime.now(dt.UTC)


def parse_date(value: str, field: str, now: dt.datetime, *, end: bool) -> dt.datetime:
    """One date parameter as a UTC instant, or a 400 naming the field."""
    text = value.strip()
    if text.lower() == "now":
        return now
    relative = _RELATIVE_DAYS.match(text)
    if relative:
        try:
            return now - dt.timedelta(days=int(relative.group(1)))
        except OverflowError as exc:
            raise InvalidInput(f"{field} {value!r} reaches before year 1", field=field) from exc
    try:
        if _DATE_ONLY.match(text):
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, _END_OF_DAY if end else dt.time(tzinfo=dt.UTC))
        instant = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            f"{field} must be an ISO date or date-time, 'now', or relative days like '7d';"
            f" got {value!r}",
            field=field,
        ) from exc
    if instant.tzinfo is None:
        return instant.replace(tzinfo=dt.UTC)
    try:
        return instant.astimezone(dt.UTC)
    except OverflowError as exc:  # an offset that pushes year 1 or 9999 out of range
        raise InvalidInput(f"{field} {value!r} is out of range", field=field) from exc


def parse_count(value: str | None, field: str, default: int, maximum: int | None = None) -> int:
    """A positive whole number parameter (at most ``maximum``), or a 400 naming the field."""
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"{field} must be a positive integer, got {value!r}", field=field
        ) from exc
    if number < 1:
        raise InvalidInput(f"{field} must be a positive integer, got {value!r}", field=field)
    if maximum is not None and number > maximum:
        raise InvalidInput(f"{field} must be at most {maximum}, got {number}", field=field)
    return number


@dataclasses.dataclass(frozen=True)
class Selection:
    """What one request asks for: the metric filters and the page."""

    filters: Filters
    page: int
    page_size: int


def resolve_user(store: Store, org: Organization, ref: str) -> int:
    """The user number of an email, ``user_...`` id or numeric id in this team, or a 404."""
    user = store.find_user(org, ref)
    if user is None:
        raise NotFound(f"user {ref.strip()!r} is not a member of this team", field="user")
    return user.num


def parse_query(
    store: Store,
    org: Organization,
    now: dt.datetime,
    *,
    start_date: str | None,
    end_date: str | None,
    page: str | None,
    page_size: str | None,
    user: str | None,
) -> Selection:
    """Validate every parameter and resolve the user; nothing is read before this succeeds."""
    until = parse_date(end_date, "endDate", now, end=True) if end_date else now
    if start_date:
        since = parse_date(start_date, "startDate", now, end=False)
    else:
        since = now - dt.timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise InvalidInput(
            f"startDate ({since.isoformat()}) must not be after endDate ({until.isoformat()})",
            field="startDate",
        )
    number = parse_count(page, "page", 1, MAX_PAGE)
    size = parse_count(page_size, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    user_nums = (resolve_user(store, org, user),) if user and user.strip() else None
    filters = Filters(org_num=org.num, since=since, until=until, user_nums=user_nums)
    return Selection(filters, number, size)
