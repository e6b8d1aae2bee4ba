# ruff: noqa: F811 (test arguments name the qoder_org fixture imported below)
"""Qoder's AI-code tracking over HTTP: commit and change lists, CSV exports, commit detail."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.store.base import Store
from tests.surfaces.conftest_qoder import (
    FORMULA_MESSAGE,
    QUOTED_MESSAGE,
    QoderOrg,
    commit_json,
    qoder_org,  # noqa: F401
    received_at,
)

D1_D4 = "startDate=2025-06-02T00:00:00Z&endDate=2025-06-06T00:00:00Z"
# The header rows exactly as the seed documents them.
COMMIT_HEADER = (
    "commitHash,userId,userEmail,userName,repoName,branchName,isPrimaryBranch,"
    "totalLinesAdded,totalLinesDeleted,"
    "ideNextLinesAdded,ideNextLinesDeleted,pluginNextLinesAdded,pluginNextLinesDeleted,"
    "ideAgentLinesAdded,ideAgentLinesDeleted,pluginAgentLinesAdded,pluginAgentLinesDeleted,"
    "cliAgentLinesAdded,cliAgentLinesDeleted,ideQuestLinesAdded,ideQuestLinesDeleted,"
    "ideInlineChatLinesAdded,ideInlineChatLinesDeleted,jbInlineChatLinesAdded,"
    "jbInlineChatLinesDeleted,nonAiLinesAdded,nonAiLinesDeleted,message,commitTs,createdAt"
)
CHANGE_HEADER = "changeId,userId,userEmail,source,model,totalLinesAdded,totalLinesDeleted,createdAt"


def all_commits(org: QoderOrg, store: Store) -> dict[str, dict[str, Any]]:
    """Every commit of the organization as the JSON list must show it, by hash."""
    world = org.world
    ann, bob, cid = world.ann.id, world.bob.id, world.cid.id
    created = received_at(store, "commits", "commit_hash")
    rows = [
        commit_json(
            "eeee0006", bob, "bob@acme.dev", "web", "main", True, (3, 1),
            {"ideInlineChat": (1, 0), "nonAi": (2, 1)},
            QUOTED_MESSAGE, "2025-06-05T10:00:00Z", created["eeee0006"],
        ),
        commit_json(
            "dddd0005", ann, "ann@acme.dev", "core", "main", True, (6, 2),
            {
                "pluginNext": (1, 0),
                "pluginAgent": (2, 0),
                "cliAgent": (1, 0),
                "jbInlineChat": (1, 1),
                "nonAi": (1, 1),
            },
            FORMULA_MESSAGE, "2025-06-05T09:00:00Z", created["dddd0005"],
        ),
        # No branch was sent: empty name, not primary.
        commit_json(
            "cccc0004", cid, "cid@acme.dev", "core-tools", "", False, (10, 5),
            {"nonAi": (10, 5)}, "", "2025-06-04T17:00:00Z", created["cccc0004"],
        ),
        commit_json(
            "aaaa0003", ann, "ann@acme.dev", "core", "main", True, (3, 0),
            {"ideQuest": (3, 0), "nonAi": (0, 0)}, "", "2025-06-04T15:00:00Z", created["aaaa0003"],
        ),
        commit_json(
            "bbbb0002", bob, "bob@acme.dev", "web", "feat", False, (4, 0),
            {"ideNext": (2, 0), "nonAi": (2, 0)}, "", "2025-06-03T15:00:00Z", created["bbbb0002"],
        ),
        commit_json(
            "aaaa0001", ann, "ann@acme.dev", "core", "main", True, (6, 2),
            {"ideAgent": (3, 1), "nonAi": (3, 1)},
            "feat: app", "2025-06-02T15:00:00Z", created["aaaa0001"],
        ),
    ]  # fmt: skip
    return {r["commitHash"]: r for r in rows}


def page(items: list[dict[str, Any]], current: int, size: int, total: int) -> dict[str, Any]:
    pages = (total + size - 1) // size
    return {
        "success": True,
        "data": {
            "items": items,
            "pagination": {
                "currentPage": current,
                "pageSize": size,
                "totalItems": total,
                "totalPages": pages,
            },
        },
    }


def test_commits_newest_first(client: TestClient, qoder_org: QoderOrg, store: Store) -> None:
    commits = all_commits(qoder_org, store)
    body = qoder_org.get(client, "ai-code-tracking/commits", D1_D4).json()
    assert body == page(list(commits.values()), 1, 100, 6)
    second = qoder_org.get(client, "ai-code-tracking/commits", D1_D4 + "&pageSize=2&page=2")
    assert second.json() == page([commits["cccc0004"], commits["aaaa0003"]], 2, 2, 6)
    beyond = qoder_org.get(client, "ai-code-tracking/commits", D1_D4 + "&pageSize=2&page=4")
    assert beyond.json() == page([], 4, 2, 6)


@pytest.mark.parametrize(
    ("query", "hashes"),
    [
        ("&repoName=core", ["dddd0005", "aaaa0003", "aaaa0001"]),
        ("&userEmail=cid@acme.dev", ["cccc0004"]),
        ("&userEmail=nobody@acme.dev", []),
        ("&userId=00000000-0000-4000-8000-000000000000", []),
    ],
)
def test_commit_filters(
    client: TestClient, qoder_org: QoderOrg, store: Store, query: str, hashes: list[str]
) -> None:
    commits = all_commits(qoder_org, store)
    body = qoder_org.get(client, "ai-code-tracking/commits", D1_D4 + query).json()
    assert body == page([commits[h] for h in hashes], 1, 100, len(hashes))


def test_commit_user_id_wins_over_email(
    client: TestClient, qoder_org: QoderOrg, store: Store
) -> None:
    commits = all_commits(qoder_org, store)
    bob = qoder_org.world.bob.id
    query = f"{D1_D4}&userId={bob}&userEmail=cid@acme.dev"
    body = qoder_org.get(client, "ai-code-tracking/commits", query).json()
    assert body == page([commits["eeee0006"], commits["bbbb0002"]], 1, 100, 2)


def test_commit_times_are_exact_instants(
    client: TestClient, qoder_org: QoderOrg, store: Store
) -> None:
    commits = all_commits(qoder_org, store)
    expected = page([commits[h] for h in ("dddd0005", "cccc0004", "aaaa0003")], 1, 100, 3)
    rfc = "startDate=2025-06-04T15:00:00Z&endDate=2025-06-05T09:00:00Z"
    assert qoder_org.get(client, "ai-code-tracking/commits", rfc).json() == expected
    millis = "startDate=1749049200000&endDate=1749114000000"
    assert qoder_org.get(client, "ai-code-tracking/commits", millis).json() == expected
    offset = "startDate=2025-06-04T23:00:00%2B08:00&endDate=2025-06-05T17:00:00%2B08:00"
    assert qoder_org.get(client, "ai-code-tracking/commits", offset).json() == expected


def test_tracking_defaults_to_the_last_90_days(client: TestClient, qoder_org: QoderOrg) -> None:
    # Everything stored is from June 2025, long before now.
    for path in ("ai-code-tracking/commits", "ai-code-tracking/changes"):
        assert qoder_org.get(client, path).json() == page([], 1, 100, 0)
    exported = qoder_org.get(client, "ai-code-tracking/commits/export")
    assert exported.text == COMMIT_HEADER + "\n"


def change(
    org: QoderOrg,
    change_id: str,
    who: str,
    source: str,
    model: str,
    lines: tuple[int, int],
    files: list[tuple[str, str, int, int]],
    ts: str,
) -> dict[str, Any]:
    return {
        "changeId": change_id,
        "userId": getattr(org.world, who).id,
        "userEmail": f"{who}@acme.dev",
        "source": source,
        "model": model,
        "totalLinesAdded": lines[0],
        "totalLinesDeleted": lines[1],
        "metadata": [
            {"fileName": n, "fileExtension": e, "linesAdded": a, "linesDeleted": d}
            for n, e, a, d in files
        ],
        "createdAt": ts,
    }


def all_changes(org: QoderOrg) -> dict[str, dict[str, Any]]:
    """Every AI change as the JSON list must show it, newest first, by id."""
    rows = [
        # COMPOSER is stored as AGENT; a change may have no files.
        change(org, "g7", "cid", "AGENT", "", (0, 0), [], "2025-06-05T13:00:00Z"),
        change(
            org, "g6", "ann", "INLINECHAT", "auto", (3, 2),
            [("src/app.py", ".py", 2, 2), ("src/util.ts", ".ts", 1, 0)],
            "2025-06-05T12:00:00Z",
        ),
        change(org, "g5", "bob", "NEXT", "lite", (1, 0), [("web/ui.ts", ".ts", 1, 0)],
               "2025-06-05T11:00:00Z"),
        change(
            org, "g4", "ann", "QUEST", "", (3, 0),
            [("src/app.py", ".py", 2, 0), ("docs/readme.md", ".md", 1, 0)],
            "2025-06-04T10:00:00Z",
        ),
        # Not accepted, still a suggested edit.
        change(org, "g3", "bob", "AGENT", "", (4, 2), [("web/ui.ts", ".ts", 4, 2)],
               "2025-06-04T09:00:00Z"),
        # TAB is Qoder's NEXT.
        change(org, "g2", "bob", "NEXT", "", (2, 0), [("web/ui.ts", ".ts", 2, 0)],
               "2025-06-03T11:00:00Z"),
        change(org, "g1", "ann", "AGENT", "m1", (3, 1), [("src/app.py", ".py", 3, 1)],
               "2025-06-02T13:00:00Z"),
    ]  # fmt: skip
    return {r["changeId"]: r for r in rows}


def test_changes_newest_first(client: TestClient, qoder_org: QoderOrg) -> None:
    changes = all_changes(qoder_org)
    body = qoder_org.get(client, "ai-code-tracking/changes", D1_D4).json()
    assert body == page(list(changes.values()), 1, 100, 7)
    second = qoder_org.get(client, "ai-code-tracking/changes", D1_D4 + "&pageSize=3&page=3")
    assert second.json() == page([changes["g1"]], 3, 3, 7)


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("&source=NEXT", ["g5", "g2"]),
        ("&source=agent", ["g7", "g3", "g1"]),
        ("&source=QUEST", ["g4"]),
        ("&source=INLINECHAT", ["g6"]),
        ("&userEmail=ann@acme.dev", ["g6", "g4", "g1"]),
        ("&userEmail=ann@acme.dev&source=AGENT", ["g1"]),
        ("&startDate=2025-06-04T10:00:00Z&endDate=2025-06-05T11:00:00Z", ["g5", "g4"]),
    ],
)
def test_change_filters(
    client: TestClient, qoder_org: QoderOrg, query: str, ids: list[str]
) -> None:
    changes = all_changes(qoder_org)
    body = qoder_org.get(client, "ai-code-tracking/changes", D1_D4 + query).json()
    assert body == page([changes[i] for i in ids], 1, 100, len(ids))


def test_change_user_id_filter(client: TestClient, qoder_org: QoderOrg) -> None:
    changes = all_changes(qoder_org)
    query = f"{D1_D4}&userId={qoder_org.world.cid.id}&userEmail=ann@acme.dev"
    body = qoder_org.get(client, "ai-code-tracking/changes", query).json()
    assert body == page([changes["g7"]], 1, 100, 1)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_csv(item: dict[str, Any]) -> dict[str, str]:
    """A JSON item as csv.DictReader reads its exported row back."""
    return {
        k: ("true" if v is True else "false" if v is False else str(v)) for k, v in item.items()
    }


def test_commit_export_matches_the_list(
    client: TestClient, qoder_org: QoderOrg, store: Store
) -> None:
    response = qoder_org.get(client, "ai-code-tracking/commits/export", D1_D4)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ai-code-commits.csv"'
    assert response.text.split("\n", 1)[0] == COMMIT_HEADER
    names = {u.id: u.display_name for u in store.list_users(qoder_org.world.org)}
    listed = qoder_org.get(client, "ai-code-tracking/commits", D1_D4).json()["data"]["items"]
    expected = []
    for item in listed:
        row = as_csv(item)
        row["userName"] = names[item["userId"]] or ""
        # A spreadsheet would run these as formulas: they are quoted with a leading '.
        if row["message"][:1] in ("=", "-"):
            row["message"] = "'" + row["message"]
        expected.append(row)
    assert csv_rows(response.text) == expected
    assert [r["message"] for r in expected[:2]] == ["'" + QUOTED_MESSAGE, "'" + FORMULA_MESSAGE]
    # Quoting: commas, quotes and the line break stay inside one cell.
    assert '"\'-1 fix, ""quoted""\nsecond line"' in response.text
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in response.text


def test_commit_export_filters(client: TestClient, qoder_org: QoderOrg) -> None:
    query = D1_D4 + "&repoName=web"
    response = qoder_org.get(client, "ai-code-tracking/commits/export", query)
    assert [r["commitHash"] for r in csv_rows(response.text)] == ["eeee0006", "bbbb0002"]
    bob = qoder_org.get(
        client, "ai-code-tracking/commits/export", D1_D4 + "&userEmail=bob@acme.dev&pageSize=1"
    )
    # The export ignores paging: every row of the scope.
    assert [r["commitHash"] for r in csv_rows(bob.text)] == ["eeee0006", "bbbb0002"]


def test_change_export_matches_the_list(client: TestClient, qoder_org: QoderOrg) -> None:
    response = qoder_org.get(client, "ai-code-tracking/changes/export", D1_D4)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ai-code-changes.csv"'
    assert response.text.split("\n", 1)[0] == CHANGE_HEADER
    listed = qoder_org.get(client, "ai-code-tracking/changes", D1_D4).json()["data"]["items"]
    expected = [as_csv({k: v for k, v in i.items() if k != "metadata"}) for i in listed]
    assert csv_rows(response.text) == expected
    assert len(expected) == 7
    agents = qoder_org.get(client, "ai-code-tracking/changes/export", D1_D4 + "&source=AGENT")
    assert [r["changeId"] for r in csv_rows(agents.text)] == ["g7", "g3", "g1"]


DDDD0005_ANNOTATIONS = [
    {
        "filePath": "src/app.py",
        "groups": [
            {
                "conversationId": "s9",
                "source": "AGENT",
                "productType": "cli",
                "type": "added",
                "ranges": [{"start": 3, "end": 3}],
            },
            {
                "conversationId": "",
                "source": "NEXT",
                "productType": "plugin",
                "type": "added",
                "ranges": [{"start": 1, "end": 1}],
            },
            {
                "conversationId": "s10",
                "source": "INLINECHAT",
                "productType": "plugin",
                "type": "added",
                "ranges": [{"start": 2, "end": 2}],
            },
            {
                "conversationId": "s10",
                "source": "INLINECHAT",
                "productType": "plugin",
                "type": "deleted",
                "ranges": [{"start": 7, "end": 7}],
            },
        ],
    },
    {
        "filePath": "src/util.ts",
        "groups": [
            {
                "conversationId": "s11",
                "source": "AGENT",
                "productType": "plugin",
                "type": "added",
                "ranges": [{"start": 1, "end": 2}],
            }
        ],
    },
]


def test_commit_detail_in_request_order(client: TestClient, qoder_org: QoderOrg) -> None:
    body = {"commitHashes": ["789ghi012jkl", "DDDD0005", "aaaa0001", "dddd0005"]}
    response = qoder_org.post(client, "ai-code-tracking/commits/detail", body)
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {
            "commits": [
                # Unknown: empty annotations, not an error.
                {"commitHash": "789ghi012jkl", "rangeAnnotations": []},
                {"commitHash": "DDDD0005", "rangeAnnotations": DDDD0005_ANNOTATIONS},
                # Known, without AI line ranges.
                {"commitHash": "aaaa0001", "rangeAnnotations": []},
                {"commitHash": "dddd0005", "rangeAnnotations": DDDD0005_ANNOTATIONS},
            ]
        },
    }


def test_commit_detail_by_branch(client: TestClient, qoder_org: QoderOrg) -> None:
    main = {"commitHashes": ["dddd0005"], "branch": "main"}
    assert qoder_org.post(client, "ai-code-tracking/commits/detail", main).json() == {
        "success": True,
        "data": {"commits": [{"commitHash": "dddd0005", "rangeAnnotations": DDDD0005_ANNOTATIONS}]},
    }
    feat = {"commitHashes": ["dddd0005"], "branch": "feat"}
    assert qoder_org.post(client, "ai-code-tracking/commits/detail", feat).json() == {
        "success": True,
        "data": {"commits": [{"commitHash": "dddd0005", "rangeAnnotations": []}]},
    }


def test_commit_detail_takes_50_hashes(client: TestClient, qoder_org: QoderOrg) -> None:
    hashes = [f"{i:08x}" for i in range(49)] + ["dddd0005"]
    response = qoder_org.post(client, "ai-code-tracking/commits/detail", {"commitHashes": hashes})
    commits = response.json()["data"]["commits"]
    assert [c["commitHash"] for c in commits] == hashes
    assert [c["rangeAnnotations"] for c in commits] == [[]] * 49 + [DDDD0005_ANNOTATIONS]
