"""The overview: headline numbers against the previous period, daily trends, sources, IDEs."""

from __future__ import annotations

from aicode import metrics
from aicode.metrics import IdeUsage, Overview, SourceSplit
from aicode.web.blocks import Chart, Column, Kpi, PageView, Row, Series, Table
from aicode.web.context import Context

UNKNOWN_IDE = "(not reported)"


def _kpis(now: Overview, before: Overview | None) -> list[Kpi]:
    def prev(value: float | int) -> float | int | None:
        return value if before is not None else None

    b = before or now
    return [
        Kpi(
            "active-developers",
            "Active developers",
            now.active_developers,
            previous=prev(b.active_developers),
            hint="People with any completion, chat turn or AI edit in the range.",
        ),
        Kpi(
            "ai-share",
            "AI share of committed code",
            now.commits.ai_share_rate,
            "percent",
            prev(b.commits.ai_share_rate),
            "AI lines / all lines of the range's commits (added + deleted).",
        ),
        Kpi(
            "acceptance-rate",
            "Completion acceptance",
            now.completions.acceptance_rate,
            "percent",
            prev(b.completions.acceptance_rate),
            "Completions accepted / completions shown.",
        ),
        Kpi(
            "agent-edits",
            "Agent edits",
            now.agent_changes.changes,
            previous=prev(b.agent_changes.changes),
            hint="AI edits made by agents.",
        ),
        Kpi(
            "chat-turns",
            "Chat turns",
            now.chats.turns,
            previous=prev(b.chats.turns),
            hint="Answers of chat assistants.",
        ),
        Kpi(
            "commits",
            "Commits",
            now.commits.commits,
            previous=prev(b.commits.commits),
            hint="Commits made in the range.",
        ),
    ]


def _daily(ctx: Context) -> tuple[list[Chart], Table]:
    activity = metrics.daily_activity(ctx.store, ctx.filters)
    trend = {d.day: d for d in metrics.daily_commit_trend(ctx.store, ctx.filters)}
    labels = [d.day.isoformat() for d in activity]
    rows: list[Row] = []
    ai, human = [], []
    for day in activity:
        commits = trend.get(day.day)
        added = commits.lines.added if commits else 0
        ai_added = commits.ai.added if commits else 0
        ai.append(ai_added)
        human.append(commits.other_lines_added if commits else 0)
        rows.append(
            Row(
                [
                    day.day.isoformat(),
                    day.active_developers,
                    commits.commits if commits else 0,
                    added,
                    ai_added,
                    commits.ai_share_rate if commits else 0.0,
                    day.completions.suggested,
                    day.completions.accepted,
                    day.completions.acceptance_rate,
                    day.chats.turns,
                    day.changes.changes,
                ]
            )
        )
    charts = [
        Chart(
            "daily-lines",
            "Committed lines added per day: AI vs human",
            "bar",
            labels,
            [Series("AI", ai, "ai"), Series("Human", human, "human")],
            stacked=True,
        ),
        Chart(
            "daily-acceptance",
            "Completion acceptance rate per day (%)",
            "line",
            labels,
            [Series("Acceptance %", [d.completions.acceptance_rate for d in activity], "rate")],
            percent=True,
        ),
        Chart(
            "daily-developers",
            "Active developers per day",
            "line",
            labels,
            [Series("Active developers", [d.active_developers for d in activity], "developers")],
        ),
    ]
    table = Table(
        "daily",
        "Day by day",
        [
            Column("Date", "text"),
            Column("Active developers"),
            Column("Commits"),
            Column("Lines added"),
            Column("AI lines added"),
            Column("AI share of added lines %", "percent"),
            Column("Completions shown"),
            Column("Completions accepted"),
            Column("Acceptance %", "percent"),
            Column("Chat turns"),
            Column("AI edits"),
        ],
        rows,
    )
    return charts, table


def _sources(split: list[SourceSplit]) -> tuple[Chart, Table]:
    chart = Chart(
        "by-source",
        "Committed AI lines added by source",
        "doughnut",
        [s.label for s in split],
        [Series("AI lines added", [s.committed.added for s in split], "sources")],
    )
    table = Table(
        "sources",
        "By source",
        [
            Column("Source", "text"),
            Column("AI lines added"),
            Column("AI lines deleted"),
            Column("AI edits"),
            Column("Accepted edits"),
            Column("Edit acceptance %", "percent"),
        ],
        [
            Row(
                [
                    s.label,
                    s.committed.added,
                    s.committed.deleted,
                    s.changes.changes,
                    s.changes.accepted_changes,
                    s.changes.acceptance_rate,
                ]
            )
            for s in split
        ],
        note="Committed lines as attributed to each source; edits as the assistants reported them.",
    )
    return chart, table


def _ides(ides: list[IdeUsage]) -> tuple[Chart, Table]:
    names = [u.ide or UNKNOWN_IDE for u in ides]
    chart = Chart(
        "by-ide",
        "Usage by assistant / IDE",
        "bar",
        names,
        [
            Series("Completions accepted", [u.completions.accepted for u in ides], "completions"),
            Series("Chat turns", [u.chats.turns for u in ides], "chats"),
            Series("AI edits", [u.changes.changes for u in ides], "edits"),
        ],
    )
    table = Table(
        "ides",
        "By assistant / IDE",
        [
            Column("Assistant / IDE", "text"),
            Column("Active developers"),
            Column("Completions shown"),
            Column("Completions accepted"),
            Column("Acceptance %", "percent"),
            Column("Chat turns"),
            Column("AI edits"),
        ],
        [
            Row(
                [
                    name,
                    u.active_developers,
                    u.completions.suggested,
                    u.completions.accepted,
                    u.completions.acceptance_rate,
                    u.chats.turns,
                    u.changes.changes,
                ]
            )
            for name, u in zip(names, ides, strict=True)
        ],
    )
    return chart, table


def overview(ctx: Context) -> PageView:
    """Headline numbers, trends and splits of the filtered scope."""
    now = metrics.overview(ctx.store, ctx.filters)
    previous_filters = ctx.filters.previous_period()
    before = metrics.overview(ctx.store, previous_filters) if previous_filters else None
    page = PageView("Overview", kpis=_kpis(now, before))
    if not (now.active_developers or now.commits.commits):
        page.notice = ctx.empty_notice()
        if page.notice.kind == "welcome":
            page.kpis = []  # a new organization needs first steps, not a row of zeros
        return page
    trend_charts, daily = _daily(ctx)
    source_chart, sources = _sources(metrics.source_split(ctx.store, ctx.filters, now.commits))
    ide_chart, ides = _ides(metrics.usage_by_ide(ctx.store, ctx.filters))
    page.charts = [*trend_charts, source_chart, ide_chart]
    page.tables = [sources, ides, daily]
    return page
