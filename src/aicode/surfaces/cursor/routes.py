"""The four endpoints of Cursor's AI Code Tracking API, over ``aicode.metrics`` detail lists."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from aicode import metrics
from aicode.api.deps import AuthorizationHeader, StoreDep
from aicode.api.render import JSON, stream_csv
from aicode.errors import TooManyRequests
from aicode.model.tenancy import Organization
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.cursor.auth import team
from aicode.surfaces.cursor.changes import CHANGE_CSV_HEADER, change_csv_row, change_item
from aicode.surfaces.cursor.commits import COMMIT_CSV_HEADER, commit_csv_row, commit_item
from aicode.surfaces.cursor.errors import CURSOR
from aicode.surfaces.cursor.limits import RateLimiter
from aicode.surfaces.cursor.params import Clock, Selection, parse_query, utc_now

# Rows read from the store per CSV page: the export holds one page in memory at a time.
CSV_PAGE_ROWS = 10_000


@dataclasses.dataclass
class CursorState:
    """What the surface keeps per app: the rate limiter and the clock that defines "now"."""

    limiter: RateLimiter
    clock: Clock = utc_now

    @classmethod
    def for_settings(cls, settings: Settings) -> CursorState:
        """The state an app built with these settings starts with."""
        return cls(RateLimiter(settings.cursor_rate_limit))


router = CURSOR.router(prefix="/analytics/ai-code", tags=["cursor"])


def _state(request: Request) -> CursorState:
    return request.app.state.cursor  # type: ignore[no-any-return]


def team_within_limit(endpoint: str) -> Callable[..., Organization]:
    """A dependency: the key's team, once it is under this endpoint's rate limit."""

    def dependency(
        request: Request, store: StoreDep, authorization: AuthorizationHeader = None
    ) -> Organization:
        org = team(store, authorization)
        wait = _state(request).limiter.acquire((org.num, endpoint))
        if wait > 0:
            raise TooManyRequests("Rate limit exceeded. Please try again later.", retry_after=wait)
        return org

    return dependency


@dataclasses.dataclass(frozen=True)
class RawParams:
    """The query string as given; validated by ``parse_query``."""

    start_date: str | None
    end_date: str | None
    page: str | None
    page_size: str | None
    user: str | None


def raw_params(
    start_date: Annotated[
        str | None,
        Query(
            alias="startDate",
            description='ISO date or date-time, "now", or relative days like "7d". '
            "Default: now - 7 days.",
        ),
    ] = None,
    end_date: Annotated[
        str | None,
        Query(
            alias="endDate",
            description='ISO date (its whole day) or date-time, "now", or "0d". Default: now.',
        ),
    ] = None,
    page: Annotated[str | None, Query(description="Page number, from 1.")] = None,
    page_size: Annotated[
        str | None, Query(alias="pageSize", description="Results per page: 100, at most 1000.")
    ] = None,
    user: Annotated[
        str | None, Query(description="Email, encoded id (user_...) or numeric id.")
    ] = None,
) -> RawParams:
    """The shared query parameters, taken as text so that errors are reported in Cursor's shape."""
    return RawParams(start_date, end_date, page, page_size, user)


Params = Annotated[RawParams, Depends(raw_params)]


def _query(request: Request, store: Store, org: Organization, raw: RawParams) -> Selection:
    return parse_query(
        store,
        org,
        _state(request).clock(),
        start_date=raw.start_date,
        end_date=raw.end_date,
        page=raw.page,
        page_size=raw.page_size,
        user=raw.user,
    )


def _envelope(items: list[dict[str, Any]], total: int, query: Selection) -> JSON:
    return JSON(
        {"items": items, "totalCount": total, "page": query.page, "pageSize": query.page_size}
    )


@router.get("/commits", summary="AI commit metrics (JSON, paginated)")
def commits(
    request: Request,
    store: StoreDep,
    org: Annotated[Organization, Depends(team_within_limit("commits"))],
    params: Params,
) -> Response:
    """Commits newest first, their lines split into TAB, COMPOSER and non-AI."""
    query = _query(request, store, org, params)
    page = metrics.list_commits(store, query.filters, page=query.page, per_page=query.page_size)
    return _envelope([commit_item(c) for c in page.items], page.total, query)


@router.get("/commits.csv", summary="AI commit metrics (CSV, streamed)")
def commits_csv(
    request: Request,
    store: StoreDep,
    org: Annotated[Organization, Depends(team_within_limit("commits.csv"))],
    params: Params,
) -> Response:
    """Every commit of the range as CSV, read from the store 10,000 rows at a time."""
    query = _query(request, store, org, params)
    pages: Iterator[list[list[Any]]] = (
        [commit_csv_row(c) for c in batch]
        for batch in metrics.iter_commits(store, query.filters, batch=CSV_PAGE_ROWS)
    )
    return stream_csv(COMMIT_CSV_HEADER, filename="commits.csv", pages=pages)


def _accepted(query: Selection) -> metrics.Filters:
    # Cursor lists accepted AI changes only: suggestions a developer turned down never count.
    return dataclasses.replace(query.filters, accepted_only=True)


@router.get("/changes", summary="AI code change metrics (JSON, paginated)")
def changes(
    request: Request,
    store: StoreDep,
    org: Annotated[Organization, Depends(team_within_limit("changes"))],
    params: Params,
) -> Response:
    """Accepted AI changes newest first, as TAB or COMPOSER, with their files."""
    query = _query(request, store, org, params)
    page = metrics.list_changes(store, _accepted(query), page=query.page, per_page=query.page_size)
    return _envelope([change_item(c) for c in page.items], page.total, query)


@router.get("/changes.csv", summary="AI code change metrics (CSV, streamed)")
def changes_csv(
    request: Request,
    store: StoreDep,
    org: Annotated[Organization, Depends(team_within_limit("changes.csv"))],
    params: Params,
) -> Response:
    """Every accepted AI change of the range as CSV, file metadata as a JSON string."""
    query = _query(request, store, org, params)
    pages: Iterator[list[list[Any]]] = (
        [change_csv_row(c) for c in batch]
        for batch in metrics.iter_changes(store, _accepted(query), batch=CSV_PAGE_ROWS)
    )
    return stream_csv(CHANGE_CSV_HEADER, filename="changes.csv", pages=pages)


# Last, so that every route above is tried first: other paths under the prefix answer 404.
CURSOR.fallback(router)
