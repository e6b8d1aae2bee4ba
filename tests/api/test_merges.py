"""Merge commits over HTTP: ingested with their own lines, counted once by every surface.

The history is tests/merge_world.py (numbers worked out there); the merge resolved a
conflict with one AI line of its own and removed one line itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import merge_world
from tests.api.ingest_answers import one_bad_fact
from tests.conftest import Tenant

INGEST = "/api/v1/ingest"
NATIVE = "start=2025-06-02&end=2025-06-03"
QODER = "start_date=2025-06-02T00:00:00Z&end_date=2025-06-03T23:59:59Z"


@pytest.fixture
def merged(client: TestClient, tenant: Tenant) -> Tenant:
    """The tenant with the history, sent through the ingest API."""
    answer = client.post(
        INGEST, json=merge_world.history(resolution=True), headers=tenant.headers("ingest")
    )
    assert answer.json() == {"accepted": 6, "duplicates": 0, "rejected": []}
    return tenant


def _native(client: TestClient, tenant: Tenant, path: str, query: str = "") -> Any:
    answer = client.get(
        f"/api/v1/organizations/{tenant.org.id}/{path}?{NATIVE}{query}", headers=tenant.headers()
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _qoder(client: TestClient, tenant: Tenant, path: str, query: str = "") -> Any:
    answer = client.get(
        f"/v1/organizations/{tenant.org.id}/{path}?{QODER}{query}", headers=tenant.headers()
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", (4, 8, 2, 4, 0, 40.0)),
        ("&primaryBranchOnly=true", (2, 7, 1, 4, 0, 50.0)),
    ],
)
def test_native_overview(
    client: TestClient, merged: Tenant, query: str, expected: tuple[int, ...]
) -> None:
    committed = _native(client, merged, "overview", query)["committed"]
    keys = ("commits", "linesAdded", "linesDeleted", "aiLinesAdded", "aiLinesDeleted")
    assert (*(committed[k] for k in keys), committed["aiShareRate"]) == expected


def test_native_extensions_and_repos(client: TestClient, merged: Tenant) -> None:
    extensions = _native(client, merged, "extensions")["items"]
    assert [(e["extension"], e["fileChanges"], e["linesAdded"]) for e in extensions] == [
        (".py", 4, 7),
        (".md", 1, 1),
    ]
    repos = _native(client, merged, "repos")["items"]
    assert [(r["repo"], r["commits"], r["linesAdded"], r["aiLinesAdded"]) for r in repos] == [
        ("core", 4, 8, 4)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"committedTotalLinesEdit": 10, "committedAiLinesEdit": 4, "aiShareRate": 40.0}),
        (
            "&primary_branch_only=true",
            {"committedTotalLinesEdit": 8, "committedAiLinesEdit": 4, "aiShareRate": 50.0},
        ),
    ],
)
def test_qoder_overview(
    client: TestClient, merged: Tenant, query: str, expected: dict[str, Any]
) -> None:
    body = _qoder(client, merged, "ai-code/stats/overview", query)
    assert {k: body[k] for k in expected} == expected


def test_qoder_member_ranking_and_trend(client: TestClient, merged: Tenant) -> None:
    ranking = _qoder(client, merged, "ai-code/stats/member-ranking")["items"]
    assert [
        (m["email"], m["commitCount"], m["totalLinesAdded"], m["aiLinesAdded"]) for m in ranking
    ] == [("ann@acme.dev", 3, 6, 4), ("bob@acme.dev", 1, 2, 0)]
    items = _qoder(client, merged, "ai-code/stats/daily-trend")["items"]
    assert [
        (i["date"], i["commitCount"], i["aiLinesAdded"], i["otherLinesAdded"]) for i in items
    ] == [
        ("2025-06-02T00:00:00Z", 3, 3, 4),
        ("2025-06-03T00:00:00Z", 1, 1, 0),
    ]


def test_qoder_commit_list_keeps_the_merge_whole(client: TestClient, merged: Tenant) -> None:
    answer = client.get(
        f"/v1/organizations/{merged.org.id}/ai-code-tracking/commits"
        "?startDate=2025-06-02T00:00:00Z&endDate=2025-06-03T23:59:59Z",
        headers=merged.headers(),
    )
    items = answer.json()["data"]["items"]
    merge = next(i for i in items if i["commitHash"] == merge_world.MERGE)
    assert (
        merge["totalLinesAdded"],
        merge["totalLinesDeleted"],
        merge["ideAgentLinesAdded"],
        merge["ideNextLinesAdded"],
        merge["nonAiLinesAdded"],
    ) == (5, 1, 3, 1, 1)


# bad own lines -------------------------------------------------------------------------------


def _merge_with(app: dict[str, Any], **rest: Any) -> dict[str, Any]:
    fact = merge_world.merge_commit(resolution=True)
    fact["files"] = [fact["files"][0] | app, *fact["files"][1:]]
    return fact | rest


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        (
            _merge_with({}, parents=["b1b10003"]),
            "files[0].ownAddedLines",
            "only a merge commit (2+ parents) has own lines",
        ),
        (
            _merge_with({"ownAddedLines": []}, parents=[]),
            "files[0].ownDeletedLines",
            "only a merge commit (2+ parents) has own lines",
        ),
        (
            _merge_with({"ownAddedLines": [4, 9]}),
            "files[0].ownAddedLines",
            "line 9 is not one of addedLines",
        ),
        (
            _merge_with({"ownDeletedLines": [11]}),
            "files[0].ownDeletedLines",
            "line 11 is not one of deletedLines",
        ),
        (
            _merge_with({"addedLines": [], "linesAdded": 1, "ownAddedLines": [4, 5]}),
            "files[0].ownAddedLines",
            "more own lines than linesAdded",
        ),
        (
            _merge_with({"ownAddedLines": [0]}),
            "files[0].ownAddedLines[0]",
            "Expected `int` >= 1",
        ),
        (
            _merge_with({"ownDeletedLines": "10"}),
            "files[0].ownDeletedLines",
            "Expected `array`, got `str`",
        ),
    ],
)
def test_bad_own_lines_are_a_400_naming_the_field(
    client: TestClient, tenant: Tenant, item: dict[str, Any], field: str, reason: str
) -> None:
    answer = client.post(INGEST, json=[item], headers=tenant.headers("ingest"))
    assert answer.status_code == 400
    assert answer.json() == one_bad_fact(field, reason)


def test_own_lines_need_an_ingest_token_of_the_organization(
    client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    facts = merge_world.history(resolution=True)
    assert client.post(INGEST, json=facts).status_code == 401
    assert client.post(INGEST, json=facts, headers=tenant.headers("read")).status_code == 403
    client.post(INGEST, json=facts, headers=other_tenant.headers("ingest"))
    body = _native(client, tenant, "overview")["committed"]
    assert (body["commits"], body["linesAdded"]) == (0, 0)
