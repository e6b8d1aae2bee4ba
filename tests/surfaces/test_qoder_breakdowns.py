# ruff: noqa: F811 (test arguments name the qoder_org fixture imported below)
"""Qoder's member ranking, repositories and file extensions over HTTP, with each filter.

Numbers are worked out by hand from tests/world.py (D1-D3) and conftest_qoder.D4_FACTS.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.surfaces.conftest_qoder import QoderOrg, assert_error, ingest, qoder_org  # noqa: F401

D1_D4 = "start_date=2025-06-02T00:00:00Z&end_date=2025-06-05T23:59:59Z"
D4 = "start_date=2025-06-05T00:00:00Z&end_date=2025-06-05T23:59:59Z"


def member(
    org: QoderOrg, name: str, total: int, ai: int, rate: float, commits: int
) -> dict[str, Any]:
    user = getattr(org.world, name)
    return {
        "userId": user.id,
        "email": f"{name}@acme.dev",
        "displayName": name.capitalize(),
        "totalLinesAdded": total,
        "aiLinesAdded": ai,
        "aiShareRate": rate,
        "commitCount": commits,
    }


def test_member_ranking(client: TestClient, qoder_org: QoderOrg) -> None:
    ann = member(qoder_org, "ann", 15, 11, 73.33, 3)
    bob = member(qoder_org, "bob", 7, 3, 42.86, 2)
    cid = member(qoder_org, "cid", 10, 0, 0.0, 1)
    ranking = qoder_org.get(client, "ai-code/stats/member-ranking", D1_D4).json()
    assert ranking == {"items": [ann, bob, cid]}
    top = qoder_org.get(client, "ai-code/stats/member-ranking", D1_D4 + "&limit=2").json()
    assert top == {"items": [ann, bob]}
    primary = qoder_org.get(
        client, "ai-code/stats/member-ranking", D1_D4 + "&primary_branch_only=true&limit=20"
    ).json()
    assert primary == {"items": [ann, member(qoder_org, "bob", 3, 1, 33.33, 1)]}


def test_member_ranking_defaults_to_ten(client: TestClient, qoder_org: QoderOrg) -> None:
    people = [
        {
            "type": "commit",
            "user": f"dev{i:02d}@acme.dev",
            "ts": "2025-06-05T20:00:00Z",
            "repo": "many",
            "commitHash": f"{i + 1:04x}abcd",
            "files": [{"path": "a.py", "linesAdded": 1, "attribution": {"ideAgentLinesAdded": 1}}],
        }
        for i in range(12)
    ]
    ingest(client, qoder_org.world.store, qoder_org.world, people)
    items = qoder_org.get(client, "ai-code/stats/member-ranking", D4).json()["items"]
    # On D4: ann (5 AI of 6 lines), bob (1 of 3), then the devs' equal 1-of-1 by user id.
    devs = sorted(
        (
            u
            for u in qoder_org.world.store.list_users(qoder_org.world.org)
            if u.email.startswith("dev")
        ),
        key=lambda u: u.id,
    )
    assert items == [
        member(qoder_org, "ann", 6, 5, 83.33, 1),
        member(qoder_org, "bob", 3, 1, 33.33, 1),
    ] + [
        {
            "userId": u.id,
            "email": u.email,
            "displayName": "",
            "totalLinesAdded": 1,
            "aiLinesAdded": 1,
            "aiShareRate": 100.0,
            "commitCount": 1,
        }
        for u in devs[:8]
    ]


def test_repos(client: TestClient, qoder_org: QoderOrg) -> None:
    core = {"repoName": "core", "commitCount": 3, "totalLinesAdded": 15}
    web = {"repoName": "web", "commitCount": 2, "totalLinesAdded": 7}
    # core-tools has commits but no AI lines, so it is not listed.
    assert qoder_org.get(client, "ai-code/repos", D1_D4).json() == {
        "repos": [core, web],
        "totalCount": 2,
        "page": 1,
        "perPage": 30,
    }
    assert qoder_org.get(client, "ai-code/repos", D1_D4 + "&query=CO").json() == {
        "repos": [core],
        "totalCount": 1,
        "page": 1,
        "perPage": 30,
    }
    assert qoder_org.get(client, "ai-code/repos", D1_D4 + "&page=2&per_page=1").json() == {
        "repos": [web],
        "totalCount": 2,
        "page": 2,
        "perPage": 1,
    }
    assert qoder_org.get(client, "ai-code/repos", D1_D4 + "&per_page=100&page=3").json() == {
        "repos": [],
        "totalCount": 2,
        "page": 3,
        "perPage": 100,
    }
    only_d4_py = qoder_org.get(client, "ai-code/repos", D4 + "&file_extensions=.py").json()
    assert only_d4_py["repos"] == [{"repoName": "core", "commitCount": 1, "totalLinesAdded": 4}]


def test_repos_and_extensions_default_to_the_last_90_days(
    client: TestClient, qoder_org: QoderOrg
) -> None:
    # World data is from June 2025; a commit from yesterday is the only one in range.
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = {
        "type": "commit",
        "user": "bob@acme.dev",
        "ts": yesterday,
        "repo": "fresh",
        "commitHash": "ffff0001",
        "files": [{"path": "x.rs", "linesAdded": 4, "attribution": {"ideNextLinesAdded": 1}}],
    }
    ingest(client, qoder_org.world.store, qoder_org.world, [recent])
    assert qoder_org.get(client, "ai-code/repos").json() == {
        "repos": [{"repoName": "fresh", "commitCount": 1, "totalLinesAdded": 4}],
        "totalCount": 1,
        "page": 1,
        "perPage": 30,
    }
    assert qoder_org.get(client, "ai-code/file-extensions").json() == {
        "fileExtensions": [
            {"extension": ".rs", "changeCount": 1, "totalLinesAdded": 4, "aiShareRate": 25.0}
        ]
    }


def test_file_extensions(client: TestClient, qoder_org: QoderOrg) -> None:
    # .go has no AI lines, so it is not listed.
    assert qoder_org.get(client, "ai-code/file-extensions", D1_D4).json() == {
        "fileExtensions": [
            {"extension": ".py", "changeCount": 3, "totalLinesAdded": 11, "aiShareRate": 72.73},
            {"extension": ".ts", "changeCount": 3, "totalLinesAdded": 9, "aiShareRate": 55.56},
            {"extension": ".md", "changeCount": 2, "totalLinesAdded": 2, "aiShareRate": 50.0},
        ]
    }
    ann = qoder_org.world.ann.email
    filtered = qoder_org.get(
        client, "ai-code/file-extensions", f"{D1_D4}&user_id={ann}&file_extensions=.ts,MD"
    ).json()
    assert filtered == {
        "fileExtensions": [
            # Equal added lines: by extension.
            {"extension": ".md", "changeCount": 2, "totalLinesAdded": 2, "aiShareRate": 50.0},
            {"extension": ".ts", "changeCount": 1, "totalLinesAdded": 2, "aiShareRate": 100.0},
        ]
    }


def test_the_90_day_rule(client: TestClient, qoder_org: QoderOrg) -> None:
    exactly_90 = "start_date=2025-03-07T00:00:00Z&end_date=2025-06-05T00:00:00Z"
    for path in (
        "ai-code/stats/overview",
        "ai-code/stats/daily-trend",
        "ai-code/stats/member-ranking",
        "ai-code/repos",
        "ai-code/file-extensions",
    ):
        assert qoder_org.get(client, path, exactly_90).status_code == 200
        longer = qoder_org.get(
            client, path, "start_date=2025-03-07T00:00:00Z&end_date=1749081600001"
        )
        assert_error(
            longer,
            400,
            "BadRequest",
            "start_date to end_date may span at most 90 days",
            "start_date",
        )
    # Offsets count: the same instants written in +08:00.
    shifted = "start_date=2025-03-07T08:00:00%2B08:00&end_date=2025-06-05T08:00:00%2B08:00"
    assert qoder_org.get(client, "ai-code/stats/overview", shifted).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&repo_name=web", [("bob", 7, 3, 42.86, 2)]),
        ("&file_extensions=md", [("ann", 2, 1, 50.0, 2)]),
        ("&user_id=bob@acme.dev", [("bob", 7, 3, 42.86, 2)]),
        ("&user_id={bob}", [("bob", 7, 3, 42.86, 2)]),
    ],
)
def test_member_ranking_filters(
    client: TestClient,
    qoder_org: QoderOrg,
    query: str,
    expected: list[tuple[str, int, int, float, int]],
) -> None:
    query = query.format(bob=qoder_org.world.bob.id)
    body = qoder_org.get(client, "ai-code/stats/member-ranking", D1_D4 + query).json()
    assert body == {"items": [member(qoder_org, *m) for m in expected]}


@pytest.mark.parametrize(
    ("query", "repos"),
    [
        ("&user_id={ann}", [("core", 3, 15)]),
        ("&primary_branch_only=true", [("core", 3, 15), ("web", 1, 3)]),
        ("&repo_name=web", [("web", 2, 7)]),
    ],
)
def test_repos_filters(
    client: TestClient, qoder_org: QoderOrg, query: str, repos: list[tuple[str, int, int]]
) -> None:
    query = query.format(ann=qoder_org.world.ann.id)
    assert qoder_org.get(client, "ai-code/repos", D1_D4 + query).json() == {
        "repos": [
            {"repoName": name, "commitCount": commits, "totalLinesAdded": added}
            for name, commits, added in repos
        ],
        "totalCount": len(repos),
        "page": 1,
        "perPage": 30,
    }


@pytest.mark.parametrize(
    ("query", "extensions"),
    [
        # Equal added lines: by extension.
        ("&repo_name=core", [(".py", 3, 11, 72.73), (".md", 2, 2, 50.0), (".ts", 1, 2, 100.0)]),
        (
            "&primary_branch_only=true",
            [(".py", 3, 11, 72.73), (".ts", 2, 5, 60.0), (".md", 2, 2, 50.0)],
        ),
    ],
)
def test_file_extension_filters(
    client: TestClient,
    qoder_org: QoderOrg,
    query: str,
    extensions: list[tuple[str, int, int, float]],
) -> None:
    assert qoder_org.get(client, "ai-code/file-extensions", D1_D4 + query).json() == {
        "fileExtensions": [
            {"extension": e, "changeCount": n, "totalLinesAdded": added, "aiShareRate": rate}
            for e, n, added, rate in extensions
        ]
    }
