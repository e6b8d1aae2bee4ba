"""AiCommitMetric: a commit's lines split into TAB, COMPOSER and non-AI, as JSON and CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from aicode.metrics import CommitRecord


def iso(instant: dt.datetime) -> str:
    """A stored (naive UTC) or aware instant the way Cursor writes them: ``...T14:12:03.000Z``."""
    if instant.tzinfo is not None:
        instant = instant.astimezone(dt.UTC).replace(tzinfo=None)
    return f"{instant:%Y-%m-%dT%H:%M:%S}.{instant.microsecond // 1000:03d}Z"


def commit_item(commit: CommitRecord) -> dict[str, Any]:
    """One AiCommitMetric, fields in the documented order."""
    tab, composer, non_ai = commit.tab, commit.composer, commit.non_ai
    return {
        "commitHash": commit.commit_hash,
        "userId": commit.author.encoded_id,
        "userEmail": commit.author.email,
        "repoName": commit.repo,
        "branchName": commit.branch,
        "isPrimaryBranch": commit.is_primary_branch,
        "totalLinesAdded": commit.lines.added,
        "totalLinesDeleted": commit.lines.deleted,
        "tabLinesAdded": tab.added,
        "tabLinesDeleted": tab.deleted,
        "composerLinesAdded": composer.added,
        "composerLinesDeleted": composer.deleted,
        "nonAiLinesAdded": non_ai.added,
        "nonAiLinesDeleted": non_ai.deleted,
        "message": commit.message,
        "commitTs": iso(commit.commit_ts),
        "createdAt": iso(commit.created_at),
    }


# The CSV columns in the seed's order, each the snake_case name of a JSON field.
COMMIT_CSV_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("commit_hash", "commitHash"),
    ("user_id", "userId"),
    ("user_email", "userEmail"),
    ("repo_name", "repoName"),
    ("branch_name", "branchName"),
    ("is_primary_branch", "isPrimaryBranch"),
    ("total_lines_added", "totalLinesAdded"),
    ("total_lines_deleted", "totalLinesDeleted"),
    ("tab_lines_added", "tabLinesAdded"),
    ("tab_lines_deleted", "tabLinesDeleted"),
    ("composer_lines_added", "composerLinesAdded"),
    ("composer_lines_deleted", "composerLinesDeleted"),
    ("non_ai_lines_added", "nonAiLinesAdded"),
    ("non_ai_lines_deleted", "nonAiLinesDeleted"),
    ("message", "message"),
    ("commit_ts", "commitTs"),
    ("created_at", "createdAt"),
)
COMMIT_CSV_HEADER: Final[list[str]] = [column for column, _ in COMMIT_CSV_COLUMNS]


def commit_csv_row(commit: CommitRecord) -> list[Any]:
    """One commit as a CSV row (the same values as its JSON item)."""
    item = commit_item(commit)
    return [item[field] for _, field in COMMIT_CSV_COLUMNS]
