"""A hand-built organization for the Windsurf surface, sent through the public HTTP API.

Its numbers reproduce the responses the seed shows for its four example requests:

- completions in January 2024 (hour 2024-01-01 .. 2024-02-01): 50 + 20 + 40 + 15 = 125
  acceptances and 300 + 150 + 313 + 100 = 863 lines; c5 to c8 fall outside. c1 and c2 share
  a person-hour row (70 acceptances), as do c6 and c7 (5); bob has two hours on 2024-02-01.
- chats with intent CHAT_INTENT_FUNCTION_DOCSTRING: jetbrains 50 + 24 = 74 lines used,
  vscode 41; the other intents do not count.
- inline edits (INLINECHAT) in edit mode and accepted: PYTHON 15 + 6 = 21 lines added and
  3 + 2 = 5 removed, GO 31 and 27. g4 is rejected, g5 generates, g6 is an agent edit.
- typing in GO between 2024-01-01 and 2024-12-22: 2000 + 1882 = 3882 bytes by hand,
  3000 + 1593 = 4593 by autocomplete, 1000 + 425 = 1425 by command: 6018 AI bytes of 9900,
  0.6079 -> "0.61". t3 is Python, t4 and t5 fall outside the range.

People: ann (group core), bob (core, mobile), cid (mobile).
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import msgspec
from fastapi.testclient import TestClient

from tests.conftest import Tenant

PEOPLE: list[dict[str, Any]] = [
    {"email": "ann@ws.dev", "name": "Ann", "groups": ["core"]},
    {"email": "bob@ws.dev", "name": "Bob", "groups": ["core", "mobile"]},
    {"email": "cid@ws.dev", "name": "Cid", "groups": ["mobile"]},
]


def _completion(
    fact_id: str, user: str, ts: str, ide: str, version: str, language: str, **counts: int
) -> dict[str, Any]:
    return {"type": "completion", "id": fact_id, "user": user, "ts": ts, "ide": ide,
            "clientVersion": version, "language": language, **counts}  # fmt: skip


def _chat(fact_id: str, user: str, ts: str, ide: str, intent: str, **rest: Any) -> dict[str, Any]:
    return {"type": "chat", "id": fact_id, "user": user, "ts": ts, "ide": ide,
            "chatType": intent, **rest}  # fmt: skip


def _change(
    fact_id: str, user: str, ts: str, language: str, added: int, removed: int, **rest: Any
) -> dict[str, Any]:
    ext = {"python": "py", "go": "go"}[language]
    return {"type": "change", "id": fact_id, "user": user, "ts": ts, "source": "COMMAND",
            "language": language,
            "files": [{"fileName": f"src/{fact_id}.{ext}", "linesAdded": added,
                       "linesDeleted": removed, "bytesAdded": added * 30,
                       "bytesRemoved": removed * 20}],
            **rest}  # fmt: skip


def _typing(fact_id: str, user: str, ts: str, language: str, *b: int) -> dict[str, Any]:
    return {"type": "typing", "id": fact_id, "user": user, "ts": ts, "ide": "vscode",
            "clientVersion": "1.28.0", "language": language, "userBytes": b[0],
            "aiBytesAutocomplete": b[1], "aiBytesCommand": b[2]}  # fmt: skip


EDIT = "PROVIDER_SOURCE_COMMAND_EDIT"
GENERATE = "PROVIDER_SOURCE_COMMAND_GENERATE"
DEFAULT = "COMMAND_REQUEST_SOURCE_DEFAULT"
CODE_LENS = "COMMAND_REQUEST_SOURCE_FUNCTION_CODE_LENS"
DOCSTRING = "CHAT_INTENT_FUNCTION_DOCSTRING"

FACTS: list[dict[str, Any]] = [
    _completion("c1", "ann@ws.dev", "2024-01-10T09:15:00Z", "vscode", "1.28.0", "python",
                countSuggested=80, countAccepted=50, linesAccepted=300, bytesAccepted=9000),
    _completion("c2", "ann@ws.dev", "2024-01-10T09:40:00Z", "vscode", "1.28.0", "python",
                countSuggested=30, countAccepted=20, linesAccepted=150, bytesAccepted=4000),
    _completion("c3", "bob@ws.dev", "2024-01-15T14:05:00Z", "jetbrains", "1.30.0", "go",
                countSuggested=60, countAccepted=40, linesAccepted=313, bytesAccepted=7000),
    _completion("c4", "cid@ws.dev", "2024-01-31T23:59:00Z", "vscode", "1.30.0", "typescript",
                countSuggested=20, countAccepted=15, linesAccepted=100, bytesAccepted=2500),
    _completion("c5", "bob@ws.dev", "2024-02-01T01:00:00Z", "jetbrains", "1.30.0", "go",
                countSuggested=9, countAccepted=7, linesAccepted=9, bytesAccepted=270),
    _completion("c6", "cid@ws.dev", "2023-12-31T23:00:00Z", "vscode", "1.28.0", "python",
                countSuggested=4, countAccepted=3, linesAccepted=4, bytesAccepted=120),
    _completion("c7", "cid@ws.dev", "2023-12-31T23:30:00Z", "vscode", "1.28.0", "python",
                countSuggested=2, countAccepted=2, linesAccepted=5, bytesAccepted=100),
    _completion("c8", "bob@ws.dev", "2024-02-01T05:00:00Z", "jetbrains", "1.30.0", "go",
                countSuggested=5, countAccepted=4, linesAccepted=6, bytesAccepted=150),
    _chat("h1", "ann@ws.dev", "2024-03-04T10:00:00Z", "jetbrains", DOCSTRING, model="gpt-4o",
          clientVersion="1.30.0", accepted=True, locUsed=50),
    _chat("h2", "bob@ws.dev", "2024-03-04T11:00:00Z", "jetbrains", DOCSTRING, model="claude-3.5",
          clientVersion="1.30.0", insertedAtCursor=True, locUsed=24),
    _chat("h3", "cid@ws.dev", "2024-03-05T07:30:00Z", "vscode", DOCSTRING, model="gpt-4o",
          clientVersion="1.28.0", applied=True, locUsed=41),
    _chat("h4", "ann@ws.dev", "2024-03-05T23:30:00Z", "vscode", "CHAT_INTENT_GENERIC",
          model="gpt-4o", clientVersion="1.28.0", insertedAtCursor=True, locUsed=10),
    _chat("h5", "bob@ws.dev", "2024-03-06T09:00:00Z", "jetbrains",
          "CHAT_INTENT_FUNCTION_EXPLAIN", model="claude-3.5", clientVersion="1.30.0",
          accepted=True),
    _chat("h6", "cid@ws.dev", "2024-03-06T10:00:00Z", "vscode", "EXPLAIN_CODE", model="qwen",
          clientVersion="2.1.0", locUsed=3),
    _change("g1", "ann@ws.dev", "2024-04-01T09:00:00Z", "python", 15, 3, ide="vscode",
            clientVersion="1.28.0", providerSource=EDIT, commandSource=DEFAULT,
            selectionLines=8, selectionBytes=240),
    _change("g2", "bob@ws.dev", "2024-04-01T10:30:00Z", "python", 6, 2, ide="jetbrains",
            clientVersion="1.30.0", providerSource=EDIT, commandSource=CODE_LENS,
            selectionLines=4, selectionBytes=100),
    _change("g3", "bob@ws.dev", "2024-04-02T15:00:00Z", "go", 31, 27, ide="jetbrains",
            clientVersion="1.30.0", providerSource=EDIT, commandSource=DEFAULT,
            selectionLines=30, selectionBytes=900),
    _change("g4", "cid@ws.dev", "2024-04-02T16:00:00Z", "go", 40, 1, ide="vscode",
            clientVersion="1.28.0", providerSource=EDIT, commandSource=DEFAULT,
            accepted=False, selectionLines=2, selectionBytes=50),
    _change("g5", "ann@ws.dev", "2024-04-03T08:00:00Z", "python", 12, 0, ide="vscode",
            clientVersion="1.28.0", providerSource=GENERATE, commandSource=DEFAULT),
    _change("g6", "ann@ws.dev", "2024-04-03T09:00:00Z", "python", 100, 50, ide="vscode",
            source="AGENT", providerSource=EDIT),
    _typing("t1", "ann@ws.dev", "2024-02-01T10:00:00Z", "go", 2000, 3000, 1000),
    _typing("t2", "bob@ws.dev", "2024-06-15T10:00:00Z", "go", 1882, 1593, 425),
    _typing("t3", "ann@ws.dev", "2024-02-01T10:00:00Z", "python", 500, 500, 0),
    _typing("t4", "bob@ws.dev", "2023-12-31T23:59:59Z", "go", 100, 900, 0),
    _typing("t5", "cid@ws.dev", "2024-12-22T00:00:01Z", "go", 10, 20, 30),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Org:
    """The organization as the tests see it: its tenant and each person's ``api_key``."""

    tenant: Tenant
    keys: dict[str, str]  # "ann" -> md5 of ann's user id

    @property
    def read(self) -> str:
        """A read token, the Windsurf ``service_key``."""
        return self.tenant.read


