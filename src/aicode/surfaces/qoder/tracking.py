"""Qoder's AI-code tracking: commit and change lists, and commits' AI line ranges.

Every stored AI change is an edit the assistant suggested (accepted or not), which is what
Qoder's change list shows (``action=suggested``).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import orjson
from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from aicode import metrics
from aicode.api.deps import StoreDep
from aicode.errors import InvalidInput
from aicode.metrics import Filters
from aicode.model.tenancy import Organization
from aicode.store.base import Store
from aicode.surfaces.qoder.errors import QODER
from aicode.surfaces.qoder.params import QoderOrg, Tracking, TrackingParams
from aicode.surfaces.qoder.records import (
    CHANGE_SOURCES,
    change_item,
    commit_item,
    pagination,
    range_annotations,
)

router = QODER.router()

MAX_COMMIT_HASHES = 50
MAX_HASH_LENGTH = 256

RepoName = Annotated[str | None, Query(alias="repoName", description="Repository name.")]
SourceName = Annotated[str | None, Query(description="AGENT, NEXT, QUEST or INLINECHAT.")]


def commit_filters(
    store: Store, org: Organization, params: TrackingParams, repo_name: str | None
) -> Filters:
    """Filters of the commit list and export."""
    repo = (repo_name or "").strip() or None
    return dataclasses.replace(params.filters(store, org), repo=repo)


def change_filters(
    store: Store, org: Organization, params: TrackingParams, source: str | None
) -> Filters:
    """Filters of the change list and export; ``source`` is one of Qoder's scenarios."""
    filters = params.filters(store, org)
    name = (source or "").strip().upper()
    if not name:
        return filters
    if name not in CHANGE_SOURCES:
        raise InvalidInput(
            f"source must be one of {', '.join(CHANGE_SOURCES)}, got {source!r}", field="source"
        )
    return dataclasses.replace(filters, sources=(CHANGE_SOURCES[name],))


@router.get("/ai-code-tracking/commits", summary="Commits with their AI lines")
def commits(
    org: QoderOrg, store: StoreDep, params: Tracking, repo_name: RepoName = None
) -> dict[str, Any]:
    """Commits newest first, each with its lines per product x scenario."""
    page, size = params.paging()
    filters = commit_filters(store, org, params, repo_name)
    result = metrics.list_commits(store, filters, page=page, per_page=size)
    return {
        "success": True,
        "data": {"items": [commit_item(c) for c in result.items], "pagination": pagination(result)},
    }


@router.get("/ai-code-tracking/changes", summary="AI edits in the IDE")
def changes(
    org: QoderOrg, store: StoreDep, params: Tracking, source: SourceName = None
) -> dict[str, Any]:
    """AI edits newest first, with their files."""
    page, size = params.paging()
    filters = change_filters(store, org, params, source)
    result = metrics.list_changes(store, filters, page=page, per_page=size)
    return {
        "success": True,
        "data": {"items": [change_item(c) for c in result.items], "pagination": pagination(result)},
    }


def _detail_request(raw: bytes) -> tuple[list[str], str | None]:
    """(commitHashes, branch) of a commit-detail body, or a 400 naming the field."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    hashes = body.get("commitHashes")
    if not isinstance(hashes, list) or not hashes:
        raise InvalidInput(
            "commitHashes must be a non-empty list of commit hashes", field="commitHashes"
        )
    if len(hashes) > MAX_COMMIT_HASHES:
        raise InvalidInput(
            f"commitHashes may hold at most {MAX_COMMIT_HASHES} hashes, got {len(hashes)}",
            field="commitHashes",
        )
    for index, value in enumerate(hashes):
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_HASH_LENGTH:
            raise InvalidInput(
                f"commitHashes[{index}] must be a commit hash string",
                field=f"commitHashes[{index}]",
            )
    branch = body.get("branch")
    if branch is not None and not isinstance(branch, str):
        raise InvalidInput("branch must be a string", field="branch")
    return [h.strip() for h in hashes], (branch or None)


_DETAIL_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["commitHashes"],
                    "properties": {
                        "commitHashes": {
                            "type": "array",
                            "items": {"type": "string"},
                            "minItems": 1,
                            "maxItems": MAX_COMMIT_HASHES,
                        },
                        "branch": {"type": "string"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/ai-code-tracking/commits/detail",
    summary="Commits' AI line ranges",
    openapi_extra=_DETAIL_BODY,
)
async def commit_detail(org: QoderOrg, store: StoreDep, request: Request) -> dict[str, Any]:
    """File-level AI line ranges of up to 50 commits, in request order; unknown ones empty."""
    hashes, branch = _detail_request(await request.body())
    # Reading the body needs the event loop; the store query must not block it.
    found = await run_in_threadpool(
        metrics.commit_annotations, store, org.num, hashes, branch=branch
    )
    return {
        "success": True,
        "data": {
            "commits": [
                {"commitHash": h, "rangeAnnotations": range_annotations(found.get(h.lower(), []))}
                for h in hashes
            ]
        },
    }
