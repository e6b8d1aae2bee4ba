"""The dashboard's pages: one route per view, HTML by default, a table's CSV on request."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from aicode import metrics
from aicode.api.deps import StoreDep
from aicode.api.errors import ErrorShape
from aicode.api.params import today
from aicode.errors import InvalidInput, RequestError, Unauthenticated
from aicode.model.attribution import SOURCES
from aicode.web.auth import SignedInOrg, sign_in_url
from aicode.web.blocks import PageView
from aicode.web.context import Context
from aicode.web.params import View
from aicode.web.render import PAGE_HEADERS, page_response
from aicode.web.views import breakdowns, overview
from aicode.web.views import commits as commit_views

SOURCE_LABELS = {
    "TAB": "Tab completion",
    "AGENT": "Agent",
    "QUEST": "Quest",
    "INLINECHAT": "Inline chat",
}
assert set(SOURCE_LABELS) == set(SOURCES)
REPO_CHOICES = 500
QUICK_RANGES = (7, 30, 90)


@dataclasses.dataclass(frozen=True)
class Section:
    """A page of the navigation."""

    slug: str
    title: str
    build: Callable[[Context], PageView]


SECTIONS = (
    Section("", "Overview", overview.overview),
    Section("departments", "Departments", breakdowns.departments),
    Section("members", "Members", breakdowns.members),
    Section("repositories", "Repositories", breakdowns.repositories),
    Section("languages", "Languages", breakdowns.languages),
    Section("models", "Models", breakdowns.models),
    Section("commits", "Commits", commit_views.commits),
)


def error_page(request: Request, exc: RequestError) -> Response:
    """A request error as the dashboard answers it: sign-in for 401, a page otherwise."""
    if isinstance(exc, Unauthenticated):
        return RedirectResponse(sign_in_url(request), status_code=303)
    titles = {
        400: "Bad request",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        500: "Server error",
    }
    return page_response(
        "error.html", exc.status, title=titles.get(exc.status, "Error"), message=exc.message
    )


DASHBOARD = ErrorShape("The dashboard", error_page)
router = DASHBOARD.router(include_in_schema=False)


def context(request: Request, store: StoreDep, org: SignedInOrg) -> Context:
    """The signed-in request's organization and filters, resolved as the API resolves them."""
    view = View.from_query(request.query_params)
    return Context(store, org, view, view.filters(store, org), request.query_params)


Ctx = Annotated[Context, Depends(context)]


def _choices(ctx: Context) -> dict[str, Any]:
    """Options of the filter bar."""
    departments = sorted(ctx.store.list_departments(ctx.org), key=lambda d: d.path.split("/"))
    unscoped = dataclasses.replace(ctx.filters, repo=None)
    repos = [r.repo for r in metrics.repositories(ctx.store, unscoped, per_page=REPO_CHOICES).items]
    if ctx.view.repo and ctx.view.repo not in repos:
        repos.insert(0, ctx.view.repo)
    end = today()
    return {
        "departments": departments,
        "repos": repos,
        "sources": SOURCE_LABELS,
        "quick": [
            (
                f"{days} days",
                ctx.filtered(start=str(end - dt.timedelta(days=days - 1)), end=str(end)),
            )
            for days in QUICK_RANGES
        ],
    }


def respond(
    request: Request, ctx: Context, section: str, page: PageView, template: str
) -> Response:
    """The page as HTML, or one of its tables as CSV (``?format=csv&table=...``)."""
    fmt = request.query_params.get("format") or "html"
    if fmt == "csv":
        table = page.table(request.query_params.get("table"))
        response = table.csv(f"{section or 'overview'}-{table.key}.csv")
        response.headers.update(PAGE_HEADERS)
        return response
    if fmt != "html":
        raise InvalidInput(f"format must be html or csv, got {fmt!r}", field="format")
    return page_response(
        template,
        ctx=ctx,
        page=page,
        section=section,
        sections=SECTIONS,
        choices=_choices(ctx),
        path=request.url.path,
        server=str(request.base_url).rstrip("/"),
    )


def _register(section: Section) -> None:
    def show(request: Request, ctx: Ctx) -> Response:
        return respond(request, ctx, section.slug, section.build(ctx), "page.html")

    path = "/orgs/{organization_id}" + (f"/{section.slug}" if section.slug else "")
    router.add_api_route(
        path, show, methods=["GET"], name=f"dashboard-{section.slug or 'overview'}"
    )


for _section in SECTIONS:
    _register(_section)


@router.get("/orgs/{organization_id}/commits/{commit_hash}", name="dashboard-commit")
def commit_page(request: Request, ctx: Ctx, commit_hash: str) -> Response:
    """One commit with its files and AI line ranges."""
    return respond(request, ctx, "commits", commit_views.commit(ctx, commit_hash), "commit.html")


# Last, so that every page above is tried first: other paths of an organization answer 404.
DASHBOARD.fallback(router, ("/orgs/{organization_id}/{rest:path}",))
