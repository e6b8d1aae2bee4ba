"""Server-side attribution in the store: at ingest, after late changes, and the rollups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlglot

from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.metrics import Filters, LinePair, commit_totals
from aicode.model.attribution import AI_COLUMNS
from aicode.model.tenancy import Organization
from aicode.store import open_store
from aicode.store.base import IngestOutcome, Store
from aicode.store.duckdb.attribution import Attributor
from tests.attribution.facts import change, commit, file, group, ts
from tests.conftest import Tenant
from tests.store.older_stores import rewind_to_version_7

FUNCTION = [
    "def total(items):",
    "    result = 0",
    "    for item in items:",
    "        result += item",
    "    return result",
]
EDITED = [FUNCTION[0], "    result = 1", *FUNCTION[2:]]  # the person changed line 2

AGENT_CHANGE = change(
    "ch1", ts(2, 10), "src/calc.py", FUNCTION, ["old_total = 0"], conversation="conv-1"
)
TAB_CHANGE = change(
    "ch2", ts(2, 11), "src/calc.py", ["x = helper()"], source="TAB", product="plugin",
    conversation=None,
)  # fmt: skip
COMMIT = commit(
    "c0ffee01",
    ts(2, 12),
    [
        file(
            "src/calc.py",
            added=[(1, [*EDITED, "", "print(total([1, 2]))"]), (20, ["x = helper()"])],
            deleted=[(1, ["old_total = 0", "keep = 1"])],
        ),
        file("README.md", added=[(3, ["Usage: total(items)"])]),
    ],
)
COMMIT_ANNOTATIONS = [
    {
        "filePath": "src/calc.py",
        "groups": [
            group([(1, 1), (3, 5)]),
            group([(20, 20)], conversation=None, source="TAB", product="plugin"),
            group([(1, 1)], kind="deleted"),
        ],
    }
]


def send(store: Store, org: Organization, *items: dict[str, Any]) -> IngestOutcome:
    decoded = [decode_item(msgspec.json.encode(item), i) for i, item in enumerate(items)]
    return ingest_items(store, org, decoded)


def rows(store: Store, sql: str) -> list[dict[str, Any]]:
    return store.query(sqlglot.parse_one(sql, dialect="duckdb"))  # type: ignore[arg-type]


def stored(store: Store, commit_hash: str, org: Organization | None = None) -> dict[str, Any]:
    """A commit's attribution as stored: non-zero AI columns, annotations, origin."""
    ai = ", ".join(AI_COLUMNS)
    of_org = f" AND org_num = {org.num}" if org else ""
    (row,) = rows(
        store,
        f"SELECT {ai}, ai_lines_added, ai_lines_deleted, range_annotations,"
        f" attribution_origin, replaced_by FROM commits"
        f" WHERE commit_hash = '{commit_hash}'{of_org}",
    )
    return {
        "ai": {c: row[c] for c in AI_COLUMNS if row[c]},
        "totals": (row["ai_lines_added"], row["ai_lines_deleted"]),
        "annotations": msgspec.json.decode(row["range_annotations"] or "[]"),
        "origin": row["attribution_origin"],
        "replaced_by": row["replaced_by"],
    }


def file_ai(store: Store, commit_hash: str) -> dict[str, dict[str, int]]:
    ai = ", ".join(AI_COLUMNS)
    found = rows(
        store,
        f"SELECT path, {ai}, ai_lines_added, ai_lines_deleted FROM commit_files"
        f" WHERE commit_hash = '{commit_hash}' ORDER BY position",
    )
    return {r.pop("path"): {c: v for c, v in r.items() if v} for r in found}


_MEASURES = ", ".join(f"sum({c}) AS {c}" for c in ("lines_added", "lines_deleted", *AI_COLUMNS))
_PRIMARY = "CASE WHEN is_primary_branch THEN 1 WHEN NOT is_primary_branch THEN 0 ELSE -1 END"


def assert_rollups_fold_the_counted_commits(store: Store) -> None:
    """The commit rollups equal a fresh fold of the commits that still count."""
    by_day = rows(
        store,
        f"SELECT org_num, user_num, day, repo, primary_branch, sum(commits) AS commits,"
        f" {_MEASURES} FROM commit_user_day GROUP BY ALL ORDER BY ALL",
    )
    expected_day = rows(
        store,
        f"SELECT org_num, user_num, ts::DATE AS day, repo, {_PRIMARY} AS primary_branch,"
        f" count(*) AS commits, {_MEASURES} FROM commits WHERE replaced_by IS NULL"
        " GROUP BY ALL ORDER BY ALL",
    )
    assert by_day == expected_day
    by_ext = rows(
        store,
        f"SELECT org_num, user_num, day, repo, primary_branch, extension, sum(files) AS files,"
        f" sum(commits) AS commits, {_MEASURES} FROM commit_ext_user_day"
        " GROUP BY ALL ORDER BY ALL",
    )
    expected_ext = rows(
        store,
        f"SELECT org_num, user_num, ts::DATE AS day, repo, {_PRIMARY} AS primary_branch,"
        f" extension, count(*) AS files, count(DISTINCT k) AS commits, {_MEASURES}"
        " FROM commit_files WHERE replaced_by IS NULL GROUP BY ALL ORDER BY ALL",
    )
    assert by_ext == expected_ext


