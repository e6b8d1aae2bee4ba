"""Renames known from other commits, and the committer time, widen what a commit matches."""

from __future__ import annotations

import pytest

from aicode.store.base import Store
from tests.attribution.facts import change, commit, file, group, ts
from tests.conftest import Tenant
from tests.store.test_attribution import assert_rollups_fold_the_counted_commits, send, stored

LINES = ["def mean(xs):", "    return sum(xs) / len(xs)"]

# The agent wrote mean() in a.py; commits then rename a.py -> b.py -> c.py; a later commit
# (a squash of the branch, say) adds the same lines to c.py as a new file.
WRITTEN = change("w", ts(5, 9), "src/a.py", LINES)
FIRST_RENAME = commit("1a1a", ts(5, 10), [file("src/b.py", old_path="src/a.py")])
SECOND_RENAME = commit("2b2b", ts(5, 11), [file("src/c.py", old_path="src/b.py")])
SQUASHED = commit("3c3c", ts(5, 12), [file("src/c.py", added=[(1, LINES)])])
EXPECTED = [{"filePath": "src/c.py", "groups": [group([(1, 2)])]}]


@pytest.mark.parametrize(
    "order",
    [
        (WRITTEN, FIRST_RENAME, SECOND_RENAME, SQUASHED),
        (SQUASHED, SECOND_RENAME, FIRST_RENAME, WRITTEN),
        (FIRST_RENAME, SQUASHED, WRITTEN, SECOND_RENAME),
        (SECOND_RENAME, WRITTEN, SQUASHED, FIRST_RENAME),
    ],
    ids=["in order", "reversed", "mixed", "rename last"],
)
def test_renames_in_other_commits_are_followed(
    store: Store, tenant: Tenant, order: tuple[dict[str, object], ...]
) -> None:
    for fact in order:
        assert send(store, tenant.org, fact).accepted == 1
    assert stored(store, "3c3c")["annotations"] == EXPECTED
    assert_rollups_fold_the_counted_commits(store)


def test_renames_of_another_repository_are_not_followed(store: Store, tenant: Tenant) -> None:
    elsewhere = commit(
        "1a1a", ts(5, 10), [file("src/c.py", old_path="src/a.py")], repo="github.com/acme/lib"
    )
    send(store, tenant.org, WRITTEN, elsewhere, SQUASHED)
    assert stored(store, "3c3c")["annotations"] == []


def test_the_committer_time_ends_the_window_when_later(store: Store, tenant: Tenant) -> None:
    # A cherry-pick keeps the author time of a commit whose lines the agent wrote later.
    later = change("late", ts(6, 15), "src/c.py", LINES)
    picked = commit("4d4d", ts(6, 9), [file("src/c.py", added=[(1, LINES)])])
    send(store, tenant.org, later, picked)
    assert stored(store, "4d4d")["annotations"] == []
    send(store, tenant.org, picked | {"id": "5e5e", "commitHash": "5e5e", "committedAt": ts(6, 16)})
    assert stored(store, "5e5e")["annotations"] == EXPECTED
    assert_rollups_fold_the_counted_commits(store)
