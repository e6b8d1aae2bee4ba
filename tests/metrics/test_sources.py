"""Committed AI lines and AI edits per source group, over the hand-made world."""

import pytest

from aicode.metrics import (
    SOURCE_GROUPS,
    ChangeTotals,
    Filters,
    LinePair,
    commit_totals,
    source_group,
    source_split,
)
from tests.world import D1, D3, World


def test_every_pair_belongs_to_exactly_one_group() -> None:
    pairs = [p for g in SOURCE_GROUPS for p in g.pairs]
    assert len(pairs) == len(set(pairs)) == 8
    assert [g.key for g in SOURCE_GROUPS] == ["tab", "agent", "inline_chat", "quest", "cli_agent"]


@pytest.mark.parametrize(
    ("source", "product_type", "group"),
    [
        ("TAB", "ide", "tab"),
        ("TAB", "plugin", "tab"),
        ("AGENT", "ide", "agent"),
        ("AGENT", "plugin", "agent"),
        ("AGENT", "cli", "cli_agent"),
        ("QUEST", "plugin", "quest"),
        ("INLINECHAT", "plugin", "inline_chat"),
    ],
)
def test_edits_fold_into_groups_through_their_pair(
    source: str, product_type: str, group: str
) -> None:
    assert source_group(source, product_type) == group


def test_split_of_the_world(world: World) -> None:
    split = source_split(world.store, Filters.for_days(world.org.num, D1, D3))
    assert [(s.key, s.label, s.committed) for s in split] == [
        ("tab", "Tab completion", LinePair(2, 0)),
        ("agent", "Agent", LinePair(3, 1)),
        ("inline_chat", "Inline chat", LinePair(0, 0)),
        ("quest", "Quest", LinePair(3, 0)),
        ("cli_agent", "CLI agent", LinePair(0, 0)),
    ]
    assert {s.key: s.changes for s in split} == {
        "tab": ChangeTotals(1, 1, 2, 0, 2, 0),
        "agent": ChangeTotals(1, 1, 3, 1, 3, 1),
        "inline_chat": ChangeTotals(),
        "quest": ChangeTotals(1, 1, 3, 0, 3, 0),
        "cli_agent": ChangeTotals(1, 0, 4, 2, 0, 0),
    }


def test_split_sums_to_the_commit_totals_and_honours_filters(world: World) -> None:
    scope = Filters.for_days(world.org.num, D1, D3, repo="core")
    totals = commit_totals(world.store, scope)
    split = source_split(world.store, scope, commits=totals)
    assert sum(s.committed.added for s in split) == totals.ai.added == 6
    agents = source_split(world.store, Filters.for_days(world.org.num, D1, D3, sources=("AGENT",)))
    assert [s.changes.changes for s in agents] == [0, 1, 0, 0, 1]
