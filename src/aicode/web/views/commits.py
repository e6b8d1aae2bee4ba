"""The commit explorer: a searchable list of commits, and one commit with its AI line ranges."""

from __future__ import annotations

import dataclasses
from typing import Any

from aicode import metrics
from aicode.errors import NotFound
from aicode.metrics import SOURCE_GROUPS, CommitRecord, LinePair
from aicode.model.attribution import canonical_source
from aicode.web.blocks import Chart, Column, Kpi, PageView, Row, Search, Series, Table
from aicode.web.context import Context
from aicode.web.params import parse_page, parse_search
from aicode.web.views.breakdowns import pager

PER_PAGE = 50
MAP_WIDTH = 1000


def _when(record: CommitRecord) -> str:
    return record.commit_ts.strftime("%Y-%m-%d %H:%M")


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def commit_link(ctx: Context, record: CommitRecord) -> str:
    """A commit's page, filtered to its repository (which tells apart one hash pushed to
    several repositories), keeping the other filters."""
    return ctx.link(f"commits/{record.commit_hash}", repo=record.repo)


def commits(ctx: Context) -> PageView:
    """A page of the scope's commits, newest first, optionally searched."""
    number = parse_page(ctx.query.get("page"))
    search = parse_search(ctx.query.get("query"), "query")
    result = metrics.list_commits(
        ctx.store, ctx.filters, page=number, per_page=PER_PAGE, search=search
    )
    page = PageView(
        "Commits",
        search=Search(search or "", "Hash prefix, message, repository, branch or author"),
        pager=pager(ctx, "commits", result, search),
    )
    if not result.items and number == 1 and not search:
        page.notice = ctx.empty_notice()
        return page
    rows = [
        Row(
            [
                c.commit_hash,
                c.repo,
                c.branch or "",
                c.author.email or c.author.user_id,
                _when(c),
                c.lines.added,
                c.lines.deleted,
                c.ai.added,
                metrics.percent(c.ai.added, c.lines.added),
                _first_line(c.message),
            ],
            links={0: commit_link(ctx, c)},
        )
        for c in result.items
    ]
    page.tables = [
        Table(
            "commits",
            "Commits",
            [
                Column("Commit", "code"),
                Column("Repository", "text"),
                Column("Branch", "text"),
                Column("Author", "text"),
                Column("Committed (UTC)", "datetime"),
                Column("Lines added"),
                Column("Lines deleted"),
                Column("AI lines added"),
                Column("AI share of added lines %", "percent"),
                Column("Message", "text"),
            ],
            rows,
            empty="No commit matches.",
        )
    ]
    return page


@dataclasses.dataclass(frozen=True)
class Band:
    """One AI line range drawn on a file's line map (coordinates out of MAP_WIDTH)."""

    group: str
    kind: str
    x: float
    width: float
    label: str


@dataclasses.dataclass
class FileRanges:
    """A file of the commit: its lines and its AI ranges, as table rows and as map bands."""

    path: str
    lines: LinePair = dataclasses.field(default_factory=LinePair)
    ai: LinePair = dataclasses.field(default_factory=LinePair)
    rows: list[Row] = dataclasses.field(default_factory=list)
    spans: list[tuple[str, str, int, int]] = dataclasses.field(default_factory=list)

    @property
    def bands(self) -> list[Band]:
        """The ranges on a map as long as the file is known to be: its added lines, or the
        last line a range reaches when that is further (the file's length is not sent)."""
        scale = MAP_WIDTH / max([self.lines.added, 1, *(end for *_, end in self.spans)])
        return [
            Band(
                group,
                kind,
                (start - 1) * scale,
                max((end - start + 1) * scale, 3.0),  # a one-line range stays visible
                f"{start}-{end}" if end != start else str(start),
            )
            for group, kind, start, end in self.spans
        ]


_LABELS = {g.key: g.label for g in SOURCE_GROUPS}


def _group_of(source: str, product_type: str) -> str:
    """The source group of a range; sources the server does not know are 'other'."""
    canonical = canonical_source(source)
    if canonical is None:
        return "other"
    try:
        return metrics.source_group(canonical, product_type)
    except KeyError:
        return "other"


