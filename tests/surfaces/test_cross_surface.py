"""On one demo organization, every quantity two or more surfaces report agrees, per UTC day
and in total: the Cursor and Qoder tracking lists commit by commit and change by change;
accepted and suggested completions, their lines, chat turns, active developers, AI edits and
committed lines across Lingma, Windsurf, Qoder, Cursor and the native daily trend.

Defined differently on purpose (docs/<vendor>.md), so compared with their true counterpart:
- Windsurf `distinct_users` counts completion (USER_DATA) or chat people only: it meets
  Lingma's `activeDeveloperCompletion` / `activeDeveloperChat`, not `activeDeveloper`.
- Qoder `tabCompletionCount` has no lines; Lingma and Windsurf completion lines meet each other.
- Qoder `agentEditCount` is AGENT only; Cursor's COMPOSER also holds quest and inline edits,
  Windsurf COMMAND_DATA holds inline edits only and Lingma gives lines, not edits: it meets
  Qoder's own change list.
- Qoder `acceptedLinesEdit` is added + deleted of every accepted edit (TAB too): it meets
  Cursor's changes; Lingma `totalLinesAcceptedChat` is added lines of non-TAB edits: it meets
  Cursor's COMPOSER changes.
- Cursor's change `createdAt` is when the server received it: its changes are dated by Qoder's.
- Cursor clamps `nonAiLinesAdded` per commit, Qoder `otherLinesAdded` per day.
"""

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


# Every quantity that two or more surfaces report, per day and in total, over the same days.

DAYS = [f"2025-03-{day:02d}" for day in range(1, 15)]
MS_PER_DAY = 86_400_000
FIRST_DAY_MS = 1740787200000  # 2025-03-01T00:00:00Z


