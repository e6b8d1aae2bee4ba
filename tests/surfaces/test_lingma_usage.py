"""Lingma developerUsage and departmentUsage over a small organization built through the API.

People (imported through the admin API, facts sent through POST /api/v1/ingest):
ann (Eng/Platform) completes in vscode and jetbrains, chats and lets an agent edit;
bob (Eng) only completes; cid (Eng/Platform) only chats, custom command ``review-sql``
included; dan (Sales) completes once. D1..D4 = 2025-06-02..05, nobody works on D3.
Another organization sends a fact for its own ``ann@acme.dev``, which must not show here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Tenant

D1_MS, D2_MS, D3_MS, D4_MS = 1748822400000, 1748908800000, 1748995200000, 1749081600000
RANGE = {"startTime": "2025-06-02", "endTime": "2025-06-05"}

PEOPLE = [
    {"email": "ann@acme.dev", "name": "Ann", "department": "Eng/Platform"},
    {"email": "bob@acme.dev", "name": "Bob", "department": "Eng"},
    {"email": "cid@acme.dev", "name": "Cid", "department": "Eng/Platform"},
    {"email": "dan@acme.dev", "name": "Dan", "department": "Sales"},
]


def _completion(fid: str, user: str, ts: str, ide: str, language: str, *n: int) -> dict[str, Any]:
    suggested, accepted, lines_suggested, lines_accepted = n
    return {"type": "completion", "id": fid, "user": user, "ts": ts, "ide": ide,
            "language": language, "countSuggested": suggested, "countAccepted": accepted,
            "linesSuggested": lines_suggested, "linesAccepted": lines_accepted}  # fmt: skip


def _chat(fid: str, user: str, ts: str, ide: str, chat_type: str, accepted: bool) -> dict[str, Any]:
    return {"type": "chat", "id": fid, "user": user, "ts": ts, "ide": ide,
            "chatType": chat_type, "accepted": accepted}  # fmt: skip


FACTS: list[dict[str, Any]] = [
    _completion("a-c1", "ann@acme.dev", "2025-06-02T09:00:00Z", "vscode", "python", 10, 4, 12, 5),
    _completion("a-c2", "ann@acme.dev", "2025-06-02T10:30:00Z", "jetbrains", "java", 6, 2, 6, 3),
    _chat("a-h1", "ann@acme.dev", "2025-06-02T11:00:00Z", "vscode", "EXPLAIN_CODE", True),
    {"type": "change", "id": "a-g1", "user": "ann@acme.dev", "ts": "2025-06-02T14:15:30.250Z",
     "source": "AGENT", "files": [{"fileName": "src/app.py", "linesAdded": 7, "linesDeleted": 2}]},
    _chat("a-h2", "ann@acme.dev", "2025-06-05T08:00:00Z", "jetbrains", "GENERATE_TESTCASE", False),
    _completion("b-c1", "bob@acme.dev", "2025-06-02T16:00:00Z", "vscode", "python", 4, 1, 4, 2),
    _completion("b-c2", "bob@acme.dev", "2025-06-03T09:00:00Z", "vscode", "typescript", 5, 3, 9, 6),
    _chat("c-h1", "cid@acme.dev", "2025-06-03T10:00:00Z", "jetbrains", "review-sql", True),
    _chat("c-h2", "cid@acme.dev", "2025-06-03T10:05:00Z", "jetbrains", "review-sql", False),
    _chat("c-h3", "cid@acme.dev", "2025-06-03T11:00:00Z", "vscode", "FREE_INPUT", True),
    _chat("c-h4", "cid@acme.dev", "2025-06-05T12:00:00Z", "jetbrains", "GENERATE_TESTCASE", True),
    _completion("d-c1", "dan@acme.dev", "2025-06-02T12:00:00Z", "vscode", "python", 3, 3, 3, 3),
]  # fmt: skip

OTHER_ORG_FACTS = [
    _completion("x-c1", "ann@acme.dev", "2025-06-02T09:00:00Z", "vscode", "python", 50, 50, 50, 50)
]


@dataclasses.dataclass(frozen=True)
class LingmaOrg:
    """The organization as the tests address it."""

    org_id: str
    token: str
    users: dict[str, str]  # first name -> user id
    departments: dict[str, str]  # path -> department id


@pytest.fixture
def lingma_org(client: TestClient, tenant: Tenant, other_tenant: Tenant) -> LingmaOrg:
    """People through the admin API, facts through the ingest API."""
    base = f"/api/v1/organizations/{tenant.org.id}"
    imported = client.post(
        f"{base}/people", json={"people": PEOPLE}, headers=tenant.headers("admin")
    )
    assert imported.status_code == 200
    for who, facts in ((tenant, FACTS), (other_tenant, OTHER_ORG_FACTS)):
        sent = client.post("/api/v1/ingest", json=facts, headers=who.headers("ingest"))
        assert sent.json() == {"accepted": len(facts), "duplicates": 0, "rejected": []}
    people = client.get(f"{base}/people", headers=tenant.headers()).json()["people"]
    tree = client.get(f"{base}/departments/tree", headers=tenant.headers()).json()["departments"]
    return LingmaOrg(
        org_id=tenant.org.id,
        token=tenant.read,
        users={p["displayName"].lower(): p["id"] for p in people},
        departments={d["path"]: d["id"] for d in tree},
    )


def lingma_get(
    client: TestClient, org: LingmaOrg, endpoint: str, **params: str | int
) -> httpx.Response:
    """A GET of a Lingma endpoint with the organization's read token."""
    return client.get(
        f"/oapi/v1/lingma/organizations/{org.org_id}/{endpoint}",
        params=params,
        headers={"x-yunxiao-token": org.token},
    )


