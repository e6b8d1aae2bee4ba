"""On a small demo organization, Cursor's numbers are the native API's numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, DemoResult, build_demo
from aicode.model.attribution import ATTRIBUTION_PAIRS, TAB_PAIRS
from aicode.store.base import Store
from tests.surfaces.cursor_support import get

pytest_plugins = ["tests.surfaces.cursor_fixtures"]

CONFIG = DemoConfig(seed=5, developers=20, days=14, end=dt.date(2025, 3, 14))
START, END = "2025-03-01", "2025-03-14"


@pytest.fixture
def cursor_demo(store: Store) -> DemoResult:
    """A 20-developer, 14-day demo organization."""
    return build_demo(store, CONFIG)


def cursor_all(client: TestClient, key: str, path: str, **params: str) -> list[dict[str, Any]]:
    """Every item of a Cursor list, page by page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = get(
            client,
            path,
            key,
            startDate=START,
            endDate=END,
            page=str(page),
            pageSize="100",
            **params,
        ).json()
        items.extend(body["items"])
        if page * 100 >= body["totalCount"]:
            assert len(items) == body["totalCount"]
            return items
        page += 1


def native(client: TestClient, demo: DemoResult, path: str, **params: str) -> Any:
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/{path}",
        params={"start": START, "end": END, **params},
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_commits_agree_with_the_native_commits_and_overview(
    cursor_client: TestClient, cursor_demo: DemoResult, store: Store
) -> None:
    commits = cursor_all(cursor_client, cursor_demo.tokens.read, "commits")
    listed = native(cursor_client, cursor_demo, "commits", perPage="1000")
    assert listed["total"] == len(commits) > 100
    assert [(c["repoName"], c["commitHash"]) for c in commits] == [
        (n["repo"], n["commitHash"]) for n in listed["items"]
    ]
    for mine, theirs in zip(commits, listed["items"], strict=True):
        ai_added = mine["tabLinesAdded"] + mine["composerLinesAdded"]
        ai_deleted = mine["tabLinesDeleted"] + mine["composerLinesDeleted"]
        assert (mine["totalLinesAdded"], mine["totalLinesDeleted"]) == (
            theirs["linesAdded"],
            theirs["linesDeleted"],
        )
        assert (ai_added, ai_deleted) == (theirs["aiLinesAdded"], theirs["aiLinesDeleted"])
        assert mine["nonAiLinesAdded"] == max(0, theirs["linesAdded"] - theirs["aiLinesAdded"])
        assert mine["nonAiLinesDeleted"] == max(
            0, theirs["linesDeleted"] - theirs["aiLinesDeleted"]
        )
        assert (mine["branchName"], mine["isPrimaryBranch"], mine["message"]) == (
            theirs["branch"],
            theirs["isPrimaryBranch"],
            theirs["message"],
        )
        assert mine["commitTs"][:19] == theirs["commitTs"][:19]
        assert mine["userEmail"] == theirs["email"]
        person = store.find_user(cursor_demo.organization, theirs["userId"])
        assert person is not None
        assert mine["userId"] == person.encoded_id
    committed = native(cursor_client, cursor_demo, "overview")["committed"]
    by_source = committed["bySource"]
    assert committed["commits"] == len(commits)
    assert committed["linesAdded"] == sum(c["totalLinesAdded"] for c in commits)
    assert committed["linesDeleted"] == sum(c["totalLinesDeleted"] for c in commits)
    for kind in ("Added", "Deleted"):
        tab = sum(by_source[p][kind.lower()] for p in TAB_PAIRS)
        composer = sum(by_source[p][kind.lower()] for p in ATTRIBUTION_PAIRS if p not in TAB_PAIRS)
        assert sum(c[f"tabLines{kind}"] for c in commits) == tab
        assert sum(c[f"composerLines{kind}"] for c in commits) == composer
    assert sum(c["tabLinesAdded"] for c in commits) > 0
    assert sum(c["composerLinesAdded"] for c in commits) > 0


def test_changes_agree_with_the_native_accepted_changes(
    cursor_client: TestClient, cursor_demo: DemoResult
) -> None:
    changes = cursor_all(cursor_client, cursor_demo.tokens.read, "changes")
    totals = native(cursor_client, cursor_demo, "overview")["changes"]
    assert totals["changes"] > totals["accepted"] == len(changes) > 100
    assert sum(c["totalLinesAdded"] for c in changes) == totals["acceptedLinesAdded"]
    assert sum(c["totalLinesDeleted"] for c in changes) == totals["acceptedLinesDeleted"]
    tab = native(cursor_client, cursor_demo, "overview", source="TAB")["changes"]
    composer = native(cursor_client, cursor_demo, "overview", source="AGENT,QUEST,INLINECHAT")
    assert sum(c["source"] == "TAB" for c in changes) == tab["accepted"] > 0
    assert sum(c["source"] == "COMPOSER" for c in changes) == composer["changes"]["accepted"] > 0
    for change in changes:
        files = change["metadata"]
        assert sum(f["linesAdded"] for f in files) == change["totalLinesAdded"]


def test_one_persons_numbers_agree_by_every_id(
    cursor_client: TestClient, cursor_demo: DemoResult, store: Store
) -> None:
    ranked = native(cursor_client, cursor_demo, "users", limit="1")["items"]
    top = store.find_user(cursor_demo.organization, ranked[0]["email"])
    assert top is not None
    overview = native(cursor_client, cursor_demo, "overview", user=top.id)
    key = cursor_demo.tokens.read
    for form in (top.email or "", top.encoded_id, str(top.num)):
        commits = cursor_all(cursor_client, key, "commits", user=form)
        changes = cursor_all(cursor_client, key, "changes", user=form)
        assert len(commits) == overview["committed"]["commits"] > 0
        assert sum(c["totalLinesAdded"] for c in commits) == overview["committed"]["linesAdded"]
        assert len(changes) == overview["changes"]["accepted"]
        assert {c["userId"] for c in commits + changes} == {top.encoded_id}


def test_csv_exports_hold_the_json_rows(cursor_client: TestClient, cursor_demo: DemoResult) -> None:
    key = cursor_demo.tokens.read
    for path, id_field, id_column in (
        ("commits", "commitHash", "commit_hash"),
        ("changes", "changeId", "change_id"),
    ):
        items = cursor_all(cursor_client, key, path)
        text = get(cursor_client, f"{path}.csv", key, startDate=START, endDate=END).text
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r[id_column] for r in rows] == [i[id_field] for i in items]
        assert [int(r["total_lines_added"]) for r in rows] == [i["totalLinesAdded"] for i in items]