def ai_added(store: Store, org: Organization) -> tuple[int, int, int]:
    totals = commit_totals(store, Filters(org.num))
    return totals.commits, totals.lines.added, totals.ai.added


# at ingest -----------------------------------------------------------------------------------


def test_a_commit_without_attribution_is_attributed_at_ingest(store: Store, tenant: Tenant) -> None:
    assert send(store, tenant.org, AGENT_CHANGE, TAB_CHANGE).accepted == 2
    assert send(store, tenant.org, COMMIT).accepted == 1
    assert stored(store, "c0ffee01") == {
        "ai": {"cli_agent_added": 4, "cli_agent_deleted": 1, "plugin_next_added": 1},
        "totals": (5, 1),
        "annotations": COMMIT_ANNOTATIONS,
        "origin": "server",
        "replaced_by": None,
    }
    assert file_ai(store, "c0ffee01") == {
        "src/calc.py": {
            "cli_agent_added": 4,
            "cli_agent_deleted": 1,
            "plugin_next_added": 1,
            "ai_lines_added": 5,
            "ai_lines_deleted": 1,
        },
        "README.md": {},
    }
    totals = commit_totals(store, Filters(tenant.org.num))
    assert (totals.commits, totals.lines, totals.ai) == (1, LinePair(9, 2), LinePair(5, 1))
    assert totals.by_pair["cliAgent"] == LinePair(4, 1)
    assert totals.by_pair["pluginNext"] == LinePair(1, 0)
    assert_rollups_fold_the_counted_commits(store)


def test_changes_and_commit_in_one_batch_give_the_same_result(store: Store, tenant: Tenant) -> None:
    assert send(store, tenant.org, COMMIT, TAB_CHANGE, AGENT_CHANGE).accepted == 3
    assert stored(store, "c0ffee01")["annotations"] == COMMIT_ANNOTATIONS
    assert_rollups_fold_the_counted_commits(store)


def test_a_commit_without_ai_changes_is_server_attributed_with_no_ai_lines(
    store: Store, tenant: Tenant
) -> None:
    send(store, tenant.org, COMMIT)
    assert stored(store, "c0ffee01") == {
        "ai": {},
        "totals": (0, 0),
        "annotations": [],
        "origin": "server",
        "replaced_by": None,
    }


def test_a_commit_without_listed_lines_is_left_alone(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, AGENT_CHANGE)
    bare = commit("0dd0dd", ts(2, 12), [{"path": "src/calc.py", "linesAdded": 5}])
    send(store, tenant.org, bare)
    assert stored(store, "0dd0dd")["origin"] == "none"


def test_client_attribution_is_kept_and_never_recomputed(store: Store, tenant: Tenant) -> None:
    client_sent = COMMIT | {"attribution": {"ideNextLinesAdded": 2}}
    send(store, tenant.org, AGENT_CHANGE, client_sent)
    send(store, tenant.org, TAB_CHANGE)
    assert stored(store, "c0ffee01") == {
        "ai": {"ide_next_added": 2},
        "totals": (2, 0),
        "annotations": [],
        "origin": "client",
        "replaced_by": None,
    }


# late changes --------------------------------------------------------------------------------


def test_changes_arriving_after_the_commit_re_attribute_it(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, COMMIT)
    assert ai_added(store, tenant.org) == (1, 9, 0)
    send(store, tenant.org, TAB_CHANGE)
    assert stored(store, "c0ffee01")["ai"] == {"plugin_next_added": 1}
    assert ai_added(store, tenant.org) == (1, 9, 1)
    assert_rollups_fold_the_counted_commits(store)
    send(store, tenant.org, AGENT_CHANGE)
    assert stored(store, "c0ffee01")["annotations"] == COMMIT_ANNOTATIONS
    assert ai_added(store, tenant.org) == (1, 9, 5)
    assert_rollups_fold_the_counted_commits(store)
    # A resent change is a duplicate: nothing moves.
    again = send(store, tenant.org, AGENT_CHANGE, TAB_CHANGE)
    assert (again.accepted, again.duplicates) == (0, 2)
    assert ai_added(store, tenant.org) == (1, 9, 5)
    assert_rollups_fold_the_counted_commits(store)


