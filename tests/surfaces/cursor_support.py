"""Helpers of the Cursor surface tests (fixtures: tests/surfaces/cursor_fixtures.py).

The hand-made organization is tests/world.py's (ann, bob, cid) plus dee, who works in
privacy mode: two accepted AI changes and a commit whose message looks like a spreadsheet
formula. Every fact is stored with the receive time ``CREATED``, so ``createdAt`` is exact.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import msgspec
from fastapi.testclient import TestClient

from aicode.model.facts import Fact
from aicode.model.tenancy import User
from aicode.store.base import Store
from tests.world import World

CREATED = dt.datetime(2025, 6, 5, 8, 0, 0, 123_456)  # naive UTC, as the store keeps it
CREATED_ISO = "2025-06-05T08:00:00.123Z"
RANGE = {"startDate": "2025-06-02", "endDate": "2025-06-04"}
PATHS = ("commits", "commits.csv", "changes", "changes.csv")

DEE_FACTS: list[dict[str, Any]] = [
    {
        "type": "change",
        "id": "g5",
        "user": "dee@acme.dev",
        "ts": "2025-06-03T16:00:00Z",
        "source": "COMPOSER",
        "model": "gpt-5",
        "files": [
            {"fileName": "secret/plan.go", "linesAdded": 4, "linesDeleted": 1},
            {"fileName": "Makefile", "linesAdded": 1},
        ],
    },
    {
        "type": "change",
        "id": "g6",
        "user": "dee@acme.dev",
        "ts": "2025-06-04T11:00:00Z",
        "source": "NEXT",
        "model": "tab-small",
        "files": [{"fileName": "secret/plan.go", "linesAdded": 2}],
    },
    {
        "type": "commit",
        "user": "dee@acme.dev",
        "ts": "2025-06-04T18:00:00Z",
        "repo": "core",
        "commitHash": "dddd0005",
        "branch": "main",
        "isPrimaryBranch": True,
        "message": '=HYPERLINK("http://evil.example")',
        "files": [
            {
                "path": "secret/plan.go",
                "linesAdded": 6,
                "linesDeleted": 1,
                "attribution": {
                    "ideAgentLinesAdded": 3,
                    "ideAgentLinesDeleted": 1,
                    "ideNextLinesAdded": 2,
                },
            }
        ],
    },
]


@dataclasses.dataclass(frozen=True)
class CursorWorld:
    """The hand-made organization with its privacy-mode member and a read key."""

    world: World
    dee: User
    key: str

    @property
    def store(self) -> Store:
        """The store it lives in."""
        return self.world.store


def ingest(store: Store, world: World, facts: list[dict[str, Any]]) -> None:
    """Store wire-format facts in the world's organization, all accepted."""
    decoder = msgspec.json.Decoder(Fact)
    outcome = store.ingest(
        world.org, [(i, decoder.decode(msgspec.json.encode(f))) for i, f in enumerate(facts)]
    )
    assert outcome.rejected == []


def get(client: TestClient, path: str, key: str, **params: str) -> Any:
    """GET an AI Code Tracking endpoint with the key as Basic user name, as ``curl -u KEY:``."""
    return client.get(f"/analytics/ai-code/{path}", params=params, auth=(key, ""))


def set_now(client: TestClient, now: dt.datetime) -> None:
    """Make the surface's "now" a fixed instant."""
    client.app.state.cursor.clock = lambda: now  # type: ignore[attr-defined]
