"""On one demo organization, the Cursor and Qoder tracking lists report the same commits and
changes with the same numbers: both come from the same metrics functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, DemoResult, build_demo
from aicode.model.attribution import ATTRIBUTION_PAIRS, COMPOSER_PAIRS, TAB_PAIRS
from aicode.store.base import Store

pytest_plugins = ["tests.surfaces.cursor_fixtures"]

CONFIG = DemoConfig(seed=11, developers=20, days=14, end=dt.date(2025, 3, 14))


@pytest.fixture
def demo(store: Store) -> DemoResult:
    """A 20-developer, 14-day demo organization."""
    return build_demo(store, CONFIG)


def cursor_items(client: TestClient, demo: DemoResult, path: str) -> list[dict[str, Any]]:
    """Every item of a Cursor list over the demo's days."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(
            f"/analytics/ai-code/{path}",
            params={
                "startDate": "2025-03-01",
                "endDate": "2025-03-14",
                "page": page,
                "pageSize": 1000,
            },
            auth=(demo.tokens.read, ""),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if len(items) >= body["totalCount"]:
            return items
        page += 1


def qoder_items(client: TestClient, demo: DemoResult, path: str) -> list[dict[str, Any]]:
    """Every item of a Qoder tracking list over the demo's days."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(
            f"/v1/organizations/{demo.organization.id}/ai-code-tracking/{path}",
            params={
                "startDate": "2025-03-01T00:00:00Z",
                "endDate": "2025-03-15T00:00:00Z",
                "page": page,
                "pageSize": 200,
            },
            headers={"Authorization": f"Bearer {demo.tokens.read}"},
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        items += data["items"]
        if page >= data["pagination"]["totalPages"]:
            return items
        page += 1


def _pair_sum(item: dict[str, Any], pairs: tuple[str, ...], kind: str) -> int:
    return sum(int(item[f"{pair}Lines{kind}"]) for pair in pairs)


def test_commits_agree_between_cursor_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    cursor = {
        (c["repoName"], c["commitHash"]): c for c in cursor_items(cursor_client, demo, "commits")
    }
    qoder = {
        (c["repoName"], c["commitHash"]): c for c in qoder_items(cursor_client, demo, "commits")
    }
    assert len(cursor) > 100
    assert cursor.keys() == qoder.keys()
    ai_lines = 0
    for key, mine in cursor.items():
        theirs = qoder[key]
        for kind in ("Added", "Deleted"):
            assert mine[f"totalLines{kind}"] == theirs[f"totalLines{kind}"]
            assert mine[f"tabLines{kind}"] == _pair_sum(theirs, TAB_PAIRS, kind)
            assert mine[f"composerLines{kind}"] == _pair_sum(theirs, COMPOSER_PAIRS, kind)
            assert mine[f"nonAiLines{kind}"] == theirs[f"nonAiLines{kind}"]
        ai_lines += _pair_sum(theirs, ATTRIBUTION_PAIRS, "Added")
    assert ai_lines > 0


def test_cursor_changes_are_qoders_accepted_changes_with_the_same_numbers(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    cursor = {c["changeId"]: c for c in cursor_items(cursor_client, demo, "changes")}
    qoder = {c["changeId"]: c for c in qoder_items(cursor_client, demo, "changes")}
    # Cursor lists accepted AI changes; Qoder every suggested one.
    assert len(cursor) > 100
    assert cursor.keys() < qoder.keys()
    for change_id, mine in cursor.items():
        theirs = qoder[change_id]
        assert mine["userEmail"] == theirs["userEmail"]
        assert (mine["totalLinesAdded"], mine["totalLinesDeleted"]) == (
            theirs["totalLinesAdded"],
            theirs["totalLinesDeleted"],
        )
        assert (mine["source"] == "TAB") == (theirs["source"] == "NEXT")
