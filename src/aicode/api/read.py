"""The native read API: the metrics layer over HTTP, JSON or CSV, for a ``read`` token."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from aicode import metrics
from aicode.api.deps import ReadOrg, StoreDep
from aicode.api.params import CommonParams
from aicode.api.render import JSON, check_format, stream_csv, table_response
from aicode.errors import NotFound
from aicode.metrics import Filters, LinePair
from aicode.model.attribution import ATTRIBUTION_PAIRS
from aicode.store.base import Store

router = APIRouter(prefix="/api/v1/organizations/{organization_id}", tags=["read"])


def common(
    start: Annotated[str | None, Query(description="First day, YYYY-MM-DD (UTC).")] = None,
    end: Annotated[str | None, Query(description="Last day, inclusive; default today.")] = None,
    user: Annotated[str | None, Query(description="Email, id or alias of a person.")] = None,
    department: Annotated[
        str | None, Query(description="Department id (with its sub-departments).")
    ] = None,
    group: Annotated[str | None, Query(description="Group name.")] = None,
    repo: Annotated[str | None, Query(description="Repository name.")] = None,
    primary_branch_only: Annotated[
        bool, Query(alias="primaryBranchOnly", description="Only primary-branch commits.")
    ] = False,
    file_extensions: Annotated[
        str | None, Query(alias="fileExtensions", description="Comma list, e.g. py,.go")
    ] = None,
    source: Annotated[str | None, Query(description="Comma list of AI sources.")] = None,
) -> CommonParams:
    """The shared filter parameters."""
    return CommonParams(
        start, end, user, department, group, repo, primary_branch_only, file_extensions, source
    )


Common = Annotated[CommonParams, Depends(common)]
Format = Annotated[str, Query(alias="format", description="json or csv")]


_CAMEL_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _camel_fields(kind: type) -> tuple[tuple[str, str], ...]:
    names = _CAMEL_FIELDS.get(kind)
    if names is None:
        names = _CAMEL_FIELDS[kind] = tuple(
            (f.name, "".join(w.capitalize() if i else w for i, w in enumerate(f.name.split("_"))))
            for f in dataclasses.fields(kind)
        )
    return names


def _camel(record: Any) -> dict[str, Any]:
    """A dataclass as a dict with camelCase keys (nested dataclasses too)."""
    # Not dataclasses.asdict: it deep-copies every value, and a usage page renders a thousand
    # breakdowns (a quarter of its time at 10,000 developers).
    out: dict[str, Any] = {}
    for name, key in _camel_fields(type(record)):
        value = getattr(record, name)
        out[key] = _camel(value) if dataclasses.is_dataclass(value) else value
    return out


def _pair(lines: LinePair) -> dict[str, int]:
    return {"added": lines.added, "deleted": lines.deleted}


def _range(filters: Filters) -> dict[str, Any]:
    return {"start": filters.start, "end": filters.end}


def _overview_body(store: Store, filters: Filters) -> dict[str, Any]:
    result = metrics.overview(store, filters)
    commits = result.commits
    return {
        "range": _range(filters),
        "activeDevelopers": result.active_developers,
        "committed": {
            "commits": commits.commits,
            "linesAdded": commits.lines.added,
            "linesDeleted": commits.lines.deleted,
            "aiLinesAdded": commits.ai.added,
            "aiLinesDeleted": commits.ai.deleted,
            "nonAiLinesAdded": commits.non_ai.added,
            "nonAiLinesDeleted": commits.non_ai.deleted,
            "aiShareRate": commits.ai_share_rate,
            "bySource": {p: _pair(commits.by_pair[p]) for p in ATTRIBUTION_PAIRS},
        },
        "completions": {
            "suggested": result.completions.suggested,
            "accepted": result.completions.accepted,
            "linesSuggested": result.completions.lines_suggested,
            "linesAccepted": result.completions.lines_accepted,
            "acceptanceRate": result.completions.acceptance_rate,
        },
        "chats": {"turns": result.chats.turns, "accepted": result.chats.accepted},
        "changes": {
            "changes": result.changes.changes,
            "accepted": result.changes.accepted_changes,
            "acceptedLinesAdded": result.changes.accepted_lines_added,
            "acceptedLinesDeleted": result.changes.accepted_lines_deleted,
            "agentEdits": result.agent_changes.changes,
        },
    }


@router.get("/overview", summary="Headline numbers")
def overview(
    org: ReadOrg,
    store: StoreDep,
    params: Common,
    compare: Annotated[bool, Query(description="Add the previous period.")] = False,
) -> dict[str, Any]:
    """AI share of committed code, usage and active developers, optionally vs the period before."""
    filters = params.filters(store, org)
    body = _overview_body(store, filters)
    previous = filters.previous_period() if compare else None
    if previous is not None:
        body["previous"] = _overview_body(store, previous)
    return body


@router.get("/daily", summary="Per-day trend")
def daily(org: ReadOrg, store: StoreDep, params: Common, fmt: Format = "json") -> Response:
    """One row per day: active developers, committed and AI lines, completions, chats, edits."""
    check_format(fmt)
    filters = params.filters(store, org)
    commits = {d.day: d for d in metrics.daily_commit_trend(store, filters)}
    rows = []
    for day in metrics.daily_activity(store, filters):
        trend = commits.get(day.day)
        rows.append(
            {
                "date": day.day.isoformat(),
                "activeDevelopers": day.active_developers,
                "commits": trend.commits if trend else 0,
                "linesAdded": trend.lines.added if trend else 0,
                "aiLinesAdded": trend.ai.added if trend else 0,
                "aiShareRate": trend.ai_share_rate if trend else 0.0,
                "completionsSuggested": day.completions.suggested,
                "completionsAccepted": day.completions.accepted,
                "acceptanceRate": day.completions.acceptance_rate,
                "chatTurns": day.chats.turns,
                "aiChanges": day.changes.changes,
            }
        )
    return table_response(fmt, rows, filename="daily.csv", envelope={"range": _range(filters)})


@router.get("/users", summary="Members ranked by AI lines")
def users(
    org: ReadOrg,
    store: StoreDep,
    params: Common,
    fmt: Format = "json",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> Response:
    """People ranked by AI-added committed lines."""
    check_format(fmt)
    filters = params.filters(store, org)
    rows = [
        {
            "userId": m.user_id,
            "encodedId": m.encoded_id,
            "email": m.email,
            "displayName": m.display_name,
            "commits": m.commits,
            "linesAdded": m.lines.added,
            "aiLinesAdded": m.ai.added,
            "aiShareRate": m.ai_share_rate,
        }
        for m in metrics.member_ranking(store, filters, limit=limit)
    ]
    return table_response(fmt, rows, filename="users.csv", envelope={"range": _range(filters)})


@router.get("/departments", summary="Departments with their totals")
def departments(org: ReadOrg, store: StoreDep, params: Common, fmt: Format = "json") -> Response:
    """Every department with the totals of its people (sub-departments included)."""
    check_format(fmt)
    base = dataclasses.replace(params.filters(store, org), department_num_path=None)
    totals = metrics.department_totals(store, base)
    rows = []
    for department in store.list_departments(org):
        found = totals.get(department.id, metrics.DepartmentTotals())
        rows.append(
            {
                "departmentId": department.id,
                "name": department.name,
                "path": department.path,
                "parentId": department.parent_id,
                "activeDevelopers": found.active_developers,
                "commits": found.commits,
                "linesAdded": found.lines.added,
                "aiLinesAdded": found.ai.added,
                "aiShareRate": found.ai_share_rate,
                "acceptanceRate": found.acceptance_rate,
            }
        )
    return table_response(fmt, rows, filename="departments.csv", envelope={"range": _range(base)})


@router.get("/repos", summary="Repositories")
def repos(
    org: ReadOrg,
    store: StoreDep,
    params: Common,
    fmt: Format = "json",
    query: Annotated[str | None, Query(description="Substring of the name.")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=1000)] = 100,
) -> Response:
    """Repositories with commits in the range, by name."""
    check_format(fmt)
    filters = params.filters(store, org)
    result = metrics.repositories(store, filters, search=query, page=page, per_page=per_page)
    rows = [
        {
            "repo": r.repo,
            "commits": r.commits,
            "linesAdded": r.lines.added,
            "linesDeleted": r.lines.deleted,
            "aiLinesAdded": r.ai.added,
            "aiShareRate": r.ai_share_rate,
        }
        for r in result.items
    ]
    return table_response(
        fmt,
        rows,
        filename="repos.csv",
        envelope={"total": result.total, "page": page, "perPage": per_page},
    )


@router.get("/extensions", summary="File extensions")
def extensions(org: ReadOrg, store: StoreDep, params: Common, fmt: Format = "json") -> Response:
    """Committed lines and AI share per file extension."""
    check_format(fmt)
    rows = [
        {
            "extension": e.extension,
            "fileChanges": e.file_changes,
            "linesAdded": e.lines.added,
            "aiLinesAdded": e.ai.added,
            "aiShareRate": e.ai_share_rate,
        }
        for e in metrics.file_extensions(store, params.filters(store, org))
    ]
    return table_response(fmt, rows, filename="extensions.csv")


COMMIT_COLUMNS = [
    "commitHash",
    "repo",
    "branch",
    "isPrimaryBranch",
    "userId",
    "email",
    "linesAdded",
    "linesDeleted",
    "aiLinesAdded",
    "aiLinesDeleted",
    "aiShareRate",
    "message",
    "commitTs",
]


def _commit_row(c: metrics.CommitRecord) -> dict[str, Any]:
    return {
        "commitHash": c.commit_hash,
        "repo": c.repo,
        "branch": c.branch,
        "isPrimaryBranch": c.is_primary_branch,
        "userId": c.author.user_id,
        "email": c.author.email,
        "linesAdded": c.lines.added,
        "linesDeleted": c.lines.deleted,
        "aiLinesAdded": c.ai.added,
        "aiLinesDeleted": c.ai.deleted,
        "aiShareRate": metrics.percent(c.ai.added, c.lines.added),
        "message": c.message,
        "commitTs": c.commit_ts.isoformat() + "Z",
    }


@router.get("/commits", summary="Commits")
def commits(
    org: ReadOrg,
    store: StoreDep,
    params: Common,
    fmt: Format = "json",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=1000)] = 100,
) -> Response:
    """Commits newest first; ``format=csv`` streams every commit of the scope."""
    check_format(fmt)
    filters = params.filters(store, org)
    if fmt == "csv":
        pages = (
            [[row[c] for c in COMMIT_COLUMNS] for row in map(_commit_row, batch)]
            for batch in metrics.iter_commits(store, filters)
        )
        return stream_csv(COMMIT_COLUMNS, filename="commits.csv", pages=pages)
    result = metrics.list_commits(store, filters, page=page, per_page=per_page)
    return JSON(
        {
            "total": result.total,
            "page": page,
            "perPage": per_page,
            "items": [_commit_row(c) for c in result.items],
        }
    )


@router.get("/commits/{commit_hash}", summary="One commit with its AI line ranges")
def commit(
    org: ReadOrg, store: StoreDep, commit_hash: str, repo: Annotated[str | None, Query()] = None
) -> dict[str, Any]:
    """A commit's attribution by source and its AI line ranges per file."""
    found = metrics.find_commits(store, org.num, commit_hash, repo=repo)
    if not found:
        raise NotFound(f"commit {commit_hash!r} not found", field="commit_hash")
    record = found[0]
    annotations = metrics.commit_annotations(store, org.num, [commit_hash])
    return {
        **_commit_row(record),
        "bySource": {p: _pair(record.by_pair[p]) for p in ATTRIBUTION_PAIRS},
        "rangeAnnotations": annotations[commit_hash.lower()],
        "attributionOrigin": record.attribution_origin,
        "replacedBy": record.replaced_by,
    }


@router.get("/usage", summary="Per-person-per-day usage")
def usage(
    org: ReadOrg,
    store: StoreDep,
    params: Common,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """One entry per person and active day with completion, chat and coding breakdowns."""
    result = metrics.user_day_usage(store, params.filters(store, org), page=page, per_page=per_page)
    return {
        "total": result.total,
        "page": page,
        "perPage": per_page,
        "items": [
            {
                "date": u.day.isoformat(),
                "userId": u.user_id,
                "completions": [_camel(c) for c in u.completions],
                "chats": [_camel(c) for c in u.chats],
                "coding": [_camel(c) for c in u.coding],
                "lastActive": u.last_active.isoformat() + "Z" if u.last_active else None,
            }
            for u in result.items
        ],
    }
