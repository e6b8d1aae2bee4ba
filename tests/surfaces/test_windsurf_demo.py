"""On the demo organization, Windsurf's numbers agree with the native API's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, DemoResult, build_demo
from aicode.store.base import Store
from tests.surfaces.windsurf_org import analytics

CONFIG = DemoConfig(seed=5, developers=20, days=14, end=dt.date(2025, 3, 14))
RANGE = f"start={CONFIG.start.isoformat()}&end={CONFIG.end.isoformat()}"


@pytest.fixture
def demo(store: Store) -> DemoResult:
    return build_demo(store, CONFIG)


def native(client: TestClient, demo: DemoResult, path: str, query: str = "") -> Any:
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/{path}?{RANGE}{query}",
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def windsurf(client: TestClient, demo: DemoResult, *queries: Any, **top: Any) -> list[Any]:
    status, body = analytics(client, demo.tokens.read, *queries, **top)
    assert status == 200, body
    return [[entry["item"] for entry in r["responseItems"]] for r in body["queryResults"]]


def total(source: str, *selections: tuple[str, str, str], **parts: Any) -> dict[str, Any]:
    return {
        "data_source": f"QUERY_DATA_SOURCE_{source}",
        "selections": [
            {"field": f, "name": n, "aggregation_function": f"QUERY_AGGREGATION_{fn}"}
            for f, n, fn in selections
        ],
        **parts,
    }


def group_of(store: Store, demo: DemoResult) -> str:
    groups = sorted({g for u in store.list_users(demo.organization) for g in u.groups})
    assert groups
    return groups[0]


@pytest.mark.parametrize("grouped", [False, True])
def test_totals_agree_with_the_overview(
    client: TestClient, store: Store, demo: DemoResult, grouped: bool
) -> None:
    group = group_of(store, demo) if grouped else None
    top = {"group_name": group} if group else {}
    suffix = f"&group={group}" if group else ""
    completions, chats, commands = windsurf(
        client,
        demo,
        total("USER_DATA", ("num_acceptances", "accepted", "SUM"),
              ("num_lines_accepted", "lines", "SUM")),
        total("CHAT_DATA", ("num_chats_received", "turns", "SUM"),
              ("chat_accepted", "accepted", "SUM")),
        total("COMMAND_DATA", ("accepted", "changes", "COUNT"), ("accepted", "accepted", "SUM"),
              ("lines_added", "added", "SUM"), ("lines_removed", "removed", "SUM"),
              filters=[{"name": "accepted", "filter": "QUERY_FILTER_EQUAL", "value": "true"}]),
        **top,
    )  # fmt: skip
    overview = native(client, demo, "overview", suffix)
    commands_overview = native(client, demo, "overview", suffix + "&source=INLINECHAT")
    assert int(completions[0]["accepted"]) == overview["completions"]["accepted"] > 0
    assert int(completions[0]["lines"]) == overview["completions"]["linesAccepted"] > 0
    assert int(chats[0]["turns"]) == overview["chats"]["turns"] > 0
    assert int(chats[0]["accepted"]) == overview["chats"]["accepted"]
    changes = commands_overview["changes"]
    assert int(commands[0]["changes"]) == changes["accepted"] > 0
    assert int(commands[0]["accepted"]) == changes["accepted"]
    assert int(commands[0]["added"]) == changes["acceptedLinesAdded"]
    assert int(commands[0]["removed"]) == changes["acceptedLinesDeleted"]


def test_every_command_accepted_or_not_agrees_with_the_change_count(
    client: TestClient, demo: DemoResult
) -> None:
    (commands,) = windsurf(client, demo, total("COMMAND_DATA", ("accepted", "n", "COUNT")))
    assert (
        int(commands[0]["n"])
        == native(client, demo, "overview", "&source=INLINECHAT")["changes"]["changes"]
    )


def test_days_agree_with_the_daily_trend(client: TestClient, demo: DemoResult) -> None:
    by_day = [{"field": "date", "name": "day"}]
    completions, chats = windsurf(
        client,
        demo,
        total("USER_DATA", ("num_acceptances", "accepted", "SUM"), aggregations=by_day),
        total("CHAT_DATA", ("num_chats_received", "turns", "SUM"), aggregations=by_day),
    )
    daily = native(client, demo, "daily")["items"]
    expected_completions = [
        {"day": d["date"], "accepted": str(d["completionsAccepted"])}
        for d in daily
        if d["completionsAccepted"] or d["completionsSuggested"]
    ]
    assert completions == expected_completions
    assert chats == [
        {"day": d["date"], "turns": str(d["chatTurns"])} for d in daily if d["chatTurns"]
    ]
