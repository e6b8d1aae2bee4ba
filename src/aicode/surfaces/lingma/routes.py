"""``developerUsage`` and ``departmentUsage`` over ``aicode.metrics.usage``.

Parameters arrive as plain strings and are checked here, so that a bad page or date answers
in Yunxiao's error shape with a message naming the parameter, not in FastAPI's. Every answer
carries a fresh ``x-request-id``; failures are rendered by ``LINGMA`` (see api/errors.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Header, Path, Query

from aicode.api.deps import StoreDep
from aicode.api.render import JSON
from aicode.metrics import DayUsage, Filters, Page, scope_day_usage, user_day_usage
from aicode.surfaces.lingma.errors import (
    LINGMA,
    REQUEST_ID_HEADER,
    bad_request,
    new_request_id,
)
from aicode.surfaces.lingma.params import (
    TOKEN_HEADER,
    day_range,
    department_path,
    developer_filters,
    organization,
    paging,
)
from aicode.surfaces.lingma.render import department_day, developer_day, page_headers

router = LINGMA.router(prefix="/oapi/v1/lingma/organizations/{organizationId}", tags=["lingma"])

OrganizationId = Annotated[str, Path(alias="organizationId", description="Organization id.")]
Token = Annotated[
    str | None, Header(alias=TOKEN_HEADER, description="A read token of the organization.")
]
StartTime = Annotated[
    str | None, Query(alias="startTime", description="First UTC day, YYYY-MM-DD (required).")
]
EndTime = Annotated[
    str | None, Query(alias="endTime", description="Last UTC day, inclusive (required).")
]
PageNumber = Annotated[str | None, Query(alias="page", description="Page, from 1 (default 1).")]
PerPage = Annotated[
    str | None, Query(alias="perPage", description="Items per page, 1..1000 (default 100).")
]


def _answer(items: list[dict[str, Any]], page: Page[Any]) -> JSON:
    """A page of items with Yunxiao's pagination headers and a fresh request id."""
    headers = page_headers(page) | {REQUEST_ID_HEADER: new_request_id()}
    return JSON(items, headers=headers)


@router.get("/developerUsage", summary="Per-developer, per-day Lingma usage")
def developer_usage(
    store: StoreDep,
    organization_id: OrganizationId,
    token: Token = None,
    start_time: StartTime = None,
    end_time: EndTime = None,
    user_id: Annotated[
        str | None, Query(alias="userId", description="One person; wins over departmentId.")
    ] = None,
    department_id: Annotated[
        str | None,
        Query(alias="departmentId", description="A department with its sub-departments."),
    ] = None,
    page: PageNumber = None,
    per_page: PerPage = None,
) -> JSON:
    """One item per person per UTC day with any assistant use, by date then userId."""
    org = organization(store, organization_id, token)
    days = day_range(start_time, end_time)
    number, size = paging(page, per_page)
    filters = developer_filters(store, org, days, user_id, department_id)
    result = user_day_usage(store, filters, page=number, per_page=size)
    return _answer([developer_day(u) for u in result.items], result)


@router.get("/departmentUsage", summary="Per-department, per-day Lingma usage")
def department_usage(
    store: StoreDep,
    organization_id: OrganizationId,
    token: Token = None,
    department_id: Annotated[
        str | None,
        Query(alias="departmentId", description="The department (required); with its subtree."),
    ] = None,
    start_time: StartTime = None,
    end_time: EndTime = None,
    page: PageNumber = None,
    per_page: PerPage = None,
) -> JSON:
    """One item per UTC day of the range, quiet days included, oldest first."""
    org = organization(store, organization_id, token)
    if not department_id:
        raise bad_request("departmentId is required")
    first, last = day_range(start_time, end_time)
    number, size = paging(page, per_page)
    path = department_path(store, org, department_id)
    # The days themselves are the list being paged: only this page's days are computed.
    total = (last - first).days + 1
    offset = (number - 1) * size
    items: list[DayUsage] = []
    if offset < total:
        page_first = first + dt.timedelta(days=offset)
        page_last = first + dt.timedelta(days=min(total, offset + size) - 1)
        filters = Filters.for_days(org.num, page_first, page_last, department_num_path=path)
        items = scope_day_usage(store, filters)
    result = Page(items=items, total=total, page=number, per_page=size)
    return _answer([department_day(department_id, u) for u in result.items], result)


# Last, so that every route above is tried first: other paths under the prefix answer 404.
LINGMA.fallback(router)
