"""Qoder's parameters mapped onto metric Filters: times, ranges, people, paging, auth.

Times are RFC 3339 (naive times are UTC) or epoch milliseconds. A range spans at most 90
days; without a start it is the 90 days before the end, and the end defaults to now. Stats
read day rollups, so their instants are rounded down to UTC days; tracking lists honour the
exact instants.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from typing import Annotated

from fastapi import Depends, Query

from aicode.api.auth import authenticate, authorize_org, bearer_secret
from aicode.api.deps import AuthorizationHeader, StoreDep
from aicode.api.params import split_list
from aicode.errors import InvalidInput
from aicode.metrics import Filters
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store

MAX_RANGE = dt.timedelta(days=90)
INT32_MAX = 2**31 - 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MILLIS = re.compile(r"-?\d{1,16}")


def now() -> dt.datetime:
    """The current instant, UTC."""
    return dt.datetime.now(dt.UTC)


def parse_instant(value: str, field: str) -> dt.datetime:
    """An RFC 3339 time or epoch milliseconds as an aware UTC instant, or a 400."""
    text = value.strip()
    try:
        if _MILLIS.fullmatch(text):
            return _EPOCH + dt.timedelta(milliseconds=int(text))
        parsed = dt.datetime.fromisoformat(text)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(
            f"{field} must be an RFC 3339 time or epoch milliseconds, got {value!r}", field=field
        ) from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


@dataclasses.dataclass(frozen=True)
class TimeRange:
    """Inclusive instants, UTC."""

    since: dt.datetime
    until: dt.datetime


def time_range(
    start: str | None,
    end: str | None,
    *,
    fields: tuple[str, str],
    required: bool = False,
) -> TimeRange:
    """The range the parameters name (``fields`` are their names, for messages)."""
    start_field, end_field = fields
    for value, field in ((start, start_field), (end, end_field)):
        if required and not value:
            raise InvalidInput(f"{field} is required", field=field)
    until = parse_instant(end, end_field) if end else now()
    since = parse_instant(start, start_field) if start else until - MAX_RANGE
    if until < since:
        raise InvalidInput(f"{end_field} must not be before {start_field}", field=end_field)
    if until - since > MAX_RANGE:
        raise InvalidInput(
            f"{start_field} to {end_field} may span at most {MAX_RANGE.days} days",
            field=start_field,
        )
    return TimeRange(since, until)


def parse_int(value: str | None, field: str, *, default: int, maximum: int) -> int:
    """A positive integer parameter up to ``maximum``, or a 400 naming the field."""
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if not 1 <= number <= maximum:
        raise InvalidInput(
            f"{field} must be an integer from 1 to {maximum}, got {value!r}", field=field
        )
    return number


def parse_bool(value: str | None, field: str) -> bool:
    """``true``/``false`` (also 1/0), absent meaning false, or a 400 naming the field."""
    text = (value or "").strip().lower()
    if text in ("", "false", "0"):
        return False
    if text in ("true", "1"):
        return True
    raise InvalidInput(f"{field} must be true or false, got {value!r}", field=field)


def check_uuid(value: str, field: str) -> str:
    """A UUID parameter as given, or a 400 naming the field."""
    try:
        uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput(f"{field} must be a UUID, got {value!r}", field=field) from exc
    return value


def user_nums(store: Store, org: Organization, ref: str | None) -> tuple[int, ...] | None:
    """The person a reference names as a filter: None for everyone, () for nobody known."""
    if not ref:
        return None
    user = store.find_user(org, ref)
    return (user.num,) if user is not None else ()


def qoder_org(
    store: StoreDep, organization_id: str, authorization: AuthorizationHeader = None
) -> Organization:
    """The organization in the path, for a read token of that organization."""
    token = authenticate(store, bearer_secret(authorization), Scope.READ)
    check_uuid(organization_id, "organization_id")
    return authorize_org(store, token, organization_id)


QoderOrg = Annotated[Organization, Depends(qoder_org)]


def _text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


@dataclasses.dataclass(frozen=True)
class StatsParams:
    """The common query parameters of the AI-code metrics endpoints."""

    start_date: str | None = None
    end_date: str | None = None
    repo_name: str | None = None
    primary_branch_only: str | None = None
    user_id: str | None = None
    file_extensions: str | None = None

    def filters(self, store: Store, org: Organization, *, required: bool = True) -> Filters:
        """Day filters for the rollup metrics (instants rounded down to UTC days)."""
        span = time_range(
            _text(self.start_date),
            _text(self.end_date),
            fields=("start_date", "end_date"),
            required=required,
        )
        return Filters(
            org_num=org.num,
            start=span.since.date(),
            end=span.until.date(),
            user_nums=user_nums(store, org, _text(self.user_id)),
            repo=_text(self.repo_name),
            primary_branch_only=parse_bool(self.primary_branch_only, "primary_branch_only"),
        ).with_extensions(split_list(self.file_extensions))


def stats_params(
    start_date: Annotated[
        str | None, Query(description="Start, RFC 3339 or epoch milliseconds.")
    ] = None,
    end_date: Annotated[
        str | None, Query(description="End, RFC 3339 or epoch milliseconds.")
    ] = None,
    repo_name: Annotated[str | None, Query(description="Repository name.")] = None,
    primary_branch_only: Annotated[
        str | None, Query(description="true: primary-branch commits only.")
    ] = None,
    user_id: Annotated[str | None, Query(description="User id (or email).")] = None,
    file_extensions: Annotated[
        str | None, Query(description="Comma list, with or without the dot: .go,ts")
    ] = None,
) -> StatsParams:
    """The common AI-code metrics parameters, as given."""
    return StatsParams(
        start_date, end_date, repo_name, primary_branch_only, user_id, file_extensions
    )


Stats = Annotated[StatsParams, Depends(stats_params)]

PAGE_SIZE = 100
MAX_PAGE_SIZE = 200


@dataclasses.dataclass(frozen=True)
class TrackingParams:
    """The common query parameters of the AI-code tracking endpoints."""

    start_date: str | None = None
    end_date: str | None = None
    user_id: str | None = None
    user_email: str | None = None
    page: str | None = None
    page_size: str | None = None

    def filters(self, store: Store, org: Organization) -> Filters:
        """Exact-instant filters for the detail lists; userId wins over userEmail."""
        span = time_range(
            _text(self.start_date), _text(self.end_date), fields=("startDate", "endDate")
        )
        user_id = _text(self.user_id)
        ref = check_uuid(user_id, "userId") if user_id else _text(self.user_email)
        return Filters(
            org_num=org.num,
            since=span.since,
            until=span.until,
            user_nums=user_nums(store, org, ref),
        )

    def paging(self) -> tuple[int, int]:
        """(page, pageSize)."""
        return (
            parse_int(self.page, "page", default=1, maximum=INT32_MAX),
            parse_int(self.page_size, "pageSize", default=PAGE_SIZE, maximum=MAX_PAGE_SIZE),
        )


def tracking_params(
    start_date: Annotated[
        str | None,
        Query(alias="startDate", description="Start; default 90 days before the end."),
    ] = None,
    end_date: Annotated[str | None, Query(alias="endDate", description="End; default now.")] = None,
    user_id: Annotated[str | None, Query(alias="userId", description="User UUID.")] = None,
    user_email: Annotated[
        str | None, Query(alias="userEmail", description="User email (userId wins).")
    ] = None,
    page: Annotated[str | None, Query(description="Page, from 1.")] = None,
    page_size: Annotated[
        str | None, Query(alias="pageSize", description="Rows per page, 100, at most 200.")
    ] = None,
) -> TrackingParams:
    """The common AI-code tracking parameters, as given."""
    return TrackingParams(start_date, end_date, user_id, user_email, page, page_size)


Tracking = Annotated[TrackingParams, Depends(tracking_params)]
