"""Lingma's chatType: its own types upper-case, custom commands lower-case whatever was sent.

ann (Sales) sends the custom command ``Review-SQL`` and, the same day, ``review-sql``; bob
(Eng) sends ``REVIEW-SQL-X`` (all upper-case: a type, as far as Lingma's rule can tell),
``review-SQL`` in jetbrains and ``Review-sql`` in vscode; cid (Eng) asks ``EXPLAIN_CODE`` and
sends ``review-sql``. Everything happens on 2025-06-02.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.metrics import ChatBreakdown
from aicode.surfaces.lingma.render import chat_type, chatting
from tests.conftest import Tenant

DAY = {"startTime": "2025-06-02", "endTime": "2025-06-02"}
DAY_MS = 1748822400000


def _chat(fid: str, user: str, hour: int, ide: str, sent: str, accepted: bool) -> dict[str, Any]:
    return {"type": "chat", "id": fid, "user": f"{user}@acme.dev", "ide": ide,
            "ts": f"2025-06-02T{hour:02d}:00:00Z", "chatType": sent,
            "accepted": accepted}  # fmt: skip


FACTS = [
    _chat("a1", "ann", 9, "vscode", "Review-SQL", True),
    _chat("a2", "ann", 10, "vscode", "review-sql", False),
    _chat("b1", "bob", 9, "vscode", "REVIEW-SQL-X", True),
    _chat("b2", "bob", 10, "jetbrains", "review-SQL", True),
    _chat("b3", "bob", 11, "vscode", "Review-sql", True),
    _chat("c1", "cid", 9, "vscode", "EXPLAIN_CODE", False),
    _chat("c2", "cid", 12, "vscode", "review-sql", True),
]
DEPARTMENTS = {"ann": "Sales", "bob": "Eng", "cid": "Eng"}


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> dict[str, str]:
    """The people's ids and Eng's id, once the facts are in."""
    base = f"/api/v1/organizations/{tenant.org.id}"
    people = [
        {"email": f"{name}@acme.dev", "name": name, "department": department}
        for name, department in DEPARTMENTS.items()
    ]
    posted = client.post(f"{base}/people", json={"people": people}, headers=tenant.headers("admin"))
    assert posted.status_code == 200
    sent = client.post("/api/v1/ingest", json=FACTS, headers=tenant.headers("ingest"))
    assert sent.json() == {"accepted": len(FACTS), "duplicates": 0, "rejected": []}
    listed = client.get(f"{base}/people", headers=tenant.headers()).json()["people"]
    ids = {p["displayName"]: p["id"] for p in listed}
    return ids | {"Eng": next(p["departmentId"] for p in listed if p["displayName"] == "bob")}


def lingma(client: TestClient, tenant: Tenant, endpoint: str, **params: str) -> Any:
    """The JSON answer of a Lingma endpoint."""
    answer = client.get(
        f"/oapi/v1/lingma/organizations/{tenant.org.id}/{endpoint}",
        params=params,
        headers={"x-yunxiao-token": tenant.read},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def chat(turns: int, accepted: int, sent: str, ide: str, **more: int) -> dict[str, Any]:
    """A chatting entry."""
    return (
        {"chatTurns": turns, "chatTurnsAccepted": accepted, "chatType": sent} | more | {"ide": ide}
    )


def test_developer_usage_lower_cases_custom_commands(
    client: TestClient, tenant: Tenant, org: dict[str, str]
) -> None:
    items = lingma(client, tenant, "developerUsage", **DAY)
    chatting_of = {i["userId"]: i["breakdown"]["chatting"] for i in items}
    assert chatting_of == {
        # Both spellings of ann's command are one entry; their turns add up.
        org["ann"]: [chat(2, 1, "review-sql", "vscode")],
        org["bob"]: [
            chat(1, 1, "REVIEW-SQL-X", "vscode"),
            chat(1, 1, "review-sql", "jetbrains"),
            chat(1, 1, "review-sql", "vscode"),
        ],
        org["cid"]: [chat(1, 0, "EXPLAIN_CODE", "vscode"), chat(1, 1, "review-sql", "vscode")],
    }
    assert {i["userId"]: i["totalChatTurns"] for i in items} == {
        org["ann"]: 2,
        org["bob"]: 3,
        org["cid"]: 2,
    }


def test_department_usage_lower_cases_custom_commands(
    client: TestClient, tenant: Tenant, org: dict[str, str]
) -> None:
    (item,) = lingma(client, tenant, "departmentUsage", departmentId=org["Eng"], **DAY)
    assert item["date"] == DAY_MS
    assert item["breakdown"]["chatting"] == [
        chat(1, 0, "EXPLAIN_CODE", "vscode", activeDeveloper=1),
        chat(1, 1, "REVIEW-SQL-X", "vscode", activeDeveloper=1),
        chat(1, 1, "review-sql", "jetbrains", activeDeveloper=1),
        # bob's Review-sql and cid's review-sql: one entry, two people.
        chat(2, 2, "review-sql", "vscode", activeDeveloper=2),
    ]
    assert (item["totalChatTurns"], item["totalChatTurnsAccepted"]) == (5, 4)


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("EXPLAIN_CODE", "EXPLAIN_CODE"),
        ("FREE_INPUT", "FREE_INPUT"),
        ("CHAT_INTENT_GENERIC", "CHAT_INTENT_GENERIC"),
        ("review-sql", "review-sql"),
        ("Review-SQL", "review-sql"),
        ("explain_Code", "explain_code"),
        ("Ünïcode-Cmd", "ünïcode-cmd"),
        ("42", "42"),
    ],
)
def test_chat_type(sent: str, shown: str) -> None:
    assert chat_type(sent) == shown


def test_chatting_adds_up_spellings_in_order_of_chat_type_and_ide() -> None:
    merged = chatting(
        [
            ChatBreakdown("A_TYPE", "vscode", 1, 1, 5, 1),
            ChatBreakdown("Cmd", "vscode", 2, 1, 7, 2),
            ChatBreakdown("cmd", "jetbrains", 4, 0, 0, 1),
            ChatBreakdown("cmd", "vscode", 3, 3, 1, 1),
        ]
    )
    assert merged == [
        ChatBreakdown("A_TYPE", "vscode", 1, 1, 5, 1),
        ChatBreakdown("cmd", "jetbrains", 4, 0, 0, 1),
        ChatBreakdown("cmd", "vscode", 5, 4, 8, 3),
    ]