def send_facts(client: TestClient, tenant: Tenant, facts: list[dict[str, Any]]) -> None:
    """Ingest facts through POST /api/v1/ingest; every one must be stored."""
    body = b"\n".join(msgspec.json.encode(f) for f in facts)
    response = client.post(
        "/api/v1/ingest",
        content=body,
        headers=tenant.headers("ingest") | {"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": len(facts), "duplicates": 0, "rejected": []}


def build_org(client: TestClient, tenant: Tenant) -> Org:
    """Post the people (admin API) and the facts (ingest API) of this module."""
    people = client.post(
        f"/api/v1/organizations/{tenant.org.id}/people",
        json={"people": PEOPLE},
        headers=tenant.headers("admin"),
    )
    assert people.status_code == 200, people.text
    send_facts(client, tenant, FACTS)
    listed = client.get(
        f"/api/v1/organizations/{tenant.org.id}/people", headers=tenant.headers("read")
    ).json()["people"]
    keys = {p["email"].split("@")[0]: hashlib.md5(p["id"].encode()).hexdigest() for p in listed}
    return Org(tenant, keys)


def analytics(
    client: TestClient, key: str, *queries: dict[str, Any], **top: Any
) -> tuple[int, dict[str, Any]]:
    """POST /api/v1/Analytics with a service key and query requests; status and JSON body."""
    body = {"service_key": key, **top, "query_requests": list(queries)}
    response = client.post("/api/v1/Analytics", json=body)
    return response.status_code, response.json()


def items(*rows: dict[str, str]) -> dict[str, Any]:
    """One query result with these items."""
    return {"responseItems": [{"item": row} for row in rows]}
