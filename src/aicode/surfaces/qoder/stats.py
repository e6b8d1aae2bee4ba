"""Qoder's AI-code metrics: overview, daily trend, member ranking, repositories, extensions.

Repository, branch and file-extension filters narrow committed code. Completions, chat
turns and AI-edit counts have no repository and are not split by file, so those filters
leave them alone; the user filter applies to everything.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import Query

from aicode import metrics
from aicode.api.deps import StoreDep
from aicode.metrics import Filters
from aicode.surfaces.qoder.errors import QODER
from aicode.surfaces.qoder.params import INT32_MAX, QoderOrg, Stats, parse_int
from aicode.surfaces.qoder.records import day_time

router = QODER.router()

RANKING_LIMIT = 10
MAX_RANKING_LIMIT = 10_000
REPOS_PER_PAGE = 30
MAX_REPOS_PER_PAGE = 100


def _events(filters: Filters) -> Filters:
    """The filters for assistant events, which have no repository, branch or file."""
    return dataclasses.replace(filters, repo=None, primary_branch_only=False, file_extensions=None)


@router.get("/ai-code/stats/overview", summary="AI-code overview")
def overview(org: QoderOrg, store: StoreDep, params: Stats) -> dict[str, Any]:
    """Committed lines and their AI share, accepted AI lines, agent edits, completions, chats."""
    filters = params.filters(store, org)
    events = _events(filters)
    commits = metrics.commit_totals(store, filters)
    changes = metrics.change_totals(store, filters)
    agent = metrics.change_totals(store, dataclasses.replace(events, sources=("AGENT",)))
    return {
        "committedTotalLinesEdit": commits.lines.edited,
        "committedAiLinesEdit": commits.ai.edited,
        "acceptedLinesEdit": changes.accepted_lines_edited,
        "aiShareRate": commits.ai_share_rate,
        "agentEditCount": agent.changes,
        "tabCompletionCount": metrics.completion_totals(store, events).accepted,
        "messageCount": metrics.chat_totals(store, events).turns,
    }


@router.get("/ai-code/stats/daily-trend", summary="AI-code daily trend")
def daily_trend(org: QoderOrg, store: StoreDep, params: Stats) -> dict[str, Any]:
    """Per day: AI share of added lines, lines per file extension, tab acceptance."""
    filters = params.filters(store, org)
    return {
        "items": [
            {
                "date": day_time(d.day),
                "aiLinesAdded": d.ai.added,
                "otherLinesAdded": d.other_lines_added,
                "aiShareRate": d.ai_share_rate,
                "commitCount": d.commits,
            }
            for d in metrics.daily_commit_trend(store, filters)
        ],
        "extItems": [
            {
                "date": day_time(e.day),
                "fileExtension": e.extension,
                "totalLinesAdded": e.lines_added,
                "aiLinesAdded": e.ai_lines_added,
            }
            for e in metrics.daily_extension_trend(store, filters)
        ],
        "nextItems": [
            {
                "date": day_time(a.day),
                "nextSuggestedCount": a.completions.suggested,
                "nextAcceptedCount": a.completions.accepted,
                "nextAcceptRate": a.completions.acceptance_rate,
            }
            for a in metrics.daily_activity(store, _events(filters))
            if a.completions.suggested or a.completions.accepted
        ],
    }


@router.get("/ai-code/stats/member-ranking", summary="Members ranked by AI lines")
def member_ranking(
    org: QoderOrg,
    store: StoreDep,
    params: Stats,
    limit: Annotated[str | None, Query(description="Most members returned, default 10.")] = None,
) -> dict[str, Any]:
    """People by AI-added committed lines, then added lines."""
    top = parse_int(limit, "limit", default=RANKING_LIMIT, maximum=MAX_RANKING_LIMIT)
    ranking = metrics.member_ranking(store, params.filters(store, org), limit=top)
    return {
        "items": [
            {
                "userId": m.user_id,
                "email": m.email or "",
                "displayName": m.display_name or "",
                "totalLinesAdded": m.lines.added,
                "aiLinesAdded": m.ai.added,
                "aiShareRate": m.ai_share_rate,
                "commitCount": m.commits,
            }
            for m in ranking
        ]
    }


@router.get("/ai-code/repos", summary="Repositories with AI code")
def repos(
    org: QoderOrg,
    store: StoreDep,
    params: Stats,
    query: Annotated[str | None, Query(description="Substring of the repository name.")] = None,
    page: Annotated[str | None, Query(description="Page, from 1.")] = None,
    per_page: Annotated[str | None, Query(description="Per page, 30, at most 100.")] = None,
) -> dict[str, Any]:
    """Repositories with AI-attributed committed lines in the range, by name."""
    number = parse_int(page, "page", default=1, maximum=INT32_MAX)
    size = parse_int(per_page, "per_page", default=REPOS_PER_PAGE, maximum=MAX_REPOS_PER_PAGE)
    result = metrics.repositories(
        store,
        params.filters(store, org, required=False),
        search=(query or "").strip() or None,
        page=number,
        per_page=size,
        ai_only=True,
    )
    return {
        "repos": [
            {"repoName": r.repo, "commitCount": r.commits, "totalLinesAdded": r.lines.added}
            for r in result.items
        ],
        "totalCount": result.total,
        "page": number,
        "perPage": size,
    }


@router.get("/ai-code/file-extensions", summary="File extensions with AI code")
def file_extensions(org: QoderOrg, store: StoreDep, params: Stats) -> dict[str, Any]:
    """File extensions with AI-attributed committed lines, most added lines first."""
    filters = params.filters(store, org, required=False)
    return {
        "fileExtensions": [
            {
                "extension": e.extension,
                "changeCount": e.file_changes,
                "totalLinesAdded": e.lines.added,
                "aiShareRate": e.ai_share_rate,
            }
            for e in metrics.file_extensions(store, filters, ai_only=True)
        ]
    }
