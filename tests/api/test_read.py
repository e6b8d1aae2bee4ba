import csv
import io

import pytest
from fastapi.testclient import TestClient

from aicode.model.tenancy import Scope
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.world import World

RANGE = "start=2025-06-02&end=2025-06-04"


@pytest.fixture
def auth(world: World, store: Store) -> dict[str, str]:
    _, secret = store.create_token(world.org, "reader", [Scope.READ])
    return {"Authorization": f"Bearer {secret}"}


def url(world: World, path: str, query: str = RANGE) -> str:
    return f"/api/v1/organizations/{world.org.id}/{path}?{query}"


def test_overview(client: TestClient, world: World, auth: dict[str, str]) -> None:
    body = client.get(url(world, "overview"), headers=auth).json()
    assert body == {
        "range": {"start": "2025-06-02", "end": "2025-06-04"},
        "activeDevelopers": 3,
        "committed": {
            "commits": 4,
            "linesAdded": 23,
            "linesDeleted": 7,
            "aiLinesAdded": 8,
            "aiLinesDeleted": 1,
            "nonAiLinesAdded": 15,
            "nonAiLinesDeleted": 6,
            "aiShareRate": 30.0,
            "bySource": {
                "ideNext": {"added": 2, "deleted": 0},
                "pluginNext": {"added": 0, "deleted": 0},
                "ideAgent": {"added": 3, "deleted": 1},
                "pluginAgent": {"added": 0, "deleted": 0},
                "cliAgent": {"added": 0, "deleted": 0},
                "ideQuest": {"added": 3, "deleted": 0},
                "ideInlineChat": {"added": 0, "deleted": 0},
                "jbInlineChat": {"added": 0, "deleted": 0},
            },
        },
        "completions": {
            "suggested": 25,
            "accepted": 8,
            "linesSuggested": 35,
            "linesAccepted": 12,
            "acceptanceRate": 32.0,
        },
        "chats": {"turns": 3, "accepted": 2},
        "changes": {
            "changes": 4,
            "accepted": 3,
            "acceptedLinesAdded": 8,
            "acceptedLinesDeleted": 1,
            "agentEdits": 2,
        },
    }


def test_overview_compares_with_previous_period(
    client: TestClient, world: World, auth: dict[str, str]
) -> None:
    body = client.get(
        url(world, "overview", "start=2025-06-03&end=2025-06-04&compare=true"), headers=auth
    ).json()
    assert body["committed"]["commits"] == 3
    assert body["previous"]["range"] == {"start": "2025-06-01", "end": "2025-06-02"}
    assert body["previous"]["committed"]["commits"] == 1
    assert body["previous"]["activeDevelopers"] == 2


def test_daily_json_and_csv_show_the_same_rows(
    client: TestClient, world: World, auth: dict[str, str]
) -> None:
    body = client.get(url(world, "daily", "start=2025-06-02&end=2025-06-05"), headers=auth).json()
    assert body["items"][0] == {
        "date": "2025-06-02",
        "activeDevelopers": 2,
        "commits": 1,
        "linesAdded": 6,
        "aiLinesAdded": 3,
        "aiShareRate": 50.0,
        "completionsSuggested": 17,
        "completionsAccepted": 6,
        "acceptanceRate": 35.29,
        "chatTurns": 1,
        "aiChanges": 1,
    }
    assert body["items"][3]["date"] == "2025-06-05"
    assert body["items"][3]["activeDevelopers"] == 0
    response = client.get(
        url(world, "daily", "start=2025-06-02&end=2025-06-05&format=csv"), headers=auth
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="daily.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["date"] for r in rows] == [i["date"] for i in body["items"]]
    assert rows[0]["acceptanceRate"] == "35.29"
    assert rows[0]["linesAdded"] == "6"


def test_users_departments_repos_extensions(
    client: TestClient, world: World, auth: dict[str, str]
) -> None:
    users = client.get(url(world, "users"), headers=auth).json()["items"]
    assert [(u["email"], u["aiLinesAdded"], u["aiShareRate"]) for u in users] == [
        ("ann@acme.dev", 6, 66.67),
        ("bob@acme.dev", 2, 50.0),
        ("cid@acme.dev", 0, 0.0),
    ]
    departments = client.get(url(world, "departments"), headers=auth).json()["items"]
    assert [
        (d["path"], d["activeDevelopers"], d["commits"], d["aiLinesAdded"]) for d in departments
    ] == [("Eng", 2, 3, 8), ("Eng/Platform", 1, 2, 6), ("Eng/Web", 1, 1, 2)]
    repos = client.get(url(world, "repos", RANGE + "&query=core"), headers=auth).json()
    assert repos["total"] == 2
    assert [r["repo"] for r in repos["items"]] == ["core", "core-tools"]
    extensions = client.get(url(world, "extensions"), headers=auth).json()["items"]
    assert extensions[1] == {
        "extension": ".py",
        "fileChanges": 2,
        "linesAdded": 7,
        "aiLinesAdded": 5,
        "aiShareRate": 71.43,
    }


def test_commits_page_csv_and_detail(
    client: TestClient, world: World, auth: dict[str, str]
) -> None:
    page = client.get(url(world, "commits", RANGE + "&perPage=2"), headers=auth).json()
    assert (page["total"], [c["commitHash"] for c in page["items"]]) == (
        4,
        ["cccc0004", "aaaa0003"],
    )
    text = client.get(url(world, "commits", RANGE + "&format=csv"), headers=auth).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["commitHash"] for r in rows] == ["cccc0004", "aaaa0003", "bbbb0002", "aaaa0001"]
    assert rows[3]["message"] == "feat: app"
    detail = client.get(
        f"/api/v1/organizations/{world.org.id}/commits/AAAA0001", headers=auth
    ).json()
    assert detail["aiLinesAdded"] == 3
    assert detail["bySource"]["ideAgent"] == {"added": 3, "deleted": 1}
    assert detail["rangeAnnotations"] == []


