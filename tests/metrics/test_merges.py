"""Merge commits in committed-line metrics: all-branch totals count a merge's own lines only.

The history is tests/merge_world.py; every expected number is worked out there by hand.
"""

from __future__ import annotations

import pytest

from aicode.metrics import (
    Filters,
    LinePair,
    commit_totals,
    daily_commit_trend,
    daily_extension_trend,
    file_extensions,
    list_commits,
    member_ranking,
    repositories,
)
from aicode.model.tenancy import Organization
from aicode.store.base import Store
from tests import merge_world
from tests.merge_world import D1, D2, MERGE


def scope(org: Organization, **rest: object) -> Filters:
    return Filters.for_days(org.num, D1, D2, **rest)


@pytest.fixture
def org(store: Store) -> Organization:
    return store.create_organization("acme")


def test_all_branches_count_the_branch_commits_and_not_what_the_merge_carried(
    store: Store, org: Organization
) -> None:
    merge_world.build(store, org, resolution=False)
    totals = commit_totals(store, scope(org))
    assert (totals.commits, totals.lines, totals.ai) == (4, LinePair(7, 1), LinePair(3, 0))
    assert totals.by_pair["ideAgent"] == LinePair(3, 0)
    assert totals.non_ai == LinePair(4, 1)
    assert (totals.ai_share_rate, totals.ai_share_rate_added) == (37.5, 42.86)


def test_the_primary_branch_counts_the_whole_merge(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=False)
    totals = commit_totals(store, scope(org, primary_branch_only=True))
    assert (totals.commits, totals.lines, totals.ai) == (2, LinePair(6, 0), LinePair(3, 0))
    assert (totals.ai_share_rate, totals.ai_share_rate_added) == (50.0, 50.0)


def test_a_conflict_resolution_counts_everywhere(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=True)
    every = commit_totals(store, scope(org))
    assert (every.commits, every.lines, every.ai) == (4, LinePair(8, 2), LinePair(4, 0))
    assert (every.by_pair["ideAgent"], every.by_pair["ideNext"]) == (LinePair(3), LinePair(1))
    assert (every.ai_share_rate, every.ai_share_rate_added) == (40.0, 50.0)
    primary = commit_totals(store, scope(org, primary_branch_only=True))
    assert (primary.commits, primary.lines, primary.ai) == (2, LinePair(7, 1), LinePair(4, 0))
    assert (primary.ai_share_rate, primary.ai_share_rate_added) == (50.0, 57.14)


def test_a_merge_without_its_own_lines_listed_counts_as_all_carried(
    store: Store, org: Organization
) -> None:
    # What older hooks and other clients send: the merge is known by its parents only.
    merge_world.build(store, org, resolution=True, own=False)
    every = commit_totals(store, scope(org))
    assert (every.commits, every.lines, every.ai) == (4, LinePair(7, 1), LinePair(3, 0))
    primary = commit_totals(store, scope(org, primary_branch_only=True))
    assert (primary.commits, primary.lines, primary.ai) == (2, LinePair(7, 1), LinePair(4, 0))


@pytest.mark.parametrize(
    ("resolution", "primary", "expected"),
    [
        (False, False, (4, LinePair(7, 1), LinePair(3, 0))),
        (False, True, (2, LinePair(6, 0), LinePair(3, 0))),
        (True, False, (4, LinePair(8, 2), LinePair(4, 0))),
        (True, True, (2, LinePair(7, 1), LinePair(4, 0))),
    ],
)
def test_per_repository(
    store: Store,
    org: Organization,
    resolution: bool,
    primary: bool,
    expected: tuple[int, LinePair, LinePair],
) -> None:
    merge_world.build(store, org, resolution=resolution)
    page = repositories(store, scope(org, primary_branch_only=primary))
    assert [(r.repo, r.commits, r.lines, r.ai) for r in page.items] == [("core", *expected)]


MARKDOWN = (".md", 1, LinePair(1), LinePair())


@pytest.mark.parametrize(
    ("resolution", "primary", "python"),
    [
        # extension, file changes, lines, AI lines; .md is one file of one line everywhere
        (False, False, (".py", 3, LinePair(6, 1), LinePair(3))),
        (False, True, (".py", 2, LinePair(5, 0), LinePair(3))),
        (True, False, (".py", 4, LinePair(7, 2), LinePair(4))),
        (True, True, (".py", 2, LinePair(6, 1), LinePair(4))),
    ],
)
def test_per_file_extension(
    store: Store,
    org: Organization,
    resolution: bool,
    primary: bool,
    python: tuple[str, int, LinePair, LinePair],
) -> None:
    merge_world.build(store, org, resolution=resolution)
    found = file_extensions(store, scope(org, primary_branch_only=primary))
    assert [(e.extension, e.file_changes, e.lines, e.ai) for e in found] == [python, MARKDOWN]
    only = commit_totals(store, scope(org, primary_branch_only=primary).with_extensions(["py"]))
    assert (only.lines, only.ai) == python[2:]


def test_extension_trend_and_commit_counts_under_an_extension_filter(
    store: Store, org: Organization
) -> None:
    merge_world.build(store, org, resolution=False)
    trend = daily_extension_trend(store, scope(org))
    assert [(d.day, d.extension, d.lines_added, d.ai_lines_added) for d in trend] == [
        (D1, ".md", 1, 0),
        (D1, ".py", 6, 3),
    ]
    # The merge touched .md files: it is one of the commits there, with no line of its own.
    markdown = commit_totals(store, scope(org).with_extensions(["md"]))
    assert (markdown.commits, markdown.lines) == (2, LinePair(1, 0))


def test_daily_trend_counts_the_merge_on_its_day(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=False)
    every = daily_commit_trend(store, scope(org))
    assert [(d.day, d.commits, d.lines, d.ai) for d in every] == [
        (D1, 3, LinePair(7, 1), LinePair(3, 0)),
        (D2, 1, LinePair(0, 0), LinePair(0, 0)),
    ]
    primary = daily_commit_trend(store, scope(org, primary_branch_only=True))
    assert [(d.day, d.commits, d.lines, d.ai) for d in primary] == [
        (D1, 1, LinePair(2, 0), LinePair(0, 0)),
        (D2, 1, LinePair(4, 0), LinePair(3, 0)),
    ]


def test_member_ranking(store: Store, org: Organization) -> None:
    merge_world.build(store, org, resolution=True)
    every = member_ranking(store, scope(org))
    assert [(m.email, m.commits, m.lines, m.ai) for m in every] == [
        ("ann@acme.dev", 3, LinePair(6, 2), LinePair(4, 0)),
        ("bob@acme.dev", 1, LinePair(2, 0), LinePair(0, 0)),
    ]
    primary = member_ranking(store, scope(org, primary_branch_only=True))
    assert [(m.email, m.commits, m.lines, m.ai) for m in primary] == [
        ("ann@acme.dev", 1, LinePair(5, 1), LinePair(4, 0)),
        ("bob@acme.dev", 1, LinePair(2, 0), LinePair(0, 0)),
    ]


def test_the_commit_list_shows_the_merge_with_its_first_parent_diff(
    store: Store, org: Organization
) -> None:
    merge_world.build(store, org, resolution=True)
    page = list_commits(store, scope(org))
    assert page.total == 4
    merge = next(c for c in page.items if c.commit_hash == MERGE)
    assert (merge.lines, merge.ai, merge.is_primary_branch) == (
        LinePair(5, 1),
        LinePair(4, 0),
        True,
    )
