"""Parsing the native API's shared query parameters into metric Filters."""

from __future__ import annotations

import dataclasses
import datetime as dt

from aicode.errors import InvalidInput, NotFound
from aicode.metrics import Filters
from aicode.metrics.filters import department_num_path
from aicode.model.attribution import canonical_source
from aicode.model.tenancy import Organization
from aicode.store.base import Store

DEFAULT_DAYS = 30
MAX_DAYS = 366


def parse_day(value: str, field: str) -> dt.date:
    """A YYYY-MM-DD date, or a 400 naming the field."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            f"{field} must be a date as YYYY-MM-DD, got {value!r}", field=field
        ) from exc


def today() -> dt.date:
    """The current UTC day."""
    return dt.datetime.now(dt.UTC).date()


def day_range(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """Inclusive day range; defaults to the last 30 days ending today (UTC)."""
    last = parse_day(end, "end") if end else today()
    first = parse_day(start, "start") if start else last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise InvalidInput("end must not be before start", field="end")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"the range may span at most {MAX_DAYS} days", field="start")
    return first, last


def split_list(value: str | None) -> list[str]:
    """A comma-separated parameter as a list of non-empty items."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@dataclasses.dataclass(frozen=True)
class CommonParams:
    """The native API's shared filters, as given."""

    start: str | None = None
    end: str | None = None
    user: str | None = None
    department: str | None = None
    group: str | None = None
    repo: str | None = None
    primary_branch_only: bool = False
    file_extensions: str | None = None
    source: str | None = None

    def filters(self, store: Store, org: Organization) -> Filters:
        """Resolve to metric filters (404 for an unknown user or department)."""
        first, last = day_range(self.start, self.end)
        user_nums = None
        if self.user:
            user = store.find_user(org, self.user)
            if user is None:
                raise NotFound(f"user {self.user!r} not found", field="user")
            user_nums = (user.num,)
        sources = None
        if self.source:
            names = split_list(self.source)
            canonical = [canonical_source(s) for s in names]
            unknown = [n for n, c in zip(names, canonical, strict=True) if c is None]
            if unknown:
                raise InvalidInput(f"unknown source {unknown[0]!r}", field="source")
            sources = tuple(sorted({c for c in canonical if c}))
        return Filters(
            org_num=org.num,
            start=first,
            end=last,
            user_nums=user_nums,
            department_num_path=self._department(store, org),
            group_name=self.group or None,
            repo=self.repo or None,
            primary_branch_only=self.primary_branch_only,
            sources=sources,
        ).with_extensions(split_list(self.file_extensions))

    def _department(self, store: Store, org: Organization) -> str | None:
        if not self.department:
            return None
        path = department_num_path(store, org.num, self.department)
        if path is None:
            raise NotFound(f"department {self.department!r} not found", field="department")
        return path
