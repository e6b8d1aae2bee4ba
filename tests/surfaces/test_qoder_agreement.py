# ruff: noqa: F811 (test arguments name the qoder_org fixture imported below)
"""Qoder's numbers equal the native API's for the same filters: the world and the demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, build_demo
from aicode.model.attribution import ATTRIBUTION_PAIRS
from aicode.store.base import Store
from tests.surfaces.conftest_qoder import (
    QoderOrg,
    qoder_org,  # noqa: F401
)

DEMO = DemoConfig(seed=7, developers=20, days=14, end=dt.date(2025, 3, 14))


class Both:
    """Calls to the native API and to Qoder's, for one organization and read token."""

    def __init__(self, client: TestClient, org_id: str, token: str) -> None:
        self.client = client
        self.org_id = org_id
        self.headers = {"Authorization": f"Bearer {token}"}

    def native(self, path: str, query: str) -> Any:
        url = f"/api/v1/organizations/{self.org_id}/{path}?{query}"
        response = self.client.get(url, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()

    def qoder(self, path: str, query: str) -> Any:
        url = f"/v1/organizations/{self.org_id}/{path}?{query}"
        response = self.client.get(url, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()


def native_query(start: str, end: str, **filters: str) -> str:
    names = {"repo_name": "repo", "user_id": "user", "file_extensions": "fileExtensions"}
    names["primary_branch_only"] = "primaryBranchOnly"
    return "&".join(
        [f"start={start}", f"end={end}"] + [f"{names[k]}={v}" for k, v in filters.items()]
    )


def qoder_query(start: str, end: str, **filters: str) -> str:
    parts = [f"start_date={start}T00:00:00Z", f"end_date={end}T23:59:59Z"]
    return "&".join(parts + [f"{k}={v}" for k, v in filters.items()])


def assert_stats_agree(both: Both, start: str, end: str, **filters: str) -> None:
    """Overview, trend, ranking, repositories and extensions equal the native numbers."""
    native_q, qoder_q = native_query(start, end, **filters), qoder_query(start, end, **filters)
    # Assistant events have no repository, branch or file: compare them unfiltered by those.
    people = {k: v for k, v in filters.items() if k == "user_id"}
    native = both.native("overview", native_q)
    events = both.native("overview", native_query(start, end, **people))
    committed = native["committed"]
    assert both.qoder("ai-code/stats/overview", qoder_q) == {
        "committedTotalLinesEdit": committed["linesAdded"] + committed["linesDeleted"],
        "committedAiLinesEdit": committed["aiLinesAdded"] + committed["aiLinesDeleted"],
        "acceptedLinesEdit": native["changes"]["acceptedLinesAdded"]
        + native["changes"]["acceptedLinesDeleted"],
        "aiShareRate": committed["aiShareRate"],
        "agentEditCount": events["changes"]["agentEdits"],
        "tabCompletionCount": events["completions"]["accepted"],
        "messageCount": events["chats"]["turns"],
    }

    daily = both.native("daily", native_q)["items"]
    event_days = both.native("daily", native_query(start, end, **people))["items"]
    trend = both.qoder("ai-code/stats/daily-trend", qoder_q)
    assert trend["items"] == [
        {
            "date": f"{d['date']}T00:00:00Z",
            "aiLinesAdded": d["aiLinesAdded"],
            "otherLinesAdded": d["linesAdded"] - d["aiLinesAdded"],
            "aiShareRate": d["aiShareRate"],
            "commitCount": d["commits"],
        }
        for d in daily
        if d["commits"]
    ]
    assert trend["nextItems"] == [
        {
            "date": f"{d['date']}T00:00:00Z",
            "nextSuggestedCount": d["completionsSuggested"],
            "nextAcceptedCount": d["completionsAccepted"],
            "nextAcceptRate": d["acceptanceRate"],
        }
        for d in event_days
        if d["completionsSuggested"] or d["completionsAccepted"]
    ]
    per_extension: dict[str, int] = {}
    for item in trend["extItems"]:
        key = item["fileExtension"]
        per_extension[key] = per_extension.get(key, 0) + item["totalLinesAdded"]
    extensions = both.native("extensions", native_q)["items"]
    assert per_extension == {e["extension"]: e["linesAdded"] for e in extensions}

    ranking = both.qoder("ai-code/stats/member-ranking", qoder_q + "&limit=15")["items"]
    assert ranking == [
        {
            "userId": u["userId"],
            "email": u["email"] or "",
            "displayName": u["displayName"] or "",
            "totalLinesAdded": u["linesAdded"],
            "aiLinesAdded": u["aiLinesAdded"],
            "aiShareRate": u["aiShareRate"],
            "commitCount": u["commits"],
        }
        for u in both.native("users", native_q + "&limit=15")["items"]
    ]

    repos = [
        r for r in both.native("repos", native_q + "&perPage=1000")["items"] if r["aiLinesAdded"]
    ]
    assert both.qoder("ai-code/repos", qoder_q + "&per_page=100") == {
        "repos": [
            {"repoName": r["repo"], "commitCount": r["commits"], "totalLinesAdded": r["linesAdded"]}
            for r in repos
        ],
        "totalCount": len(repos),
        "page": 1,
        "perPage": 100,
    }
    assert both.qoder("ai-code/file-extensions", qoder_q) == {
        "fileExtensions": [
            {
                "extension": e["extension"],
                "changeCount": e["fileChanges"],
                "totalLinesAdded": e["linesAdded"],
                "aiShareRate": e["aiShareRate"],
            }
            for e in extensions
            if e["aiLinesAdded"]
        ]
    }


def assert_commits_agree(both: Both, start: str, end: str, **filters: str) -> None:
    """The commit list (every page) holds the native list's commits, numbers and order."""
    native = both.native("commits", native_query(start, end, **filters) + "&perPage=1000")
    until = dt.date.fromisoformat(end) + dt.timedelta(days=1)
    query = f"startDate={start}T00:00:00Z&endDate={until}T00:00:00Z&pageSize=200"
    query += "".join(f"&repoName={v}" for k, v in filters.items() if k == "repo_name")
    listed: list[dict[str, Any]] = []
    number = 1
    while True:
        data = both.qoder("ai-code-tracking/commits", f"{query}&page={number}")["data"]
        listed.extend(data["items"])
        if number >= data["pagination"]["totalPages"]:
            break
        number += 1
    assert data["pagination"]["totalItems"] == native["total"] > 0
    assert [
        {
            "hash": c["commitHash"],
            "repo": c["repoName"],
            "lines": (c["totalLinesAdded"], c["totalLinesDeleted"]),
            "aiAdded": sum(c[f"{pair}LinesAdded"] for pair in ATTRIBUTION_PAIRS),
            "ts": c["commitTs"],
            "user": c["userId"],
        }
        for c in listed
    ] == [
        {
            "hash": n["commitHash"],
            "repo": n["repo"],
            "lines": (n["linesAdded"], n["linesDeleted"]),
            "aiAdded": n["aiLinesAdded"],
            "ts": n["commitTs"],
            "user": n["userId"],
        }
        for n in native["items"]
    ]


def test_world_agrees_with_the_native_api(
    client: TestClient, qoder_org: QoderOrg, store: Store
) -> None:
    token = qoder_org.headers["Authorization"].removeprefix("Bearer ")
    both = Both(client, qoder_org.world.org.id, token)
    ann = qoder_org.world.ann.id
    assert_stats_agree(both, "2025-06-02", "2025-06-05")
    assert_stats_agree(both, "2025-06-02", "2025-06-05", repo_name="core")
    assert_stats_agree(both, "2025-06-02", "2025-06-05", primary_branch_only="true")
    assert_stats_agree(both, "2025-06-02", "2025-06-05", user_id=ann)
    assert_commits_agree(both, "2025-06-02", "2025-06-05")


@pytest.fixture
def qoder_demo(client: TestClient, store: Store) -> Both:
    """A small demo organization (20 developers, 14 days) and a read token."""
    built = build_demo(store, DEMO)
    assert built.outcome.rejected == []
    return Both(client, built.organization.id, built.tokens.read)


def test_demo_agrees_with_the_native_api(qoder_demo: Both, store: Store) -> None:
    start, end = "2025-03-01", "2025-03-14"
    assert_stats_agree(qoder_demo, start, end)
    ranking = qoder_demo.native("users", native_query(start, end) + "&limit=1")["items"]
    assert_stats_agree(qoder_demo, start, end, user_id=ranking[0]["userId"])
    repos = qoder_demo.native("repos", native_query(start, end))["items"]
    assert_stats_agree(qoder_demo, start, end, repo_name=repos[0]["repo"])
    assert_stats_agree(qoder_demo, start, end, primary_branch_only="true")
    assert_stats_agree(qoder_demo, "2025-03-08", "2025-03-10")
    assert_commits_agree(qoder_demo, start, end)
    assert_commits_agree(qoder_demo, start, end, repo_name=repos[0]["repo"])