def _file_ranges(
    annotations: list[dict[str, Any]], files: list[metrics.CommitFileRecord]
) -> list[FileRanges]:
    """The commit's files in the order sent, then any file only the annotations name."""
    found = {f.path: FileRanges(f.path, f.lines, f.ai) for f in files}
    for annotation in annotations:
        path = str(annotation.get("filePath", ""))
        entry = found.setdefault(path, FileRanges(path))
        for group in annotation.get("groups", []):
            key = _group_of(str(group.get("source", "")), str(group.get("productType", "ide")))
            kind = str(group.get("type", "added"))
            conversation = group.get("conversationId") or ""
            for span in group.get("ranges", []):
                start, end = int(span["start"]), int(span["end"])
                lines = f"{start}-{end}" if end != start else str(start)
                count = end - start + 1
                label = _LABELS.get(key, "Other")
                entry.rows.append(Row([path, label, kind, lines, count, conversation]))
                entry.spans.append((key, kind, start, end))
    return list(found.values())


@dataclasses.dataclass
class CommitView(PageView):
    """A commit's page: the generic blocks plus the commit and its files' line maps."""

    record: CommitRecord | None = None
    files: list[FileRanges] = dataclasses.field(default_factory=list)


RANGE_COLUMNS = [
    Column("File", "code"),
    Column("Source", "text"),
    Column("Kind", "text"),
    Column("Lines", "text"),
    Column("Line count"),
    Column("Conversation", "code"),
]


def commit(ctx: Context, commit_hash: str) -> PageView:
    """One commit: its attribution by source, its files and their AI line ranges."""
    repo = ctx.query.get("repo") or None
    found = metrics.find_commits(ctx.store, ctx.org.num, commit_hash, repo=repo)
    if not found:
        raise NotFound(f"commit {commit_hash!r} not found", field="commit_hash")
    record = found[0]
    annotations = metrics.commit_annotations(ctx.store, ctx.org.num, [record.commit_hash])
    files = metrics.commit_files(ctx.store, ctx.org.num, record.commit_hash, record.repo)
    ranges = _file_ranges(annotations.get(record.commit_hash, []), files)
    groups = [
        (
            g.label,
            LinePair(
                sum(record.by_pair[p].added for p in g.pairs),
                sum(record.by_pair[p].deleted for p in g.pairs),
            ),
        )
        for g in SOURCE_GROUPS
    ]
    return CommitView(
        f"Commit {record.commit_hash[:12]}",
        kpis=[
            Kpi("lines-added", "Lines added", record.lines.added),
            Kpi("ai-lines-added", "AI lines added", record.ai.added),
            Kpi(
                "ai-share",
                "AI share of added lines",
                metrics.percent(record.ai.added, record.lines.added),
                "percent",
            ),
            Kpi("files", "Files", len(ranges)),
        ],
        charts=[
            Chart(
                "commit-sources",
                "AI lines added by source",
                "doughnut",
                [label for label, _ in groups],
                [Series("AI lines added", [lines.added for _, lines in groups], "sources")],
            )
        ],
        tables=[
            Table(
                "sources",
                "By source",
                [Column("Source", "text"), Column("AI lines added"), Column("AI lines deleted")],
                [Row([label, lines.added, lines.deleted]) for label, lines in groups],
            ),
            Table(
                "files",
                "Files",
                [
                    Column("File", "code"),
                    Column("Lines added"),
                    Column("Lines deleted"),
                    Column("AI lines added"),
                    Column("AI lines deleted"),
                    Column("AI ranges"),
                ],
                [
                    Row(
                        [
                            f.path,
                            f.lines.added,
                            f.lines.deleted,
                            f.ai.added,
                            f.ai.deleted,
                            len(f.rows),
                        ]
                    )
                    for f in ranges
                ],
            ),
            Table(
                "ranges",
                "AI line ranges",
                RANGE_COLUMNS,
                [row for f in ranges for row in f.rows],
                empty="The client sent no line ranges for this commit.",
            ),
        ],
        record=record,
        files=ranges,
    )
