"""AI sources as people name them: tab completion, agent, inline chat, quest and CLI agent.

Committed lines are attributed to product x source pairs (``model.attribution``); AI edits
carry a (source, productType). Both fold into the same five groups through the pair, so a
group's committed lines and its edits always describe the same thing.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from aicode.metrics.activity import ChangeTotals, changes_by_source
from aicode.metrics.code import CommitTotals, LinePair, commit_totals
from aicode.metrics.filters import Filters
from aicode.model.attribution import ATTRIBUTION_PAIRS, attribution_pair
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class SourceGroup:
    """A named group of attribution pairs."""

    key: str
    label: str
    pairs: tuple[str, ...]


SOURCE_GROUPS: Final[tuple[SourceGroup, ...]] = (
    SourceGroup("tab", "Tab completion", ("ideNext", "pluginNext")),
    SourceGroup("agent", "Agent", ("ideAgent", "pluginAgent")),
    SourceGroup("inline_chat", "Inline chat", ("ideInlineChat", "jbInlineChat")),
    SourceGroup("quest", "Quest", ("ideQuest",)),
    SourceGroup("cli_agent", "CLI agent", ("cliAgent",)),
)

_GROUP_BY_PAIR: Final[dict[str, str]] = {p: g.key for g in SOURCE_GROUPS for p in g.pairs}
assert set(_GROUP_BY_PAIR) == set(ATTRIBUTION_PAIRS)


def source_group(source: str, product_type: str) -> str:
    """The group key of an AI edit's canonical (source, productType)."""
    return _GROUP_BY_PAIR[attribution_pair(source, product_type)]


def add_changes(a: ChangeTotals, b: ChangeTotals) -> ChangeTotals:
    """Field-wise sum of two change totals."""
    return ChangeTotals(
        *[
            getattr(a, f.name) + getattr(b, f.name)
            for f in dataclasses.fields(ChangeTotals)  # all counts
        ]
    )


@dataclasses.dataclass(frozen=True)
class SourceSplit:
    """One source group: its committed AI lines and its AI edits."""

    key: str
    label: str
    committed: LinePair
    changes: ChangeTotals


def source_split(
    store: Store, filters: Filters, commits: CommitTotals | None = None
) -> list[SourceSplit]:
    """Committed AI lines and AI edits per source group, in ``SOURCE_GROUPS`` order.

    ``commits`` may pass the scope's commit totals when the caller already has them.
    """
    commits = commits if commits is not None else commit_totals(store, filters)
    edits: dict[str, ChangeTotals] = {}
    for (source, product_type), totals in changes_by_source(store, filters).items():
        key = source_group(source, product_type)
        edits[key] = add_changes(edits.get(key, ChangeTotals()), totals)
    return [
        SourceSplit(g.key, g.label, commits.group(g.pairs), edits.get(g.key, ChangeTotals()))
        for g in SOURCE_GROUPS
    ]
