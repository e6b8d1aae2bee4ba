"""The headline numbers of a scope, composed from the other metrics (nothing recomputed)."""

from __future__ import annotations

import dataclasses

from aicode.metrics.activity import (
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    active_developers,
    change_totals,
    chat_totals,
    completion_totals,
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
    return Overview(
        commits=commit_totals(store, filters),
        completions=completion_totals(store, filters),
        chats=chat_totals(store, filters),
        changes=change_totals(store, filters),
        agent_changes=change_totals(store, dataclasses.replace(filters, sources=("AGENT",))),
        active_developers=active_developers(store, filters),
    )
