"""Breakdowns: departments (as a tree), members, repositories, file extensions, models."""

from __future__ import annotations

import dataclasses
from typing import Any

from aicode import metrics
from aicode.metrics import Page
from aicode.web.blocks import Chart, Column, Pager, PageView, Row, Search, Series, Table
from aicode.web.context import Context
from aicode.web.params import parse_page, parse_search

MEMBERS_LIMIT = 100
REPOS_PER_PAGE = 100
TOP = 15
UNKNOWN_MODEL = "(not reported)"


def pager(ctx: Context, name: str, result: Page[Any], search: str | None) -> Pager:
    """Position and neighbour links of a paginated list, keeping filters and search."""
    pages = max(1, result.total_pages)

    def link(number: int) -> str | None:
        return ctx.link(name, query=search, page=number) if 1 <= number <= pages else None

    return Pager(result.page, pages, result.total, link(result.page - 1), link(result.page + 1))


def _ai_vs_human(key: str, title: str, labels: list[str], ai: list[int], total: list[int]) -> Chart:
    return Chart(
        key,
        title,
        "bar",
        labels,
        [
            Series("AI", ai, "ai"),
            Series("Human", [max(0, t - a) for a, t in zip(ai, total, strict=True)], "human"),
        ],
        stacked=True,
        horizontal=True,
    )


def departments(ctx: Context) -> PageView:
    """Every department with its own totals (sub-departments included), as a tree."""
    base = dataclasses.replace(ctx.filters, department_num_path=None)
    totals = metrics.department_totals(ctx.store, base)
    tree = sorted(ctx.store.list_departments(ctx.org), key=lambda d: d.path.split("/"))
    if ctx.view.department:
        chosen = next((d for d in tree if d.id == ctx.view.department), None)
        tree = [
            d
            for d in tree
            if chosen and (d.path == chosen.path or d.path.startswith(chosen.path + "/"))
        ]
    rows = []
    for department in tree:
        found = totals.get(department.id, metrics.DepartmentTotals())
        rows.append(
            Row(
                [
                    department.name,
                    department.path,
                    found.active_developers,
                    found.commits,
                    found.lines.added,
                    found.ai.added,
                    found.ai_share_rate,
                    found.acceptance_rate,
                ],
                links={0: ctx.filtered(department=department.id)},
                depth=department.path.count("/"),
            )
        )
    page = PageView(
        "Departments",
        intro="Each department counts its own people and everyone in its sub-departments.",
    )
    if not rows:
        page.notice = ctx.empty_notice()
        return page
    page.charts = [
        Chart(
            "department-share",
            "AI share of committed code by department (%)",
            "bar",
            [r.cells[1] for r in rows],
            [Series("AI share %", [r.cells[6] for r in rows], "ai")],
            percent=True,
            horizontal=True,
        )
    ]
    page.tables = [
        Table(
            "departments",
            "Departments",
            [
                Column("Department", "text"),
                Column("Path", "text"),
                Column("Active developers"),
                Column("Commits"),
                Column("Lines added"),
                Column("AI lines added"),
                Column("AI share %", "percent"),
                Column("Acceptance %", "percent"),
            ],
            rows,
        )
    ]
    return page


def members(ctx: Context) -> PageView:
    """People ranked by AI lines committed."""
    ranking = metrics.member_ranking(ctx.store, ctx.filters, limit=MEMBERS_LIMIT)
    page = PageView("Members", intro=f"The top {MEMBERS_LIMIT} people by AI lines committed.")
    if not ranking:
        page.notice = ctx.empty_notice()
        return page
    top = ranking[:TOP]
    page.charts = [
        _ai_vs_human(
            "member-lines",
            f"Committed lines added, top {len(top)} people",
            [m.display_name or m.email or m.user_id for m in top],
            [m.ai.added for m in top],
            [m.lines.added for m in top],
        )
    ]
    page.tables = [
        Table(
            "members",
            "Members ranking",
            [
                Column("Rank"),
                Column("Name", "text"),
                Column("Email", "text"),
                Column("Commits"),
                Column("Lines added"),
                Column("AI lines added"),
                Column("AI share of added lines %", "percent"),
            ],
            [
                Row(
                    [
                        rank,
                        m.display_name or "",
                        m.email or "",
                        m.commits,
                        m.lines.added,
                        m.ai.added,
                        m.ai_share_rate,
                    ],
                    links={1: ctx.filtered("commits", user=m.user_id)},
                )
                for rank, m in enumerate(ranking, start=1)
            ],
        )
    ]
    return page


