"""The headline numbers of a scope, composed from the other metrics (nothing recomputed)."""

from __future__ import annotations

import dataclasses

from aicode.metrics.activity import (
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    change_totals,
    usage_totals,
)
from aicode.metrics.code import CommitTotals, commit_totals
from aicode.metrics.filters import Filters
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class Overview:
    """Committed code, AI share, assistant usage and active developers of a scope."""

    commits: CommitTotals
    completions: CompletionTotals
    chats: ChatTotals
    changes: ChangeTotals
    agent_changes: ChangeTotals
    active_developers: int

    @property
    def ai_share_rate(self) -> float:
        """AI share of committed edited lines (added + deleted), percent."""
        return self.commits.ai_share_rate


def overview(store: Store, filters: Filters) -> Overview:
    """Headline numbers for the scope."""
    usage = usage_totals(store, filters)
    return Overview(
        commits=commit_totals(store, filters),
        completions=usage.completions,
        chats=usage.chats,
        changes=usage.changes,
        agent_changes=change_totals(store, dataclasses.replace(filters, sources=("AGENT",))),
        active_developers=usage.active_developers,
    )
