"""AiCodeChangeMetric: one accepted AI change as TAB or COMPOSER, with per-file metadata."""

from __future__ import annotations

import json
from typing import Any, Final

from aicode.metrics import ChangeRecord
from aicode.model.attribution import TAB_PAIRS, pair_source
from aicode.surfaces.cursor.commits import iso

# Cursor's TAB is every completion source, as for commit lines; everything else (agents,
# quests, inline chat) is an accepted Composer diff.
TAB_SOURCES: Final[frozenset[str]] = frozenset(pair_source(p)[0] for p in TAB_PAIRS)


def cursor_source(source: str) -> str:
    """``TAB`` or ``COMPOSER`` for a canonical change source."""
    return "TAB" if source in TAB_SOURCES else "COMPOSER"


def change_metadata(change: ChangeRecord) -> list[dict[str, Any]]:
    """Per-file metadata; people in privacy mode never have their file names shown."""
    hide_names = change.author.privacy_mode
    entries: list[dict[str, Any]] = []
    for file in change.files:
        entry: dict[str, Any] = {} if hide_names else {"fileName": file.file_name}
        entry["fileExtension"] = file.extension.removeprefix(".")
        entry["linesAdded"] = file.lines_added
        entry["linesDeleted"] = file.lines_deleted
        entries.append(entry)
    return entries


def change_item(change: ChangeRecord) -> dict[str, Any]:
    """One AiCodeChangeMetric, fields in the documented order."""
    return {
        "changeId": change.change_id,
        "userId": change.author.encoded_id,
        "userEmail": change.author.email,
        "source": cursor_source(change.source),
        "model": change.model or None,
        "totalLinesAdded": change.lines_added,
        "totalLinesDeleted": change.lines_deleted,
        "createdAt": iso(change.created_at),
        "metadata": change_metadata(change),
    }


CHANGE_CSV_HEADER: Final[list[str]] = [
    "change_id",
    "user_id",
    "user_email",
    "source",
    "model",
    "total_lines_added",
    "total_lines_deleted",
    "created_at",
    "metadata_json",
]


def change_csv_row(change: ChangeRecord) -> list[Any]:
    """One change as a CSV row: the JSON item's values, metadata as a compact JSON string."""
    item = change_item(change)
    return [
        item["changeId"],
        item["userId"],
        item["userEmail"],
        item["source"],
        item["model"],
        item["totalLinesAdded"],
        item["totalLinesDeleted"],
        item["createdAt"],
        json.dumps(item["metadata"], separators=(",", ":"), ensure_ascii=False),
    ]
