"""The Qoder tests' organization: tests/world.py plus a fourth day ingested over HTTP.

D1-D3 are world.py's facts (whose numbers tests/metrics works out by hand). D4 =
2025-06-05 adds, through POST /api/v1/ingest, what only Qoder shows: plugin, CLI and
JetBrains inline-chat lines, line-range annotations, NEXT and COMPOSER changes, a change
without files, a commit message a spreadsheet would run as a formula and one that needs
CSV quoting.

Imported explicitly by the Qoder test modules (other surfaces share tests/surfaces).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import httpx
import pytest
import sqlglot
from fastapi.testclient import TestClient

from aicode.model.attribution import ATTRIBUTION_PAIRS
from aicode.model.tenancy import Scope
from aicode.store.base import Store
from tests.world import World

FORMULA_MESSAGE = '=HYPERLINK("http://x","y")'
QUOTED_MESSAGE = '-1 fix, "quoted"\nsecond line'

D4_FACTS: list[dict[str, Any]] = [
    {
        "type": "commit",
        "user": "ann@acme.dev",
        "ts": "2025-06-05T09:00:00Z",
        "repo": "core",
        "commitHash": "dddd0005",
        "branch": "main",
        "isPrimaryBranch": True,
        "message": FORMULA_MESSAGE,
        "files": [
            {
                "path": "src/app.py",
                "linesAdded": 4,
                "linesDeleted": 2,
                "attribution": {
                    "pluginNextLinesAdded": 1,
                    "cliAgentLinesAdded": 1,
                    "jbInlineChatLinesAdded": 1,
                    "jbInlineChatLinesDeleted": 1,
                },
            },
            {"path": "src/util.ts", "linesAdded": 2, "attribution": {"pluginAgentLinesAdded": 2}},
        ],
        "rangeAnnotations": [
            {
                "filePath": "src/app.py",
                "groups": [
                    {
                        "conversationId": "s9",
                        "source": "AGENT",
                        "productType": "cli",
                        "ranges": [{"start": 3, "end": 3}],
                    },
                    {"source": "TAB", "productType": "plugin", "ranges": [{"start": 1, "end": 1}]},
                    {
                        "conversationId": "s10",
                        "source": "INLINECHAT",
                        "productType": "plugin",
                        "type": "added",
                        "ranges": [{"start": 2, "end": 2}],
                    },
                    {
                        "conversationId": "s10",
                        "source": "INLINECHAT",
                        "productType": "plugin",
                        "type": "deleted",
                        "ranges": [{"start": 7, "end": 7}],
                    },
                ],
            },
            {
                "filePath": "src/util.ts",
                "groups": [
                    {
                        "conversationId": "s11",
                        "source": "AGENT",
                        "productType": "plugin",
                        "ranges": [{"start": 1, "end": 2}],
                    }
                ],
            },
        ],
    },
    {
        "type": "commit",
        "user": "bob@acme.dev",
        "ts": "2025-06-05T10:00:00Z",
        "repo": "web",
        "commitHash": "eeee0006",
        "branch": "main",
        "isPrimaryBranch": True,
        "message": QUOTED_MESSAGE,
        "files": [
            {
                "path": "web/ui.ts",
                "linesAdded": 3,
                "linesDeleted": 1,
                "attribution": {"ideInlineChatLinesAdded": 1},
            }
        ],
    },
    {
        "type": "change",
        "id": "g5",
        "user": "bob@acme.dev",
        "ts": "2025-06-05T11:00:00Z",
        "source": "NEXT",
        "productType": "plugin",
        "model": "lite",
        "files": [{"fileName": "web/ui.ts", "linesAdded": 1}],
    },
    {
        "type": "change",
        "id": "g6",
        "user": "ann@acme.dev",
        "ts": "2025-06-05T12:00:00Z",
        "source": "INLINECHAT",
        "model": "auto",
        "conversationId": "s10",
        "files": [
            {"fileName": "src/app.py", "linesAdded": 2, "linesDeleted": 2},
            {"fileName": "src/util.ts", "linesAdded": 1},
        ],
    },
    {
        "type": "change",
        "id": "g7",
        "user": "cid@acme.dev",
        "ts": "2025-06-05T13:00:00Z",
        "source": "COMPOSER",
        "accepted": False,
    },
    {
        "type": "completion",
        "id": "c5",
        "user": "ann@acme.dev",
        "ts": "2025-06-05T08:00:00Z",
        "ide": "jetbrains",
        "productType": "plugin",
        "language": "typescript",
        "countSuggested": 4,
        "countAccepted": 3,
        "linesSuggested": 4,
        "linesAccepted": 3,
    },
    {
        "type": "chat",
        "id": "h4",
        "user": "bob@acme.dev",
        "ts": "2025-06-05T14:00:00Z",
        "ide": "vscode",
        "chatType": "FREE_INPUT",
    },
]


@dataclasses.dataclass(frozen=True)
class QoderOrg:
    """The organization, a read token's headers and the Qoder path prefix."""

    world: World
    headers: dict[str, str]
    base: str

    def get(self, client: TestClient, path: str, query: str = "") -> httpx.Response:
        """GET a Qoder path with the read token."""
        return client.get(
            f"{self.base}/{path}" + (f"?{query}" if query else ""), headers=self.headers
        )

    def post(self, client: TestClient, path: str, body: Any) -> httpx.Response:
        """POST JSON to a Qoder path with the read token."""
        return client.post(f"{self.base}/{path}", json=body, headers=self.headers)


