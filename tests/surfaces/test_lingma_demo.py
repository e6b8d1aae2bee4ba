"""The demo organization through Lingma: both endpoints answer, and their numbers agree with
each other and with the native API wherever both report the same quantity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, DemoResult, build_demo
from aicode.store.base import Store

CONFIG = DemoConfig(seed=7, developers=20, days=14, end=dt.date(2025, 3, 14))
START, END = "2025-03-01", "2025-03-14"
FIRST_DAY_MS = 1740787200000  # 2025-03-01T00:00:00Z


@pytest.fixture
def lingma_demo(store: Store) -> DemoResult:
    """The demo organization, as ``aicode demo`` builds it, at test size."""
    return build_demo(store, CONFIG)


def lingma_demo_get(
    client: TestClient, demo: DemoResult, endpoint: str, **params: str | int
) -> httpx.Response:
    """A Lingma GET with the demo's read token."""
    return client.get(
        f"/oapi/v1/lingma/organizations/{demo.organization.id}/{endpoint}",
        params={"startTime": START, "endTime": END, **params},
        headers={"x-yunxiao-token": demo.tokens.read},
    )


def native_get(client: TestClient, demo: DemoResult, path: str, **params: str | int) -> Any:
    """A native read API GET with the demo's read token."""
    answer = client.get(
        f"/api/v1/organizations/{demo.organization.id}/{path}",
        params={"start": START, "end": END, **params},
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert answer.status_code == 200
    return answer.json()


def every_page(client: TestClient, demo: DemoResult, **params: str | int) -> list[dict[str, Any]]:
    """developerUsage across all pages, following x-next-page as a Lingma script would."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = lingma_demo_get(client, demo, "developerUsage", page=page, perPage=25, **params)
        assert answer.status_code == 200
        items.extend(answer.json())
        if int(answer.headers["x-page"]) >= int(answer.headers["x-total-pages"]):
            return items
        page = int(answer.headers["x-next-page"])


def day_ms(iso: str) -> int:
    """Epoch milliseconds of a UTC day given as YYYY-MM-DD."""
    return FIRST_DAY_MS + (dt.date.fromisoformat(iso) - dt.date(2025, 3, 1)).days * 86_400_000


def test_the_demo_organization_answers_both_endpoints(
    client: TestClient, lingma_demo: DemoResult
) -> None:
    developers = lingma_demo_get(client, lingma_demo, "developerUsage")
    assert developers.status_code == 200
    assert int(developers.headers["x-total"]) > 100  # more than one default page
    assert developers.headers["x-total-pages"] == str(-(-int(developers.headers["x-total"]) // 100))
    assert len(developers.json()) == 100
    chat_types = {
        c["chatType"]
        for item in every_page(client, lingma_demo)
        for c in item["breakdown"]["chatting"]
    }
    assert {"FREE_INPUT", "review-sql"} <= chat_types  # custom commands stay lower-case
    for department in lingma_demo_departments(client, lingma_demo):
        answer = lingma_demo_get(client, lingma_demo, "departmentUsage", departmentId=department)
        assert answer.status_code == 200
        assert [d["date"] for d in answer.json()] == [
            FIRST_DAY_MS + i * 86_400_000 for i in range(14)
        ]
        assert {d["departmentId"] for d in answer.json()} == {department}


def lingma_demo_departments(client: TestClient, demo: DemoResult) -> list[str]:
    """Every department id of the demo organization."""
    return [d["departmentId"] for d in native_get(client, demo, "departments")["items"]]


def test_developer_usage_agrees_with_the_native_usage_endpoint(
    client: TestClient, lingma_demo: DemoResult
) -> None:
    lingma = every_page(client, lingma_demo)
    native = native_get(client, lingma_demo, "usage", perPage=1000)
    assert native["total"] == len(lingma)
    for ours, theirs in zip(lingma, native["items"], strict=True):
        assert (ours["date"], ours["userId"]) == (day_ms(theirs["date"]), theirs["userId"])
        assert ours["breakdown"]["completion"] == [
            {"countAccepted": c["countAccepted"], "countSuggested": c["countSuggested"],
             "ide": c["ide"], "language": c["language"], "linesAccepted": c["linesAccepted"],
             "linesChanged": c["linesAccepted"], "linesSuggested": c["linesSuggested"]}
            for c in theirs["completions"]
        ]  # fmt: skip
        assert ours["breakdown"]["chatting"] == [
            {"chatTurns": c["turns"], "chatTurnsAccepted": c["accepted"],
             "chatType": c["chatType"], "ide": c["ide"]}
            for c in theirs["chats"]
        ]  # fmt: skip
        assert ours["breakdown"]["coding"] == [
            {"acceptAssistantNewlineCount": c["assistantLinesAccepted"],
             "language": c["language"], "linesAccepted": c["linesAccepted"],
             "linesChanged": c["linesChanged"]}
            for c in theirs["coding"]
        ]  # fmt: skip
        last = dt.datetime.fromisoformat(theirs["lastActive"]) - dt.datetime(
            1970, 1, 1, tzinfo=dt.UTC
        )
        assert ours["statusActiveLastedTime"] == last // dt.timedelta(milliseconds=1)


def test_totals_agree_with_the_native_overview_and_departments(
    client: TestClient, lingma_demo: DemoResult
) -> None:
    lingma = every_page(client, lingma_demo)
    overview = native_get(client, lingma_demo, "overview")
    assert overview["activeDevelopers"] == len({item["userId"] for item in lingma})
    assert overview["completions"] == overview["completions"] | {
        "suggested": sum(item["totalCountSuggestedCompletion"] for item in lingma),
        "accepted": sum(item["totalCountAcceptedCompletion"] for item in lingma),
        "linesSuggested": sum(item["totalLinesSuggestedCompletion"] for item in lingma),
        "linesAccepted": sum(item["totalLinesAcceptedCompletion"] for item in lingma),
    }
    assert overview["chats"] == {
        "turns": sum(item["totalChatTurns"] for item in lingma),
        "accepted": sum(item["totalChatTurnsAccepted"] for item in lingma),
    }
    for department in native_get(client, lingma_demo, "departments")["items"]:
        members = every_page(client, lingma_demo, departmentId=department["departmentId"])
        assert department["activeDevelopers"] == len({item["userId"] for item in members})


def department_from_people(
    department_id: str, day: int, people: list[dict[str, Any]]
) -> dict[str, Any]:
    """A departmentUsage day rebuilt from its people's developerUsage items of that day."""
    chatting: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    coding: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    completion: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for item in people:
        for c in item["breakdown"]["chatting"]:
            entry = chatting[(c["chatType"], c["ide"])]
            entry[0] += c["chatTurns"]
            entry[1] += c["chatTurnsAccepted"]
            entry[2] += 1
        for c in item["breakdown"]["coding"]:
            entry = coding[c["language"]]
            entry[0] += c["linesAccepted"]
            entry[1] += c["linesChanged"]
            entry[2] += 1
        for c in item["breakdown"]["completion"]:
            entry = completion[(c["ide"], c["language"])]
            entry[0] += c["countAccepted"]
            entry[1] += c["countSuggested"]
            entry[2] += c["linesAccepted"]
            entry[3] += c["linesSuggested"]
            entry[4] += 1

    def total(name: str) -> int:
        return sum(item[name] for item in people)

    return {
        "date": day,
        "departmentId": department_id,
        "activeDeveloper": len(people),
        "activeDeveloperChat": sum(item["statusActiveChat"] for item in people),
        "activeDeveloperCompletion": sum(item["statusActiveCompletion"] for item in people),
        "totalChatTurns": total("totalChatTurns"),
        "totalChatTurnsAccepted": total("totalChatTurnsAccepted"),
        "totalCountAcceptedCompletion": total("totalCountAcceptedCompletion"),
        "totalCountSuggestedCompletion": total("totalCountSuggestedCompletion"),
        "totalLinesAccepted": total("totalLinesAccepted"),
        "totalLinesAcceptedCompletion": total("totalLinesAcceptedCompletion"),
        "totalLinesChanged": total("totalLinesChanged"),
        "totalLinesSuggestedCompletion": total("totalLinesSuggestedCompletion"),
        "breakdown": {
            "chatting": [
                {"chatTurns": v[0], "chatTurnsAccepted": v[1], "chatType": k[0],
                 "activeDeveloper": v[2], "ide": k[1]}
                for k, v in sorted(chatting.items())
            ],
            "coding": [
                {"language": k, "linesAccepted": v[0], "linesChanged": v[1],
                 "activeDeveloper": v[2]}
                for k, v in sorted(coding.items())
            ],
            "completion": [
                {"countAccepted": v[0], "countSuggested": v[1], "ide": k[0],
                 "activeDeveloper": v[4], "language": k[1], "linesAccepted": v[2],
                 "linesSuggested": v[3]}
                for k, v in sorted(completion.items())
            ],
        },
    }  # fmt: skip


def test_department_usage_agrees_with_its_people_and_the_native_daily_trend(
    client: TestClient, lingma_demo: DemoResult
) -> None:
    checked_days_with_usage = 0
    for department in lingma_demo_departments(client, lingma_demo):
        days = lingma_demo_get(
            client, lingma_demo, "departmentUsage", departmentId=department
        ).json()
        people = every_page(client, lingma_demo, departmentId=department)
        daily = native_get(client, lingma_demo, "daily", department=department)["items"]
        for ours, theirs in zip(days, daily, strict=True):
            that_day = [item for item in people if item["date"] == ours["date"]]
            assert ours == department_from_people(department, ours["date"], that_day)
            assert (
                ours["date"],
                ours["activeDeveloper"],
                ours["totalCountSuggestedCompletion"],
                ours["totalCountAcceptedCompletion"],
                ours["totalChatTurns"],
            ) == (
                day_ms(theirs["date"]),
                theirs["activeDevelopers"],
                theirs["completionsSuggested"],
                theirs["completionsAccepted"],
                theirs["chatTurns"],
            )
            checked_days_with_usage += ours["activeDeveloper"] > 0
    assert checked_days_with_usage > 50
