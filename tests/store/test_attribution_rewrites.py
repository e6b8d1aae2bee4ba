"""Rewritten history in the store: amend, rebase, squash and cherry-pick, in any arrival order."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from aicode.metrics import (
    Filters,
    LinePair,
    commit_totals,
    file_extensions,
    find_commits,
    list_commits,
    repositories,
)
from aicode.model.attribution import AI_COLUMNS
from aicode.model.tenancy import Organization
from aicode.store.base import Store
from aicode.store.duckdb import DuckDBStore
from tests.attribution.facts import change, commit, file, group, rewrite, ts
from tests.conftest import Tenant
from tests.store.test_attribution import (
    FUNCTION,
    assert_rollups_fold_the_counted_commits,
    rows,
    send,
    stored,
)

MEAN = ["def mean(items):", "    return total(items) / len(items)"]

# An agent writes total(), the developer commits; the agent then writes mean() and the
# developer amends the commit (author time unchanged) with it.
AMEND_FACTS = {
    "ch1": change("ch1", ts(3, 9), "src/calc.py", FUNCTION, conversation="conv-1"),
    "old": commit("aa01", ts(3, 10), [file("src/calc.py", added=[(1, FUNCTION)])]),
    "ch2": change("ch2", ts(3, 11), "src/calc.py", MEAN, conversation="conv-2"),
    "new": commit("aa02", ts(3, 10), [file("src/calc.py", added=[(1, [*FUNCTION, "", *MEAN])])]),
    "rewrite": rewrite(ts(3, 12), "amend", [("aa01", "aa02")]),
}
AMENDED = {
    "ai": {"cli_agent_added": 8},
    "totals": (8, 0),
    "annotations": [
        {
            "filePath": "src/calc.py",
            "groups": [group([(1, 6)]), group([(7, 8)], conversation="conv-2")],
        }
    ],
    "origin": "server",
    "replaced_by": None,
}


def counted(store: Store, org: Organization, **rest: Any) -> tuple[int, LinePair, LinePair]:
    totals = commit_totals(store, Filters(org.num, **rest))
    return totals.commits, totals.lines, totals.ai


def test_amend_replaces_the_old_commit_and_keeps_the_new_lines_attributed(
    store: Store, tenant: Tenant
) -> None:
    org = tenant.org
    send(store, org, AMEND_FACTS["ch1"], AMEND_FACTS["old"])
    assert counted(store, org) == (1, LinePair(5, 0), LinePair(5, 0))
    send(store, org, AMEND_FACTS["ch2"], AMEND_FACTS["new"])
    # Before the mapping arrives both commits count, and mean() is newer than the amended
    # commit's author time: it does not match yet.
    assert stored(store, "aa02")["totals"] == (5, 0)
    assert counted(store, org) == (2, LinePair(13, 0), LinePair(10, 0))
    assert send(store, org, AMEND_FACTS["rewrite"]).accepted == 1
    assert stored(store, "aa02") == AMENDED
    assert stored(store, "aa01")["replaced_by"] == "aa02"
    assert counted(store, org) == (1, LinePair(8, 0), LinePair(8, 0))
    assert_rollups_fold_the_counted_commits(store)
    # The mapping again, or the old commit again, changes nothing.
    assert send(store, org, AMEND_FACTS["rewrite"], AMEND_FACTS["old"]).duplicates == 2
    assert counted(store, org) == (1, LinePair(8, 0), LinePair(8, 0))
    assert_rollups_fold_the_counted_commits(store)


def snapshot(store: Store, org: Organization) -> dict[str, Any]:
    """Everything attribution writes for an organization, without its internal numbers."""
    assert isinstance(store, DuckDBStore)
    store.compact_rollups()  # one row per key, as the assertions list them
    ai = ", ".join(AI_COLUMNS)
    where = f"WHERE org_num = {org.num}"
    return {
        "commits": rows(
            store,
            f"SELECT commit_hash, {ai}, ai_lines_added, ai_lines_deleted, range_annotations,"
            f" attribution_origin, replaced_by, rewritten_at FROM commits {where}"
            " ORDER BY commit_hash",
        ),
        "files": rows(
            store,
            f"SELECT commit_hash, path, {ai}, replaced_by FROM commit_files {where} ORDER BY ALL",
        ),
        "by_day": rows(
            store,
            f"SELECT * EXCLUDE (org_num, user_num) FROM commit_user_day {where} ORDER BY ALL",
        ),
        "by_extension": rows(
            store,
            f"SELECT * EXCLUDE (org_num, user_num) FROM commit_ext_user_day {where} ORDER BY ALL",
        ),
    }


def test_any_arrival_order_gives_the_same_result(store: Store) -> None:
    names = list(AMEND_FACTS)
    orders = list(itertools.permutations(names))
    random.Random(11).shuffle(orders)
    results = []
    for number, order in enumerate(orders[:16]):
        org = store.create_organization(f"org-{number}")
        for name in order:
            assert send(store, org, AMEND_FACTS[name]).accepted == 1, order
        assert stored(store, "aa02", org) == AMENDED, order
        assert counted(store, org) == (1, LinePair(8, 0), LinePair(8, 0)), order
        results.append((order, snapshot(store, org)))
    first = results[0][1]
    for order, result in results[1:]:
        assert result == first, order
    assert_rollups_fold_the_counted_commits(store)


A_LINES = ["import os", "ROOT = os.getcwd()"]
B_LINES = ["def main():", "    print(ROOT)"]
SQUASH_FACTS = [
    change("cha", ts(3, 9), "src/a.py", A_LINES, conversation="conv-a"),
    commit("bb01", ts(3, 10), [file("src/a.py", added=[(1, A_LINES)])]),
    change("chb", ts(4, 13), "src/b.py", B_LINES, conversation="conv-b", product="ide"),
    commit("bb02", ts(4, 14), [file("src/b.py", added=[(1, B_LINES)])], parents=["bb01"]),
    # rebase -i squashing both: the first commit's author time, both commits' lines.
    commit(
        "bb03",
        ts(3, 10),
        [file("src/a.py", added=[(1, A_LINES)]), file("src/b.py", added=[(1, B_LINES)])],
    ),
]


def test_a_squash_replaces_every_squashed_commit(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    send(store, org, *SQUASH_FACTS)
    assert counted(store, org) == (3, LinePair(8, 0), LinePair(6, 0))
    send(store, org, rewrite(ts(4, 15), "rebase", [("bb01", "bb03"), ("bb02", "bb03")]))
    assert stored(store, "bb03") == {
        "ai": {"cli_agent_added": 2, "ide_agent_added": 2},
        "totals": (4, 0),
        "annotations": [
            {"filePath": "src/a.py", "groups": [group([(1, 2)], conversation="conv-a")]},
            {
                "filePath": "src/b.py",
                "groups": [group([(1, 2)], conversation="conv-b", product="ide")],
            },
        ],
        "origin": "server",
        "replaced_by": None,
    }
    assert [stored(store, h)["replaced_by"] for h in ("bb01", "bb02")] == ["bb03", "bb03"]
    assert counted(store, org) == (1, LinePair(4, 0), LinePair(4, 0))
    # bb02's day had no other commit: its rollup rows are gone, not left at zero.
    assert isinstance(store, DuckDBStore)
    store.compact_rollups()
    assert rows(store, "SELECT day, commits FROM commit_user_day") == [
        {"day": dt.date(2025, 6, 3), "commits": 1}
    ]
    assert_rollups_fold_the_counted_commits(store)


def test_a_rebase_moves_the_count_to_the_new_hashes_with_the_same_attribution(
    store: Store, tenant: Tenant
) -> None:
    org = tenant.org
    send(store, org, *SQUASH_FACTS[:4])
    before = [stored(store, h) for h in ("bb01", "bb02")]
    rebased = [
        commit("dd01", ts(3, 10), [file("src/a.py", added=[(1, A_LINES)])], parents=["9999"]),
        commit("dd02", ts(4, 14), [file("src/b.py", added=[(1, B_LINES)])], parents=["dd01"]),
    ]
    send(store, org, *rebased)
    assert counted(store, org) == (4, LinePair(8, 0), LinePair(8, 0))
    send(store, org, rewrite(ts(5, 9), "rebase", [("bb01", "dd01"), ("bb02", "dd02")]))
    assert [stored(store, h) for h in ("dd01", "dd02")] == before
    assert counted(store, org) == (2, LinePair(4, 0), LinePair(4, 0))
    # Amending the rebased commit afterwards replaces it in turn.
    send(
        store,
        org,
        commit("dd03", ts(4, 14), [file("src/b.py", added=[(1, B_LINES)])]),
        rewrite(ts(5, 10), "amend", [("dd02", "dd03")]),
    )
    assert stored(store, "dd03") == before[1]
    assert counted(store, org) == (2, LinePair(4, 0), LinePair(4, 0))
    assert_rollups_fold_the_counted_commits(store)


def test_a_cherry_pick_is_a_commit_of_its_own_with_the_same_attribution(
    store: Store, tenant: Tenant
) -> None:
    org = tenant.org
    send(store, org, *SQUASH_FACTS[:2])
    picked = commit(
        "ee01",
        ts(3, 10),
        [file("src/a.py", added=[(1, A_LINES)])],
        branch="release",
        primary=False,
    )
    send(store, org, picked)
    assert stored(store, "ee01") == stored(store, "bb01")
    assert counted(store, org) == (2, LinePair(4, 0), LinePair(4, 0))
    assert counted(store, org, primary_branch_only=True) == (1, LinePair(2, 0), LinePair(2, 0))


def test_replaced_commits_leave_every_metric(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    other_repo = commit(
        "ff01", ts(3, 10), [file("docs/x.md", added=[(1, ["text"])])], repo="github.com/acme/doc"
    )
    send(store, org, other_repo)
    send(store, org, rewrite(ts(3, 11), "amend", [("ff01", "ff02")], repo="github.com/acme/doc"))
    # The old commit is gone from totals, lists, repositories and extensions...
    scope = Filters(org.num)
    assert counted(store, org) == (0, LinePair(0, 0), LinePair(0, 0))
    assert counted(store, org, file_extensions=(".md",)) == (0, LinePair(0, 0), LinePair(0, 0))
    assert list_commits(store, scope).total == 0
    assert repositories(store, scope).total == 0
    assert file_extensions(store, scope) == []
    # ...but still found by its hash, saying what replaced it.
    (found,) = find_commits(store, org.num, "FF01")
    assert (found.replaced_by, found.attribution_origin) == ("ff02", "server")
    assert_rollups_fold_the_counted_commits(store)


def test_a_rewrite_only_touches_its_own_repository(store: Store, tenant: Tenant) -> None:
    org = tenant.org
    same_hash = [
        commit("ab01", ts(3, 10), [file("a.py", added=[(1, ["a = 1"])])], repo="r/one"),
        commit("ab01", ts(3, 10), [file("a.py", added=[(1, ["a = 1"])])], repo="r/two"),
    ]
    send(store, org, *same_hash)
    send(store, org, rewrite(ts(3, 11), "amend", [("ab01", "ab02")], repo="r/one"))
    found = find_commits(store, org.num, "ab01")
    assert sorted((c.repo, c.replaced_by) for c in found) == [
        ("r/one", "ab02"),
        ("r/two", None),
    ]
    assert counted(store, org) == (1, LinePair(1, 0), LinePair(0, 0))


@pytest.mark.parametrize("kind", ["amend", "rebase"])
def test_rewrites_of_other_organizations_do_not_apply(
    store: Store, tenant: Tenant, other_tenant: Tenant, kind: str
) -> None:
    send(store, tenant.org, *SQUASH_FACTS[:2])
    send(store, other_tenant.org, rewrite(ts(3, 11), kind, [("bb01", "bb09")]))
    assert stored(store, "bb01")["replaced_by"] is None
    assert counted(store, tenant.org) == (1, LinePair(2, 0), LinePair(2, 0))