def ingest(client: TestClient, store: Store, world: World, facts: list[dict[str, Any]]) -> None:
    """Send facts through the ingest API with an ingest token of the world's organization."""
    _, secret = store.create_token(world.org, "qoder-ingest", [Scope.INGEST])
    response = client.post(
        "/api/v1/ingest", json=facts, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": len(facts), "duplicates": 0, "rejected": []}


@pytest.fixture
def qoder_org(client: TestClient, store: Store, world: World) -> QoderOrg:
    """world.py's organization with the fourth day, and a read token."""
    ingest(client, store, world, D4_FACTS)
    _, secret = store.create_token(world.org, "qoder-read", [Scope.READ])
    return QoderOrg(
        world, {"Authorization": f"Bearer {secret}"}, f"/v1/organizations/{world.org.id}"
    )


def received_at(store: Store, table: str, key: str) -> dict[str, str]:
    """When each commit (by hash) or change (by id) was received, as Qoder prints it."""
    rows = store.query(sqlglot.parse_one(f"SELECT {key} AS key, received_at FROM {table}"))
    return {r["key"]: r["received_at"].isoformat() + "Z" for r in rows}


def commit_json(
    commit_hash: str,
    user_id: str,
    email: str,
    repo: str,
    branch: str,
    primary: bool,
    lines: tuple[int, int],
    ai: dict[str, tuple[int, int]],
    message: str,
    commit_ts: str,
    created_at: str,
) -> dict[str, Any]:
    """A commit list item written out in the seed's field order; unnamed pairs are 0."""
    item: dict[str, Any] = {
        "commitHash": commit_hash,
        "userId": user_id,
        "userEmail": email,
        "repoName": repo,
        "branchName": branch,
        "isPrimaryBranch": primary,
        "totalLinesAdded": lines[0],
        "totalLinesDeleted": lines[1],
    }
    for pair in ATTRIBUTION_PAIRS:
        added, deleted = ai.get(pair, (0, 0))
        item[f"{pair}LinesAdded"] = added
        item[f"{pair}LinesDeleted"] = deleted
    item["nonAiLinesAdded"], item["nonAiLinesDeleted"] = ai["nonAi"]
    item["message"] = message
    item["commitTs"] = commit_ts
    item["createdAt"] = created_at
    return item


def assert_error(
    response: httpx.Response, status: int, code: str, message: str, field: str | None
) -> None:
    """A Qoder error: status, code, message, the field at fault and a fresh request id."""
    assert response.status_code == status, response.text
    body = response.json()
    request_id = body.pop("requestId")
    assert str(uuid.UUID(request_id)) == request_id
    assert response.headers["x-request-id"] == request_id
    expected: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        expected["details"] = {"field": field}
    assert body == expected
