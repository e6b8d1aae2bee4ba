"""GET /analytics/ai-code/commits and commits.csv on the hand-made organization."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode import metrics
from aicode.surfaces.cursor import routes
from tests.surfaces.cursor_support import CREATED_ISO, RANGE, CursorWorld, get

pytest_plugins = ["tests.surfaces.cursor_fixtures"]


def expected_items(cw: CursorWorld) -> list[dict[str, Any]]:
    """Every commit of 2025-06-02..04, newest first, worked out from the facts by hand."""
    ann, bob, cid, dee = cw.world.ann, cw.world.bob, cw.world.cid, cw.dee
    return [
        {
            "commitHash": "dddd0005",
            "userId": dee.encoded_id,
            "userEmail": "dee@acme.dev",
            "repoName": "core",
            "branchName": "main",
            "isPrimaryBranch": True,
            "totalLinesAdded": 6,
            "totalLinesDeleted": 1,
            "tabLinesAdded": 2,
            "tabLinesDeleted": 0,
            "composerLinesAdded": 3,
            "composerLinesDeleted": 1,
            "nonAiLinesAdded": 1,
            "nonAiLinesDeleted": 0,
            "message": '=HYPERLINK("http://evil.example")',
            "commitTs": "2025-06-04T18:00:00.000Z",
            "createdAt": CREATED_ISO,
        },
        {
            "commitHash": "cccc0004",
            "userId": cid.encoded_id,
            "userEmail": "cid@acme.dev",
            "repoName": "core-tools",
            "branchName": None,
            "isPrimaryBranch": None,
            "totalLinesAdded": 10,
            "totalLinesDeleted": 5,
            "tabLinesAdded": 0,
            "tabLinesDeleted": 0,
            "composerLinesAdded": 0,
            "composerLinesDeleted": 0,
            "nonAiLinesAdded": 10,
            "nonAiLinesDeleted": 5,
            "message": None,
            "commitTs": "2025-06-04T17:00:00.000Z",
            "createdAt": CREATED_ISO,
        },
        {
            "commitHash": "aaaa0003",
            "userId": ann.encoded_id,
            "userEmail": "ann@acme.dev",
            "repoName": "core",
            "branchName": "main",
            "isPrimaryBranch": True,
            "totalLinesAdded": 3,
            "totalLinesDeleted": 0,
            "tabLinesAdded": 0,
            "tabLinesDeleted": 0,
            "composerLinesAdded": 3,
            "composerLinesDeleted": 0,
            "nonAiLinesAdded": 0,
            "nonAiLinesDeleted": 0,
            "message": None,
            "commitTs": "2025-06-04T15:00:00.000Z",
            "createdAt": CREATED_ISO,
        },
        {
            "commitHash": "bbbb0002",
            "userId": bob.encoded_id,
            "userEmail": "bob@acme.dev",
            "repoName": "web",
            "branchName": "feat",
            "isPrimaryBranch": False,
            "totalLinesAdded": 4,
            "totalLinesDeleted": 0,
            "tabLinesAdded": 2,
            "tabLinesDeleted": 0,
            "composerLinesAdded": 0,
            "composerLinesDeleted": 0,
            "nonAiLinesAdded": 2,
            "nonAiLinesDeleted": 0,
            "message": None,
            "commitTs": "2025-06-03T15:00:00.000Z",
            "createdAt": CREATED_ISO,
        },
        {
            "commitHash": "aaaa0001",
            "userId": ann.encoded_id,
            "userEmail": "ann@acme.dev",
            "repoName": "core",
            "branchName": "main",
            "isPrimaryBranch": True,
            "totalLinesAdded": 6,
            "totalLinesDeleted": 2,
            "tabLinesAdded": 0,
            "tabLinesDeleted": 0,
            "composerLinesAdded": 3,
            "composerLinesDeleted": 1,
            "nonAiLinesAdded": 3,
            "nonAiLinesDeleted": 1,
            "message": "feat: app",
            "commitTs": "2025-06-02T15:00:00.000Z",
            "createdAt": CREATED_ISO,
        },
    ]


def test_commits_json_is_complete(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    response = get(cursor_client, "commits", cursor_world.key, **RANGE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "items": expected_items(cursor_world),
        "totalCount": 5,
        "page": 1,
        "pageSize": 100,
    }


def test_commits_never_show_the_internal_uuid(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    body = get(cursor_client, "commits", cursor_world.key, **RANGE).text
    world = cursor_world.world
    for user in (world.ann, world.bob, world.cid, cursor_world.dee):
        assert user.id not in body
        assert user.encoded_id.startswith("user_")


def test_commits_pages(cursor_client: TestClient, cursor_world: CursorWorld) -> None:
    items = expected_items(cursor_world)
    second = get(cursor_client, "commits", cursor_world.key, page="2", pageSize="2", **RANGE)
    assert second.json() == {"items": items[2:4], "totalCount": 5, "page": 2, "pageSize": 2}
    last = get(cursor_client, "commits", cursor_world.key, page="3", pageSize="2", **RANGE)
    assert last.json()["items"] == items[4:]
    beyond = get(cursor_client, "commits", cursor_world.key, page="4", pageSize="2", **RANGE)
    assert beyond.json() == {"items": [], "totalCount": 5, "page": 4, "pageSize": 2}
    widest = get(cursor_client, "commits", cursor_world.key, pageSize="1000", **RANGE)
    assert widest.json()["items"] == items


EXPECTED_CSV = """\
commit_hash,user_id,user_email,repo_name,branch_name,is_primary_branch,total_lines_added,\
total_lines_deleted,tab_lines_added,tab_lines_deleted,composer_lines_added,\
composer_lines_deleted,non_ai_lines_added,non_ai_lines_deleted,message,commit_ts,created_at
dddd0005,{dee},dee@acme.dev,core,main,true,6,1,2,0,3,1,1,0,\
"'=HYPERLINK(""http://evil.example"")",2025-06-04T18:00:00.000Z,{created}
cccc0004,{cid},cid@acme.dev,core-tools,,,10,5,0,0,0,0,10,5,,2025-06-04T17:00:00.000Z,{created}
aaaa0003,{ann},ann@acme.dev,core,main,true,3,0,0,0,3,0,0,0,,2025-06-04T15:00:00.000Z,{created}
bbbb0002,{bob},bob@acme.dev,web,feat,false,4,0,2,0,0,0,2,0,,2025-06-03T15:00:00.000Z,{created}
aaaa0001,{ann},ann@acme.dev,core,main,true,6,2,0,0,3,1,3,1,feat: app,\
2025-06-02T15:00:00.000Z,{created}
"""


def expected_csv(cw: CursorWorld) -> str:
    world = cw.world
    return EXPECTED_CSV.format(
        ann=world.ann.encoded_id,
        bob=world.bob.encoded_id,
        cid=world.cid.encoded_id,
        dee=cw.dee.encoded_id,
        created=CREATED_ISO,
    )


def test_commits_csv_is_complete_and_formula_safe(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    response = get(cursor_client, "commits.csv", cursor_world.key, **RANGE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="commits.csv"'
    assert response.text == expected_csv(cursor_world)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["message"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1]["is_primary_branch"] == rows[1]["branch_name"] == ""


def test_commits_csv_streams_every_page_whatever_the_page_parameters(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    response = get(cursor_client, "commits.csv", cursor_world.key, page="2", pageSize="1", **RANGE)
    assert response.text == expected_csv(cursor_world)


def test_commits_csv_reads_the_store_in_pages(
    cursor_client: TestClient, cursor_world: CursorWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    pages: list[int] = []
    iter_commits = metrics.iter_commits

    def spy(*args: Any, batch: int, **kwargs: Any) -> Any:
        # Record the page size asked for, then walk the store two rows at a time.
        batches.append(batch)
        for page in iter_commits(*args, batch=2, **kwargs):
            pages.append(len(page))
            yield page

    monkeypatch.setattr(routes.metrics, "iter_commits", spy)
    response = get(cursor_client, "commits.csv", cursor_world.key, **RANGE)
    assert response.text == expected_csv(cursor_world)
    assert batches == [10_000]
    assert pages == [2, 2, 1]


def test_commits_csv_without_rows_is_the_header(
    cursor_client: TestClient, cursor_world: CursorWorld
) -> None:
    response = get(
        cursor_client, "commits.csv", cursor_world.key, startDate="2025-01-01", endDate="2025-01-02"
    )
    assert response.text == expected_csv(cursor_world).splitlines(keepends=True)[0]
