"""The metrics layer: every number any surface reports is defined here, once.

Date-range metrics read the rollups; detail lists read the facts. All queries are SQLGlot
expressions executed by the store, so each backend renders them in its own dialect.
"""

from aicode.metrics.activity import (
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    DailyActivity,
    active_developers,
    change_totals,
    changes_by_source,
    chat_totals,
    completion_totals,
    daily_activity,
)
from aicode.metrics.code import (
    CommitTotals,
    DailyCommitTrend,
    ExtensionDay,
    ExtensionStats,
    LinePair,
    MemberRank,
    RepoStats,
    commit_totals,
    daily_commit_trend,
    daily_extension_trend,
    file_extensions,
    member_ranking,
    repositories,
)
from aicode.metrics.commit_browse import CommitFileRecord, commit_files, search_condition
from aicode.metrics.coverage import DataSpan, data_span
from aicode.metrics.departments import DepartmentTotals, department_totals
from aicode.metrics.details import (
    Author,
    ChangeFileRecord,
    ChangeRecord,
    CommitRecord,
    commit_annotations,
    find_commits,
    iter_changes,
    iter_commits,
    list_changes,
    list_commits,
)
from aicode.metrics.filters import Filters
from aicode.metrics.overview import Overview, overview
from aicode.metrics.page import Page
from aicode.metrics.rates import fraction, percent
from aicode.metrics.sources import (
    SOURCE_GROUPS,
    SourceGroup,
    SourceSplit,
    source_group,
    source_split,
)
from aicode.metrics.tools import IdeUsage, ModelUsage, usage_by_ide, usage_by_model
from aicode.metrics.usage import (
    ChatBreakdown,
    CodingBreakdown,
    CompletionBreakdown,
    DayUsage,
    scope_day_usage,
    user_day_usage,
)

__all__ = [
    "SOURCE_GROUPS",
    "Author",
    "ChangeFileRecord",
    "ChangeRecord",
    "ChangeTotals",
    "ChatBreakdown",
    "ChatTotals",
    "CodingBreakdown",
    "CommitFileRecord",
    "CommitRecord",
    "CommitTotals",
    "CompletionBreakdown",
    "CompletionTotals",
    "DailyActivity",
    "DailyCommitTrend",
    "DataSpan",
    "DayUsage",
    "DepartmentTotals",
    "ExtensionDay",
    "ExtensionStats",
    "Filters",
    "IdeUsage",
    "LinePair",
    "MemberRank",
    "ModelUsage",
    "Overview",
    "Page",
    "RepoStats",
    "SourceGroup",
    "SourceSplit",
    "active_developers",
    "change_totals",
    "changes_by_source",
    "chat_totals",
    "commit_annotations",
    "commit_files",
    "commit_totals",
    "completion_totals",
    "daily_activity",
    "daily_commit_trend",
    "daily_extension_trend",
    "data_span",
    "department_totals",
    "file_extensions",
    "find_commits",
    "fraction",
    "iter_changes",
    "iter_commits",
    "list_changes",
    "list_commits",
    "member_ranking",
    "overview",
    "percent",
    "repositories",
    "scope_day_usage",
    "search_condition",
    "source_group",
    "source_split",
    "usage_by_ide",
    "usage_by_model",
    "user_day_usage",
]