def pages(answer: httpx.Response) -> dict[str, str]:
    """The pagination headers of an answer."""
    names = ("x-page", "x-per-page", "x-next-page", "x-prev-page", "x-total", "x-total-pages")
    return {name: answer.headers[name] for name in names}


def by_date_then_user(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order developerUsage promises."""
    return sorted(items, key=lambda item: (item["date"], item["userId"]))


# developerUsage -------------------------------------------------------------------------------


def developer_items(org: LingmaOrg) -> dict[str, dict[str, Any]]:
    """Every person-day of the organization, worked out by hand from FACTS."""
    ann, bob, cid, dan = (org.users[n] for n in ("ann", "bob", "cid", "dan"))
    return {
        "ann D1": {
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "EXPLAIN_CODE",
                     "ide": "vscode"},
                ],
                "coding": [
                    {"acceptAssistantNewlineCount": 0, "language": "java", "linesAccepted": 3,
                     "linesChanged": 3},
                    # 5 completion lines + 7 agent lines added (and 2 deleted)
                    {"acceptAssistantNewlineCount": 7, "language": "python", "linesAccepted": 12,
                     "linesChanged": 14},
                ],
                "completion": [
                    {"countAccepted": 2, "countSuggested": 6, "ide": "jetbrains",
                     "language": "java", "linesAccepted": 3, "linesChanged": 3,
                     "linesSuggested": 6},
                    {"countAccepted": 4, "countSuggested": 10, "ide": "vscode",
                     "language": "python", "linesAccepted": 5, "linesChanged": 5,
                     "linesSuggested": 12},
                ],
            },
            "date": D1_MS,
            "statusActive": True,
            "statusActiveChat": True,
            "statusActiveCompletion": True,
            "statusActiveLastedTime": 1748873730250,  # 14:15:30.250, the agent edit
            "totalChatTurns": 1,
            "totalChatTurnsAccepted": 1,
            "totalCountAcceptedCompletion": 6,
            "totalCountSuggestedCompletion": 16,
            "totalLinesAccepted": 15,
            "totalLinesAcceptedChat": 7,
            "totalLinesAcceptedCompletion": 8,
            "totalLinesChanged": 17,
            "totalLinesSuggestedCompletion": 18,
            "userId": ann,
        },
        "bob D1": {
            "breakdown": {
                "chatting": [],
                "coding": [
                    {"acceptAssistantNewlineCount": 0, "language": "python", "linesAccepted": 2,
                     "linesChanged": 2},
                ],
                "completion": [
                    {"countAccepted": 1, "countSuggested": 4, "ide": "vscode",
                     "language": "python", "linesAccepted": 2, "linesChanged": 2,
                     "linesSuggested": 4},
                ],
            },
            "date": D1_MS,
            "statusActive": True,
            "statusActiveChat": False,
            "statusActiveCompletion": True,
            "statusActiveLastedTime": 1748880000000,  # 16:00
            "totalChatTurns": 0,
            "totalChatTurnsAccepted": 0,
            "totalCountAcceptedCompletion": 1,
            "totalCountSuggestedCompletion": 4,
            "totalLinesAccepted": 2,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 2,
            "totalLinesChanged": 2,
            "totalLinesSuggestedCompletion": 4,
            "userId": bob,
        },
        "dan D1": {
            "breakdown": {
                "chatting": [],
                "coding": [
                    {"acceptAssistantNewlineCount": 0, "language": "python", "linesAccepted": 3,
                     "linesChanged": 3},
                ],
                "completion": [
                    {"countAccepted": 3, "countSuggested": 3, "ide": "vscode",
                     "language": "python", "linesAccepted": 3, "linesChanged": 3,
                     "linesSuggested": 3},
                ],
            },
            "date": D1_MS,
            "statusActive": True,
            "statusActiveChat": False,
            "statusActiveCompletion": True,
            "statusActiveLastedTime": 1748865600000,  # 12:00
            "totalChatTurns": 0,
            "totalChatTurnsAccepted": 0,
            "totalCountAcceptedCompletion": 3,
            "totalCountSuggestedCompletion": 3,
            "totalLinesAccepted": 3,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 3,
            "totalLinesChanged": 3,
            "totalLinesSuggestedCompletion": 3,
            "userId": dan,
        },
        "bob D2": {
            "breakdown": {
                "chatting": [],
                "coding": [
                    {"acceptAssistantNewlineCount": 0, "language": "typescript",
                     "linesAccepted": 6, "linesChanged": 6},
                ],
                "completion": [
                    {"countAccepted": 3, "countSuggested": 5, "ide": "vscode",
                     "language": "typescript", "linesAccepted": 6, "linesChanged": 6,
                     "linesSuggested": 9},
                ],
            },
            "date": D2_MS,
            "statusActive": True,
            "statusActiveChat": False,
            "statusActiveCompletion": True,
            "statusActiveLastedTime": 1748941200000,  # 09:00
            "totalChatTurns": 0,
            "totalChatTurnsAccepted": 0,
            "totalCountAcceptedCompletion": 3,
            "totalCountSuggestedCompletion": 5,
            "totalLinesAccepted": 6,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 6,
            "totalLinesChanged": 6,
            "totalLinesSuggestedCompletion": 9,
            "userId": bob,
        },
        "cid D2": {
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "FREE_INPUT",
                     "ide": "vscode"},
                    {"chatTurns": 2, "chatTurnsAccepted": 1, "chatType": "review-sql",
                     "ide": "jetbrains"},
                ],
                "coding": [],
                "completion": [],
            },
            "date": D2_MS,
            "statusActive": True,
            "statusActiveChat": True,
            "statusActiveCompletion": False,
            "statusActiveLastedTime": 1748948400000,  # 11:00
            "totalChatTurns": 3,
            "totalChatTurnsAccepted": 2,
            "totalCountAcceptedCompletion": 0,
            "totalCountSuggestedCompletion": 0,
            "totalLinesAccepted": 0,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 0,
            "totalLinesChanged": 0,
            "totalLinesSuggestedCompletion": 0,
            "userId": cid,
        },
        "ann D4": {
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 0, "chatType": "GENERATE_TESTCASE",
                     "ide": "jetbrains"},
                ],
                "coding": [],
                "completion": [],
            },
            "date": D4_MS,
            "statusActive": True,
            "statusActiveChat": True,
            "statusActiveCompletion": False,
            "statusActiveLastedTime": 1749110400000,  # 08:00
            "totalChatTurns": 1,
            "totalChatTurnsAccepted": 0,
            "totalCountAcceptedCompletion": 0,
            "totalCountSuggestedCompletion": 0,
            "totalLinesAccepted": 0,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 0,
            "totalLinesChanged": 0,
            "totalLinesSuggestedCompletion": 0,
            "userId": ann,
        },
        "cid D4": {
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "GENERATE_TESTCASE",
                     "ide": "jetbrains"},
                ],
                "coding": [],
                "completion": [],
            },
            "date": D4_MS,
            "statusActive": True,
            "statusActiveChat": True,
            "statusActiveCompletion": False,
            "statusActiveLastedTime": 1749124800000,  # 12:00
            "totalChatTurns": 1,
            "totalChatTurnsAccepted": 1,
            "totalCountAcceptedCompletion": 0,
            "totalCountSuggestedCompletion": 0,
            "totalLinesAccepted": 0,
            "totalLinesAcceptedChat": 0,
            "totalLinesAcceptedCompletion": 0,
            "totalLinesChanged": 0,
            "totalLinesSuggestedCompletion": 0,
            "userId": cid,
        },
    }  # fmt: skip


def test_developer_usage_of_the_whole_organization(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    answer = lingma_get(client, lingma_org, "developerUsage", **RANGE)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    expected = developer_items(lingma_org)
    assert answer.json() == by_date_then_user(list(expected.values()))
    assert [item["date"] for item in answer.json()] == [D1_MS] * 3 + [D2_MS] * 2 + [D4_MS] * 2
    assert pages(answer) == {
        "x-page": "1",
        "x-per-page": "100",
        "x-next-page": "1",
        "x-prev-page": "1",
        "x-total": "7",
        "x-total-pages": "1",
    }


def test_developer_usage_of_a_department_includes_its_sub_departments(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    expected = developer_items(lingma_org)
    eng = lingma_get(
        client, lingma_org, "developerUsage", departmentId=lingma_org.departments["Eng"], **RANGE
    )
    assert eng.json() == by_date_then_user(
        [expected[k] for k in ("ann D1", "bob D1", "bob D2", "cid D2", "ann D4", "cid D4")]
    )
    platform = lingma_get(
        client,
        lingma_org,
        "developerUsage",
        departmentId=lingma_org.departments["Eng/Platform"],
        **RANGE,
    )
    assert platform.json() == [expected[k] for k in ("ann D1", "cid D2")] + by_date_then_user(
        [expected["ann D4"], expected["cid D4"]]
    )


def test_developer_usage_of_one_user_and_user_id_wins_over_department(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    expected = developer_items(lingma_org)
    bob = lingma_org.users["bob"]
    alone = lingma_get(client, lingma_org, "developerUsage", userId=bob, **RANGE)
    both = lingma_get(
        client,
        lingma_org,
        "developerUsage",
        userId=bob,
        departmentId=lingma_org.departments["Sales"],
        **RANGE,
    )
    assert alone.json() == both.json() == [expected["bob D1"], expected["bob D2"]]
    assert pages(alone)["x-total"] == "2"


def test_developer_usage_narrow_ranges(client: TestClient, lingma_org: LingmaOrg) -> None:
    expected = developer_items(lingma_org)
    quiet = lingma_get(
        client, lingma_org, "developerUsage", startTime="2025-06-04", endTime="2025-06-04"
    )
    assert (quiet.status_code, quiet.json()) == (200, [])
    assert pages(quiet) == {
        "x-page": "1",
        "x-per-page": "100",
        "x-next-page": "1",
        "x-prev-page": "1",
        "x-total": "0",
        "x-total-pages": "0",
    }
    second_day = lingma_get(
        client, lingma_org, "developerUsage", startTime="2025-06-03", endTime="2025-06-03"
    )
    assert second_day.json() == by_date_then_user([expected["bob D2"], expected["cid D2"]])


def test_developer_usage_pages(client: TestClient, lingma_org: LingmaOrg) -> None:
    every = lingma_get(client, lingma_org, "developerUsage", **RANGE).json()
    answers = [
        lingma_get(client, lingma_org, "developerUsage", page=n, perPage=3, **RANGE)
        for n in (1, 2, 3, 4)
    ]
    assert [a.json() for a in answers] == [every[0:3], every[3:6], every[6:7], []]
    assert [pages(a) for a in answers] == [
        {"x-page": str(page), "x-per-page": "3", "x-next-page": str(following),
         "x-prev-page": str(previous), "x-total": "7", "x-total-pages": "3"}
        for page, following, previous in ((1, 2, 1), (2, 3, 1), (3, 3, 2), (4, 4, 3))
    ]  # fmt: skip
    defaults = lingma_get(client, lingma_org, "developerUsage", page="", perPage="", **RANGE)
    assert (defaults.json(), pages(defaults)["x-per-page"]) == (every, "100")


# departmentUsage ------------------------------------------------------------------------------


def quiet_day(date: int, department_id: str) -> dict[str, Any]:
    """A departmentUsage day without any usage."""
    return {
        "date": date,
        "departmentId": department_id,
        "activeDeveloper": 0,
        "activeDeveloperChat": 0,
        "activeDeveloperCompletion": 0,
        "totalChatTurns": 0,
        "totalChatTurnsAccepted": 0,
        "totalCountAcceptedCompletion": 0,
        "totalCountSuggestedCompletion": 0,
        "totalLinesAccepted": 0,
        "totalLinesAcceptedCompletion": 0,
        "totalLinesChanged": 0,
        "totalLinesSuggestedCompletion": 0,
        "breakdown": {"chatting": [], "coding": [], "completion": []},
    }


def eng_days(eng: str) -> list[dict[str, Any]]:
    """Eng with Eng/Platform (ann, bob, cid), D1..D4, worked out by hand from FACTS."""
    return [
        {
            "date": D1_MS,
            "departmentId": eng,
            "activeDeveloper": 2,  # ann, bob
            "activeDeveloperChat": 1,
            "activeDeveloperCompletion": 2,
            "totalChatTurns": 1,
            "totalChatTurnsAccepted": 1,
            "totalCountAcceptedCompletion": 7,
            "totalCountSuggestedCompletion": 20,
            "totalLinesAccepted": 17,
            "totalLinesAcceptedCompletion": 10,
            "totalLinesChanged": 19,
            "totalLinesSuggestedCompletion": 22,
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "EXPLAIN_CODE",
                     "activeDeveloper": 1, "ide": "vscode"},
                ],
                "coding": [
                    {"language": "java", "linesAccepted": 3, "linesChanged": 3,
                     "activeDeveloper": 1},
                    {"language": "python", "linesAccepted": 14, "linesChanged": 16,
                     "activeDeveloper": 2},
                ],
                "completion": [
                    {"countAccepted": 2, "countSuggested": 6, "ide": "jetbrains",
                     "activeDeveloper": 1, "language": "java", "linesAccepted": 3,
                     "linesSuggested": 6},
                    {"countAccepted": 5, "countSuggested": 14, "ide": "vscode",
                     "activeDeveloper": 2, "language": "python", "linesAccepted": 7,
                     "linesSuggested": 16},
                ],
            },
        },
        {
            "date": D2_MS,
            "departmentId": eng,
            "activeDeveloper": 2,  # bob, cid
            "activeDeveloperChat": 1,
            "activeDeveloperCompletion": 1,
            "totalChatTurns": 3,
            "totalChatTurnsAccepted": 2,
            "totalCountAcceptedCompletion": 3,
            "totalCountSuggestedCompletion": 5,
            "totalLinesAccepted": 6,
            "totalLinesAcceptedCompletion": 6,
            "totalLinesChanged": 6,
            "totalLinesSuggestedCompletion": 9,
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "FREE_INPUT",
                     "activeDeveloper": 1, "ide": "vscode"},
                    {"chatTurns": 2, "chatTurnsAccepted": 1, "chatType": "review-sql",
                     "activeDeveloper": 1, "ide": "jetbrains"},
                ],
                "coding": [
                    {"language": "typescript", "linesAccepted": 6, "linesChanged": 6,
                     "activeDeveloper": 1},
                ],
                "completion": [
                    {"countAccepted": 3, "countSuggested": 5, "ide": "vscode",
                     "activeDeveloper": 1, "language": "typescript", "linesAccepted": 6,
                     "linesSuggested": 9},
                ],
            },
        },
        quiet_day(D3_MS, eng),
        {
            "date": D4_MS,
            "departmentId": eng,
            "activeDeveloper": 2,  # ann, cid
            "activeDeveloperChat": 2,
            "activeDeveloperCompletion": 0,
            "totalChatTurns": 2,
            "totalChatTurnsAccepted": 1,
            "totalCountAcceptedCompletion": 0,
            "totalCountSuggestedCompletion": 0,
            "totalLinesAccepted": 0,
            "totalLinesAcceptedCompletion": 0,
            "totalLinesChanged": 0,
            "totalLinesSuggestedCompletion": 0,
            "breakdown": {
                "chatting": [
                    # two people, one turn each: a distinct count, not a sum of rows
                    {"chatTurns": 2, "chatTurnsAccepted": 1, "chatType": "GENERATE_TESTCASE",
                     "activeDeveloper": 2, "ide": "jetbrains"},
                ],
                "coding": [],
                "completion": [],
            },
        },
    ]  # fmt: skip


def test_department_usage_with_sub_department_and_quiet_day(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    eng = lingma_org.departments["Eng"]
    answer = lingma_get(client, lingma_org, "departmentUsage", departmentId=eng, **RANGE)
    assert answer.status_code == 200
    assert answer.json() == eng_days(eng)
    assert pages(answer) == {
        "x-page": "1",
        "x-per-page": "100",
        "x-next-page": "1",
        "x-prev-page": "1",
        "x-total": "4",
        "x-total-pages": "1",
    }
    assert answer.headers["x-request-id"]


def test_department_usage_of_the_sub_department_alone(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    platform = lingma_org.departments["Eng/Platform"]
    answer = lingma_get(
        client,
        lingma_org,
        "departmentUsage",
        departmentId=platform,
        startTime="2025-06-02",
        endTime="2025-06-02",
    )
    assert answer.json() == [
        {
            "date": D1_MS,
            "departmentId": platform,
            "activeDeveloper": 1,  # ann alone: bob is in Eng itself
            "activeDeveloperChat": 1,
            "activeDeveloperCompletion": 1,
            "totalChatTurns": 1,
            "totalChatTurnsAccepted": 1,
            "totalCountAcceptedCompletion": 6,
            "totalCountSuggestedCompletion": 16,
            "totalLinesAccepted": 15,
            "totalLinesAcceptedCompletion": 8,
            "totalLinesChanged": 17,
            "totalLinesSuggestedCompletion": 18,
            "breakdown": {
                "chatting": [
                    {"chatTurns": 1, "chatTurnsAccepted": 1, "chatType": "EXPLAIN_CODE",
                     "activeDeveloper": 1, "ide": "vscode"},
                ],
                "coding": [
                    {"language": "java", "linesAccepted": 3, "linesChanged": 3,
                     "activeDeveloper": 1},
                    {"language": "python", "linesAccepted": 12, "linesChanged": 14,
                     "activeDeveloper": 1},
                ],
                "completion": [
                    {"countAccepted": 2, "countSuggested": 6, "ide": "jetbrains",
                     "activeDeveloper": 1, "language": "java", "linesAccepted": 3,
                     "linesSuggested": 6},
                    {"countAccepted": 4, "countSuggested": 10, "ide": "vscode",
                     "activeDeveloper": 1, "language": "python", "linesAccepted": 5,
                     "linesSuggested": 12},
                ],
            },
        }
    ]  # fmt: skip


def test_department_usage_of_a_department_without_usage(
    client: TestClient, lingma_org: LingmaOrg, tenant: Tenant
) -> None:
    created = client.post(
        f"/api/v1/organizations/{tenant.org.id}/departments",
        json={"path": "Legal"},
        headers=tenant.headers("admin"),
    )
    legal = created.json()["id"]
    answer = lingma_get(client, lingma_org, "departmentUsage", departmentId=legal, **RANGE)
    assert answer.json() == [quiet_day(ms, legal) for ms in (D1_MS, D2_MS, D3_MS, D4_MS)]


def test_department_usage_pages_by_day(client: TestClient, lingma_org: LingmaOrg) -> None:
    eng = lingma_org.departments["Eng"]
    answers = [
        lingma_get(client, lingma_org, "departmentUsage", departmentId=eng, page=n, perPage=3,
                   **RANGE)
        for n in (1, 2, 3)
    ]  # fmt: skip
    days = eng_days(eng)
    assert [a.json() for a in answers] == [days[0:3], days[3:4], []]
    assert [pages(a) for a in answers] == [
        {"x-page": str(page), "x-per-page": "3", "x-next-page": str(following),
         "x-prev-page": str(previous), "x-total": "4", "x-total-pages": "2"}
        for page, following, previous in ((1, 2, 1), (2, 2, 1), (3, 3, 2))
    ]  # fmt: skip


def test_department_usage_over_an_enormous_range_computes_only_the_page(
    client: TestClient, lingma_org: LingmaOrg
) -> None:
    eng = lingma_org.departments["Eng"]
    answer = lingma_get(
        client,
        lingma_org,
        "departmentUsage",
        departmentId=eng,
        startTime="0001-01-01",
        endTime="9999-12-31",
        page=7395,
        perPage=100,
    )
    assert answer.status_code == 200
    # 2025-06-02 is day 739,404 counting 0001-01-01 as day 1: the 4th day of page 7,395
    assert [item["date"] for item in answer.json()][:6] == [
        D1_MS - 3 * 86_400_000,
        D1_MS - 2 * 86_400_000,
        D1_MS - 86_400_000,
        D1_MS,
        D2_MS,
        D3_MS,
    ]
    assert answer.json()[3:7] == eng_days(eng)
    assert pages(answer)["x-total"] == "3652059"
    assert pages(answer)["x-total-pages"] == "36521"