def repositories(ctx: Context) -> PageView:
    """Repositories with commits in the range, by name, a page at a time."""
    page_number = parse_page(ctx.query.get("page"))
    search = parse_search(ctx.query.get("query"), "query")
    result = metrics.repositories(
        ctx.store, ctx.filters, search=search, page=page_number, per_page=REPOS_PER_PAGE
    )
    page = PageView(
        "Repositories",
        search=Search(search or "", "Repository name contains"),
        pager=pager(ctx, "repositories", result, search),
    )
    if not result.items and page_number == 1 and not search:
        page.notice = ctx.empty_notice()
        return page
    top = sorted(result.items, key=lambda r: (-r.lines.added, r.repo))[:TOP]
    page.charts = [
        _ai_vs_human(
            "repo-lines",
            f"Committed lines added, {len(top)} largest repositories of this page",
            [r.repo for r in top],
            [r.ai.added for r in top],
            [r.lines.added for r in top],
        )
    ]
    table = Table(
        "repos",
        "Repositories",
        [
            Column("Repository", "text"),
            Column("Commits"),
            Column("Lines added"),
            Column("Lines deleted"),
            Column("AI lines added"),
            Column("AI share of added lines %", "percent"),
        ],
        [
            Row(
                [r.repo, r.commits, r.lines.added, r.lines.deleted, r.ai.added, r.ai_share_rate],
                links={0: ctx.filtered(repo=r.repo)},
            )
            for r in result.items
        ],
        empty="No repository matches.",
    )
    page.tables = [table]
    return page


def languages(ctx: Context) -> PageView:
    """Committed lines and AI share per file extension."""
    found = metrics.file_extensions(ctx.store, ctx.filters)
    page = PageView("Languages", intro="Committed lines per file extension.")
    if not found:
        page.notice = ctx.empty_notice()
        return page
    top = found[:TOP]
    page.charts = [
        _ai_vs_human(
            "extension-lines",
            f"Committed lines added, top {len(top)} extensions",
            [e.extension for e in top],
            [e.ai.added for e in top],
            [e.lines.added for e in top],
        )
    ]
    page.tables = [
        Table(
            "extensions",
            "File extensions",
            [
                Column("Extension", "text"),
                Column("Files changed"),
                Column("Lines added"),
                Column("AI lines added"),
                Column("AI share of added lines %", "percent"),
            ],
            [
                Row([e.extension, e.file_changes, e.lines.added, e.ai.added, e.ai_share_rate])
                for e in found
            ],
        )
    ]
    return page


def models(ctx: Context) -> PageView:
    """Chat turns and AI edits per model."""
    found = metrics.usage_by_model(ctx.store, ctx.filters)
    page = PageView("Models", intro="Chat turns and AI edits by the model that answered.")
    if not found:
        page.notice = ctx.empty_notice()
        return page
    names = [m.model or UNKNOWN_MODEL for m in found]
    top = found[:TOP]
    page.charts = [
        Chart(
            "model-usage",
            f"Chat turns and AI edits, top {len(top)} models",
            "bar",
            names[:TOP],
            [
                Series("Chat turns", [m.chats.turns for m in top], "chats"),
                Series("AI edits", [m.changes.changes for m in top], "edits"),
            ],
            stacked=True,
            horizontal=True,
        )
    ]
    page.tables = [
        Table(
            "models",
            "Models",
            [
                Column("Model", "text"),
                Column("Active developers"),
                Column("Chat turns"),
                Column("Accepted chat turns"),
                Column("AI edits"),
                Column("Accepted edits"),
                Column("Accepted lines added"),
            ],
            [
                Row(
                    [
                        name,
                        m.active_developers,
                        m.chats.turns,
                        m.chats.accepted,
                        m.changes.changes,
                        m.changes.accepted_changes,
                        m.changes.accepted_lines_added,
                    ]
                )
                for name, m in zip(names, found, strict=True)
            ],
        )
    ]
    return page