def test_usage_per_person_day(client: TestClient, world: World, auth: dict[str, str]) -> None:
    body = client.get(url(world, "usage", RANGE + f"&user={world.cid.email}"), headers=auth).json()
    assert body["total"] == 1
    assert body["items"][0]["chats"] == [
        {
            "chatType": "FREE_INPUT",
            "ide": "vscode",
            "turns": 1,
            "accepted": 0,
            "locUsed": 0,
            "activeDevelopers": 1,
        },
        {
            "chatType": "review-sql",
            "ide": "jetbrains",
            "turns": 1,
            "accepted": 1,
            "locUsed": 5,
            "activeDevelopers": 1,
        },
    ]


@pytest.mark.parametrize(
    ("query", "status", "code", "message", "field"),
    [
        (
            "start=2025-13-01",
            400,
            "invalid_input",
            "start must be a date as YYYY-MM-DD, got '2025-13-01'",
            "start",
        ),
        (
            "start=2025-06-04&end=2025-06-01",
            400,
            "invalid_input",
            "end must not be before start",
            "end",
        ),
        (
            "start=2024-01-01&end=2025-06-01",
            400,
            "invalid_input",
            "the range may span at most 366 days",
            "start",
        ),
        (
            RANGE + "&user=nobody@acme.dev",
            404,
            "not_found",
            "user 'nobody@acme.dev' not found",
            "user",
        ),
        (RANGE + "&department=nope", 404, "not_found", "department 'nope' not found", "department"),
        (RANGE + "&source=MAGIC", 400, "invalid_input", "unknown source 'MAGIC'", "source"),
        (RANGE + "&format=xml", 400, "invalid_input", "format must be one of json, csv", "format"),
        (
            RANGE + "&perPage=0",
            400,
            "invalid_input",
            "perPage: Input should be greater than or equal to 1",
            "perPage",
        ),
    ],
)
def test_bad_inputs(
    client: TestClient,
    world: World,
    auth: dict[str, str],
    query: str,
    status: int,
    code: str,
    message: str,
    field: str,
) -> None:
    response = client.get(url(world, "repos", query), headers=auth)
    assert response.status_code == status
    assert response.json() == {"error": {"code": code, "message": message, "field": field}}


def test_unknown_commit_is_404(client: TestClient, world: World, auth: dict[str, str]) -> None:
    response = client.get(f"/api/v1/organizations/{world.org.id}/commits/ffff", headers=auth)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "commit 'ffff' not found"


@pytest.mark.parametrize(
    "path", ["overview", "daily", "users", "departments", "repos", "extensions", "commits", "usage"]
)
def test_auth_on_every_read_endpoint(
    client: TestClient, world: World, other_tenant: Tenant, store: Store, path: str
) -> None:
    missing = client.get(url(world, path))
    assert missing.status_code == 401
    assert missing.json()["error"] == {
        "code": "unauthenticated",
        "message": "missing API token",
        "field": "Authorization",
    }
    wrong = client.get(url(world, path), headers={"Authorization": "Bearer aic_nope"})
    assert wrong.status_code == 401
    other = client.get(url(world, path), headers=other_tenant.headers("read"))
    assert other.status_code == 403
    assert other.json()["error"]["message"] == "token does not belong to this organization"
    _, ingest_only = store.create_token(world.org, "i", [Scope.INGEST])
    scoped = client.get(url(world, path), headers={"Authorization": f"Bearer {ingest_only}"})
    assert scoped.status_code == 403
    assert scoped.json()["error"]["message"] == "token lacks the 'read' scope"
