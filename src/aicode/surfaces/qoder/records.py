"""Commits, changes and line annotations under Qoder's field names, for JSON and CSV alike.

Qoder types these fields as strings and booleans, so an unknown email, branch, message or
model is ``""`` and an unknown primary-branch flag is ``false`` (the ``primary_branch_only``
filter treats it the same way).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from aicode import metrics
from aicode.model.attribution import ATTRIBUTION_PAIRS, canonical_source

# Qoder calls tab completion NEXT; every other canonical source keeps its name.
_QODER_NAMES: Final[dict[str, str]] = {"TAB": "NEXT"}
# The scenarios the changes endpoint filters by, to canonical sources.
CHANGE_SOURCES: Final[dict[str, str]] = {
    "AGENT": "AGENT",
    "NEXT": "TAB",
    "QUEST": "QUEST",
    "INLINECHAT": "INLINECHAT",
}

COMMIT_CSV_COLUMNS: Final[tuple[str, ...]] = (
    "commitHash",
    "userId",
    "userEmail",
    "userName",
    "repoName",
    "branchName",
    "isPrimaryBranch",
    "totalLinesAdded",
    "totalLinesDeleted",
    *(f"{pair}Lines{kind}" for pair in ATTRIBUTION_PAIRS for kind in ("Added", "Deleted")),
    "nonAiLinesAdded",
    "nonAiLinesDeleted",
    "message",
    "commitTs",
    "createdAt",
)
CHANGE_CSV_COLUMNS: Final[tuple[str, ...]] = (
    "changeId",
    "userId",
    "userEmail",
    "source",
    "model",
    "totalLinesAdded",
    "totalLinesDeleted",
    "createdAt",
)


def qoder_source(source: str) -> str:
    """A stored source under Qoder's name (TAB is NEXT); unknown names pass upper-cased."""
    canonical = canonical_source(source) or source.strip().upper()
    return _QODER_NAMES.get(canonical, canonical)


def day_time(day: dt.date) -> str:
    """A UTC day as Qoder dates its trend rows: ``2025-06-01T00:00:00Z``."""
    return f"{day.isoformat()}T00:00:00Z"


def instant(ts: dt.datetime) -> str:
    """A stored (naive UTC) time as RFC 3339."""
    return ts.isoformat() + "Z"


def commit_csv_row(commit: metrics.CommitRecord) -> list[Any]:
    """A commit as a CSV row of COMMIT_CSV_COLUMNS."""
    row: list[Any] = [
        commit.commit_hash,
        commit.author.user_id,
        commit.author.email or "",
        commit.author.display_name or "",
        commit.repo,
        commit.branch or "",
        bool(commit.is_primary_branch),
        commit.lines.added,
        commit.lines.deleted,
    ]
    for pair in ATTRIBUTION_PAIRS:
        lines = commit.by_pair[pair]
        row.append(lines.added)
        row.append(lines.deleted)
    non_ai = commit.non_ai
    row += (
        non_ai.added,
        non_ai.deleted,
        commit.message or "",
        instant(commit.commit_ts),
        instant(commit.created_at),
    )
    return row


_USER_NAME = COMMIT_CSV_COLUMNS.index("userName")
COMMIT_JSON_FIELDS: Final[tuple[str, ...]] = tuple(c for c in COMMIT_CSV_COLUMNS if c != "userName")


def commit_item(commit: metrics.CommitRecord) -> dict[str, Any]:
    """A commit as the JSON list shows it: the CSV row without userName."""
    row = commit_csv_row(commit)
    del row[_USER_NAME]
    return dict(zip(COMMIT_JSON_FIELDS, row, strict=True))


def change_item(change: metrics.ChangeRecord) -> dict[str, Any]:
    """An AI change as the JSON list shows it, with its files as metadata."""
    return {
        "changeId": change.change_id,
        "userId": change.author.user_id,
        "userEmail": change.author.email or "",
        "source": qoder_source(change.source),
        "model": change.model or "",
        "totalLinesAdded": change.lines_added,
        "totalLinesDeleted": change.lines_deleted,
        "metadata": [
            {
                "fileName": f.file_name,
                "fileExtension": f.extension,
                "linesAdded": f.lines_added,
                "linesDeleted": f.lines_deleted,
            }
            for f in change.files
        ],
        "createdAt": instant(change.ts),
    }


def change_csv_row(change: metrics.ChangeRecord) -> list[Any]:
    """An AI change as a CSV row of CHANGE_CSV_COLUMNS (no file metadata)."""
    return [
        change.change_id,
        change.author.user_id,
        change.author.email or "",
        qoder_source(change.source),
        change.model or "",
        change.lines_added,
        change.lines_deleted,
        instant(change.ts),
    ]


def pagination(page: metrics.Page[Any]) -> dict[str, int]:
    """Qoder's offset pagination block."""
    return {
        "currentPage": page.page,
        "pageSize": page.per_page,
        "totalItems": page.total,
        "totalPages": page.total_pages,
    }


def _group(group: dict[str, Any]) -> dict[str, Any]:
    # Stored annotations omit defaulted fields (msgspec omit_defaults): fill them back in.
    return {
        "conversationId": group.get("conversationId") or "",
        "source": qoder_source(str(group.get("source", ""))),
        "productType": group.get("productType", "ide"),
        "type": group.get("type", "added"),
        "ranges": [{"start": r["start"], "end": r["end"]} for r in group.get("ranges", [])],
    }


def range_annotations(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A commit's stored line annotations in Qoder's commit-detail shape."""
    return [
        {"filePath": a["filePath"], "groups": [_group(g) for g in a.get("groups", [])]}
        for a in stored
    ]