def lingma(client: TestClient, demo: DemoResult, endpoint: str, **params: str) -> list[Any]:
    """Every item of a Lingma endpoint over the demo's days."""
    response = client.get(
        f"/oapi/v1/lingma/organizations/{demo.organization.id}/{endpoint}",
        params={"startTime": DAYS[0], "endTime": DAYS[-1], "perPage": 1000, **params},
        headers={"x-yunxiao-token": demo.tokens.read},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-total-pages"] == "1"
    items: list[Any] = response.json()
    return items


def lingma_day(item: dict[str, Any]) -> str:
    """A Lingma item's UTC day as YYYY-MM-DD."""
    return DAYS[(int(item["date"]) - FIRST_DAY_MS) // MS_PER_DAY]


def by_day(items: list[dict[str, Any]], day: Any, field: str) -> dict[str, int]:
    """``field`` summed per day over ``items``, every demo day present."""
    out = dict.fromkeys(DAYS, 0)
    for item in items:
        out[day(item)] += int(item[field])
    return out


def windsurf(client: TestClient, demo: DemoResult, source: str, **query: Any) -> list[Any]:
    """The items of one Windsurf query over the demo's days, grouped by date."""
    within = [
        {"name": "date", "filter": "QUERY_FILTER_GE", "value": DAYS[0]},
        {"name": "date", "filter": "QUERY_FILTER_LE", "value": DAYS[-1]},
    ]
    request = {"data_source": f"QUERY_DATA_SOURCE_{source}", "filters": within, **query}
    response = client.post(
        "/api/v1/Analytics", json={"service_key": demo.tokens.read, "query_requests": [request]}
    )
    assert response.status_code == 200, response.text
    return [entry["item"] for entry in response.json()["queryResults"][0]["responseItems"]]


def windsurf_days(
    client: TestClient, demo: DemoResult, source: str, **sums: tuple[str, str]
) -> dict[str, dict[str, int]]:
    """Per selection name, its aggregate per day (every demo day present)."""
    items = windsurf(
        client,
        demo,
        source,
        selections=[
            {"field": field, "name": name, "aggregation_function": f"QUERY_AGGREGATION_{fn}"}
            for name, (field, fn) in sums.items()
        ],
        aggregations=[{"field": "date", "name": "day"}],
    )
    return {name: by_day(items, lambda i: i["day"], name) for name in sums}


def qoder(client: TestClient, demo: DemoResult, path: str, **params: str | int) -> Any:
    """A Qoder metrics answer over the demo's days (``path`` under ``ai-code/``)."""
    response = client.get(
        f"/v1/organizations/{demo.organization.id}/ai-code/{path}",
        params={
            "start_date": f"{DAYS[0]}T00:00:00Z",
            "end_date": f"{DAYS[-1]}T23:59:59Z",
            **params,
        },
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def qoder_days(trend: list[dict[str, Any]], field: str) -> dict[str, int]:
    """A Qoder daily-trend list's ``field`` per day (every demo day present)."""
    return by_day(trend, lambda i: i["date"].removesuffix("T00:00:00Z"), field)


def native_daily(client: TestClient, demo: DemoResult) -> list[dict[str, Any]]:
    """The native API's daily trend over the demo's days."""
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/daily",
        params={"start": DAYS[0], "end": DAYS[-1]},
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    assert [d["date"] for d in items] == DAYS
    return items


def root_departments(client: TestClient, demo: DemoResult) -> list[str]:
    """The demo's top-level departments, which partition its people."""
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/departments",
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    roots = [d["departmentId"] for d in response.json()["items"] if d["parentId"] is None]
    assert len(roots) > 1
    return roots


def lingma_departments(client: TestClient, demo: DemoResult) -> list[dict[str, Any]]:
    """departmentUsage of every top-level department: their days, summed field by field."""
    days = [
        lingma(client, demo, "departmentUsage", departmentId=root)
        for root in root_departments(client, demo)
    ]
    return [
        {
            key: sum(d[key] for d in same_day)
            for key in same_day[0]
            if key.startswith(("total", "active"))
        }
        | {"date": same_day[0]["date"]}
        for same_day in zip(*days, strict=True)
    ]


def nonzero_and_equal(*per_day: dict[str, int]) -> None:
    """The per-day maps are equal, so are their totals, and the total is not zero."""
    first = per_day[0]
    for other in per_day[1:]:
        assert other == first
    assert sum(first.values()) > 0


def test_completions_agree_between_lingma_windsurf_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    surf = windsurf_days(
        cursor_client,
        demo,
        "USER_DATA",
        accepted=("num_acceptances", "SUM"),
        lines=("num_lines_accepted", "SUM"),
    )
    overview = qoder(cursor_client, demo, "stats/overview")
    next_items = qoder(cursor_client, demo, "stats/daily-trend")["nextItems"]
    accepted = by_day(people, lingma_day, "totalCountAcceptedCompletion")
    nonzero_and_equal(
        accepted,
        by_day(departments, lingma_day, "totalCountAcceptedCompletion"),
        surf["accepted"],
        qoder_days(next_items, "nextAcceptedCount"),
    )
    assert overview["tabCompletionCount"] == sum(accepted.values())
    nonzero_and_equal(
        by_day(people, lingma_day, "totalLinesAcceptedCompletion"),
        by_day(departments, lingma_day, "totalLinesAcceptedCompletion"),
        surf["lines"],
    )
    nonzero_and_equal(
        by_day(people, lingma_day, "totalCountSuggestedCompletion"),
        by_day(departments, lingma_day, "totalCountSuggestedCompletion"),
        qoder_days(next_items, "nextSuggestedCount"),
    )


def test_chat_turns_agree_between_lingma_windsurf_and_qoder(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    surf = windsurf_days(
        cursor_client,
        demo,
        "CHAT_DATA",
        turns=("num_chats_received", "SUM"),
        rows=("chat_accepted", "COUNT"),
        accepted=("chat_accepted", "SUM"),
    )
    turns = by_day(people, lingma_day, "totalChatTurns")
    nonzero_and_equal(
        turns, by_day(departments, lingma_day, "totalChatTurns"), surf["turns"], surf["rows"]
    )
    assert qoder(cursor_client, demo, "stats/overview")["messageCount"] == sum(turns.values())
    nonzero_and_equal(
        by_day(people, lingma_day, "totalChatTurnsAccepted"),
        by_day(departments, lingma_day, "totalChatTurnsAccepted"),
        surf["accepted"],
    )


def test_active_developers_per_day_agree_between_lingma_windsurf_and_native(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    people = lingma(cursor_client, demo, "developerUsage")
    departments = lingma_departments(cursor_client, demo)
    native = native_daily(cursor_client, demo)
    active = {d["date"]: d["activeDevelopers"] for d in native}
    nonzero_and_equal(
        active,
        by_day(departments, lingma_day, "activeDeveloper"),
        by_day(people, lingma_day, "statusActive"),
    )
    completing = windsurf_days(
        cursor_client,
        demo,
        "USER_DATA",
        users=("distinct_users", "COUNT"),
        developer_days=("distinct_developer_days", "COUNT"),
    )
    nonzero_and_equal(
        by_day(departments, lingma_day, "activeDeveloperCompletion"),
        by_day(people, lingma_day, "statusActiveCompletion"),
        completing["users"],
        completing["developer_days"],
    )
    chatters = windsurf(
        cursor_client,
        demo,
        "CHAT_DATA",
        selections=[{"field": "api_key", "name": "key"}],
        aggregations=[{"field": "date", "name": "day"}],
    )
    nonzero_and_equal(
        by_day(departments, lingma_day, "activeDeveloperChat"),
        by_day(people, lingma_day, "statusActiveChat"),
        by_day([c | {"one": 1} for c in chatters], lambda i: i["day"], "one"),
    )


def change_day(item: dict[str, Any]) -> str:
    """The UTC day of a Qoder change (its ``createdAt`` is the edit's time)."""
    return str(item["createdAt"])[:10]


def test_ai_edits_agree_between_qoder_cursor_lingma_and_windsurf(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    suggested = qoder_items(cursor_client, demo, "changes")
    accepted = cursor_items(cursor_client, demo, "changes")
    overview = qoder(cursor_client, demo, "stats/overview")
    agent = [c for c in suggested if c["source"] == "AGENT"]
    assert overview["agentEditCount"] == len(agent) > 0
    assert overview["acceptedLinesEdit"] == sum(
        c["totalLinesAdded"] + c["totalLinesDeleted"] for c in accepted
    )
    # Lingma's assistant lines are the accepted lines added by every non-TAB edit.
    # Cursor's createdAt is when the server received the change: date it by Qoder's edit time.
    edit_time = {c["changeId"]: c["createdAt"] for c in suggested}
    composer = [
        c | {"createdAt": edit_time[c["changeId"]]} for c in accepted if c["source"] == "COMPOSER"
    ]
    nonzero_and_equal(
        by_day(lingma(cursor_client, demo, "developerUsage"), lingma_day, "totalLinesAcceptedChat"),
        by_day(composer, change_day, "totalLinesAdded"),
    )
    inline = [c for c in suggested if c["source"] == "INLINECHAT"]
    commands = windsurf_days(
        cursor_client,
        demo,
        "COMMAND_DATA",
        edits=("accepted", "COUNT"),
        added=("lines_added", "SUM"),
        removed=("lines_removed", "SUM"),
    )
    nonzero_and_equal(
        commands["edits"], by_day([c | {"one": 1} for c in inline], change_day, "one")
    )
    nonzero_and_equal(commands["added"], by_day(inline, change_day, "totalLinesAdded"))
    nonzero_and_equal(commands["removed"], by_day(inline, change_day, "totalLinesDeleted"))


def test_committed_lines_agree_between_qoder_and_cursor(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    commits = cursor_items(cursor_client, demo, "commits")
    overview = qoder(cursor_client, demo, "stats/overview")

    def edited(kind: str) -> int:
        return sum(c[f"{kind}LinesAdded"] + c[f"{kind}LinesDeleted"] for c in commits)

    assert overview["committedTotalLinesEdit"] == edited("total") > 0
    assert overview["committedAiLinesEdit"] == edited("tab") + edited("composer") > 0
    trend = qoder(cursor_client, demo, "stats/daily-trend")["items"]
    for c in commits:
        c["aiLinesAdded"] = c["tabLinesAdded"] + c["composerLinesAdded"]
        c["commitCount"] = 1

    def commit_day(item: dict[str, Any]) -> str:
        return str(item["commitTs"])[:10]

    nonzero_and_equal(qoder_days(trend, "commitCount"), by_day(commits, commit_day, "commitCount"))
    nonzero_and_equal(
        qoder_days(trend, "aiLinesAdded"), by_day(commits, commit_day, "aiLinesAdded")
    )
    added = by_day(commits, commit_day, "totalLinesAdded")
    ai_added = by_day(commits, commit_day, "aiLinesAdded")
    nonzero_and_equal(
        qoder_days(trend, "otherLinesAdded"),
        {day: max(0, added[day] - ai_added[day]) for day in DAYS},
    )


def test_committed_lines_per_repository_and_person_agree_between_qoder_and_cursor(
    cursor_client: TestClient, demo: DemoResult
) -> None:
    commits = cursor_items(cursor_client, demo, "commits")
    for c in commits:
        c["aiLinesAdded"] = c["tabLinesAdded"] + c["composerLinesAdded"]
        c["commitCount"] = 1

    def per(key: str, field: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in commits:
            out[c[key]] = out.get(c[key], 0) + c[field]
        return out

    ai_added = per("repoName", "aiLinesAdded")
    repos = qoder(cursor_client, demo, "repos", per_page=100)
    assert repos["totalCount"] == len(repos["repos"]) > 1
    # Qoder lists repositories with AI-added lines only (docs/qoder.md).
    assert {r["repoName"]: (r["commitCount"], r["totalLinesAdded"]) for r in repos["repos"]} == {
        repo: (per("repoName", "commitCount")[repo], per("repoName", "totalLinesAdded")[repo])
        for repo, lines in ai_added.items()
        if lines
    }
    ranking = qoder(cursor_client, demo, "stats/member-ranking", limit=10_000)["items"]
    assert len(ranking) > 1
    assert {
        u["email"]: (u["commitCount"], u["totalLinesAdded"], u["aiLinesAdded"]) for u in ranking
    } == {
        email: (
            per("userEmail", "commitCount")[email],
            per("userEmail", "totalLinesAdded")[email],
            lines,
        )
        for email, lines in per("userEmail", "aiLinesAdded").items()
    }
