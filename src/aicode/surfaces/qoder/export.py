"""Qoder's CSV exports of commits and changes, streamed page by page from the store.

The server walks the whole scope with keyset pages (``metrics.iter_commits`` /
``iter_changes``), turning one page at a time into CSV, so memory stays flat however many
rows are exported. Cells are made formula-safe by ``aicode.export``.
"""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from aicode import metrics
from aicode.api.deps import StoreDep
from aicode.api.render import stream_csv
from aicode.surfaces.qoder.errors import QODER
from aicode.surfaces.qoder.params import QoderOrg, Tracking
from aicode.surfaces.qoder.records import (
    CHANGE_CSV_COLUMNS,
    COMMIT_CSV_COLUMNS,
    change_csv_row,
    commit_csv_row,
)
from aicode.surfaces.qoder.tracking import RepoName, SourceName, change_filters, commit_filters

router = QODER.router()

# Rows per store page: bounds the export's memory, amortizes each page's query.
EXPORT_BATCH = 5_000


@router.get("/ai-code-tracking/commits/export", summary="Commits as CSV")
def export_commits(
    org: QoderOrg, store: StoreDep, params: Tracking, repo_name: RepoName = None
) -> StreamingResponse:
    """Every commit of the scope as a streamed CSV, newest first (userName included)."""
    filters = commit_filters(store, org, params, repo_name)
    pages = (
        [commit_csv_row(c) for c in batch]
        for batch in metrics.iter_commits(store, filters, batch=EXPORT_BATCH)
    )
    return stream_csv(COMMIT_CSV_COLUMNS, filename="ai-code-commits.csv", pages=pages)


@router.get("/ai-code-tracking/changes/export", summary="AI edits as CSV")
def export_changes(
    org: QoderOrg, store: StoreDep, params: Tracking, source: SourceName = None
) -> StreamingResponse:
    """Every AI edit of the scope as a streamed CSV, newest first (no file metadata)."""
    filters = change_filters(store, org, params, source)
    pages = (
        [change_csv_row(c) for c in batch]
        for batch in metrics.iter_changes(store, filters, batch=EXPORT_BATCH)
    )
    return stream_csv(CHANGE_CSV_COLUMNS, filename="ai-code-changes.csv", pages=pages)