def test_a_more_recent_late_change_takes_the_lines_over(store: Store, tenant: Tenant) -> None:
    send(store, tenant.org, AGENT_CHANGE, COMMIT)
    newer = change(
        "ch3", ts(2, 11, 30), "src/calc.py", FUNCTION[2:4], source="INLINECHAT",
        product="plugin", conversation="chat-7",
    )  # fmt: skip
    send(store, tenant.org, newer)
    assert stored(store, "c0ffee01") == {
        "ai": {"cli_agent_added": 2, "cli_agent_deleted": 1, "jb_inline_chat_added": 2},
        "totals": (4, 1),
        "annotations": [
            {
                "filePath": "src/calc.py",
                "groups": [
                    group([(1, 1), (5, 5)]),
                    group([(3, 4)], conversation="chat-7", source="INLINECHAT", product="plugin"),
                    group([(1, 1)], kind="deleted"),
                ],
            }
        ],
        "origin": "server",
        "replaced_by": None,
    }
    assert_rollups_fold_the_counted_commits(store)


ONE_LINE = commit("abcabc01", ts(20, 12), [file("src/calc.py", added=[(1, ["x = helper()"])])])


@pytest.mark.parametrize(
    ("variant", "window_days", "ai"),
    [
        (change("m", ts(20, 11), "src/calc.py", ["x = helper()"]), 30, 1),
        (change("m", ts(20, 11), "src/calc.py", ["x = helper()"], repo=None), 30, 1),
        (change("m", ts(20, 11), "src/calc.py", ["x = helper()"], repo="github.com/acme/other"),
         30, 0),
        (change("m", ts(20, 11), "src/calc.py", ["x = helper()"], user="bob@acme.dev"), 30, 0),
        (change("m", ts(20, 11), "src/calc.py", ["x = helper()"], accepted=False), 30, 0),
        (change("m", ts(20, 11), "src/other.py", ["x = helper()"]), 30, 0),
        (change("m", ts(20, 12), "src/calc.py", ["x = helper()"]), 30, 1),
        (change("m", ts(20, 13), "src/calc.py", ["x = helper()"]), 30, 0),
        (change("m", ts(10, 12), "src/calc.py", ["x = helper()"]), 10, 1),
        (change("m", ts(10, 11), "src/calc.py", ["x = helper()"]), 10, 0),
        (change("m", ts(10, 11), "src/calc.py", ["x = helper()"]), 30, 1),
    ],
)  # fmt: skip
@pytest.mark.parametrize("late", [False, True], ids=["change first", "change late"])
def test_which_changes_may_match(
    tmp_path: Path, variant: dict[str, Any], window_days: int, ai: int, late: bool
) -> None:
    store = open_store(str(tmp_path / "w.duckdb"), attribution_window_days=window_days)
    try:
        org = store.create_organization("acme")
        for fact in [ONE_LINE, variant] if late else [variant, ONE_LINE]:
            assert send(store, org, fact).accepted == 1
        assert stored(store, "abcabc01")["totals"] == (ai, 0)
        assert_rollups_fold_the_counted_commits(store)
    finally:
        store.close()


def test_changes_of_another_organization_never_match(
    store: Store, tenant: Tenant, other_tenant: Tenant
) -> None:
    send(store, other_tenant.org, AGENT_CHANGE, TAB_CHANGE)
    send(store, tenant.org, COMMIT)
    send(store, other_tenant.org, change("late", ts(2, 11), "src/calc.py", FUNCTION))
    assert stored(store, "c0ffee01")["totals"] == (0, 0)


def test_a_renamed_file_follows_changes_to_its_old_path(store: Store, tenant: Tenant) -> None:
    renamed = commit(
        "ee11ee11",
        ts(2, 12),
        [file("lib/calc.py", added=[(7, ["x = helper()"])], old_path="src/calc.py")],
    )
    send(store, tenant.org, renamed)
    send(store, tenant.org, TAB_CHANGE)
    assert stored(store, "ee11ee11")["annotations"] == [
        {
            "filePath": "lib/calc.py",
            "groups": [group([(7, 7)], conversation=None, source="TAB", product="plugin")],
        }
    ]


def test_commits_stored_before_server_attribution_are_attributed_when_the_store_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "old.duckdb")
    # A store that did not attribute yet: commits with lines stay "none".
    monkeypatch.setattr(Attributor, "after_insert", lambda *args: None)
    old = open_store(path)
    org = old.create_organization("acme")
    send(old, org, AGENT_CHANGE, TAB_CHANGE, COMMIT)
    assert stored(old, "c0ffee01")["origin"] == "none"
    old.close()
    monkeypatch.undo()
    rewind_to_version_7(path)  # a store from before the backfill was remembered as done
    for _ in range(2):  # the second opening finds nothing left to do
        store = open_store(path)
        try:
            assert stored(store, "c0ffee01") == {
                "ai": {"cli_agent_added": 4, "cli_agent_deleted": 1, "plugin_next_added": 1},
                "totals": (5, 1),
                "annotations": COMMIT_ANNOTATIONS,
                "origin": "server",
                "replaced_by": None,
            }
            assert ai_added(store, org) == (1, 9, 5)
            assert_rollups_fold_the_counted_commits(store)
        finally:
            store.close()
