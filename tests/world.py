"""A small hand-made organization whose every number is worked out in the tests by hand.

People: ann (Eng/Platform), bob (Eng/Web), cid (no department).
Days: D1 = 2025-06-02, D2 = 2025-06-03, D3 = 2025-06-04 (D4 = 2025-06-05 has no data).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import msgspec

from aicode.metrics.filters import department_num_path
from aicode.model.facts import Fact
from aicode.model.tenancy import Organization, User
from aicode.store.base import PersonRecord, Store

D1, D2, D3, D4 = (dt.date(2025, 6, 2) + dt.timedelta(days=i) for i in range(4))


def _ts(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


def _lines(start: int, count: int, prefix: str) -> list[dict[str, Any]]:
    return [{"line": start + i, "fp": f"{prefix}{i}"} for i in range(count)]


FACTS: list[dict[str, Any]] = [
    # completions
    {
        "type": "completion",
        "id": "c1",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 10),
        "ide": "vscode",
        "language": "python",
        "countSuggested": 10,
        "countAccepted": 4,
        "linesSuggested": 20,
        "linesAccepted": 6,
        "bytesAccepted": 120,
    },
    {
        "type": "completion",
        "id": "c2",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 11),
        "ide": "jetbrains",
        "language": "java",
        "productType": "plugin",
        "countSuggested": 5,
        "countAccepted": 1,
        "linesSuggested": 5,
        "linesAccepted": 2,
    },
    {
        "type": "completion",
        "id": "c3",
        "user": "bob@acme.dev",
        "ts": _ts(D2, 9),
        "ide": "vscode",
        "language": "typescript",
        "countSuggested": 8,
        "countAccepted": 2,
        "linesSuggested": 8,
        "linesAccepted": 3,
    },
    {
        "type": "completion",
        "id": "c4",
        "user": "bob@acme.dev",
        "ts": _ts(D1, 16),
        "ide": "vscode",
        "language": "python",
        "countSuggested": 2,
        "countAccepted": 1,
        "linesSuggested": 2,
        "linesAccepted": 1,
    },
    # chats
    {
        "type": "chat",
        "id": "h1",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 12),
        "ide": "vscode",
        "chatType": "EXPLAIN_CODE",
        "accepted": True,
    },
    {
        "type": "chat",
        "id": "h2",
        "user": "cid@acme.dev",
        "ts": _ts(D2, 10),
        "ide": "vscode",
        "chatType": "FREE_INPUT",
    },
    {
        "type": "chat",
        "id": "h3",
        "user": "cid@acme.dev",
        "ts": _ts(D2, 14),
        "ide": "jetbrains",
        "chatType": "review-sql",
        "accepted": True,
        "locUsed": 5,
    },
    # AI changes
    {
        "type": "change",
        "id": "g1",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 13),
        "source": "AGENT",
        "model": "m1",
        "conversationId": "s1",
        "files": [
            {"fileName": "src/app.py", "addedFingerprints": ["a1", "a2", "a3"], "linesDeleted": 1}
        ],
    },
    {
        "type": "change",
        "id": "g2",
        "user": "bob@acme.dev",
        "ts": _ts(D2, 11),
        "source": "TAB",
        "files": [{"fileName": "web/ui.ts", "linesAdded": 2}],
    },
    {
        "type": "change",
        "id": "g3",
        "user": "bob@acme.dev",
        "ts": _ts(D3, 9),
        "source": "AGENT",
        "productType": "cli",
        "accepted": False,
        "files": [{"fileName": "web/ui.ts", "linesAdded": 4, "linesDeleted": 2}],
    },
    {
        "type": "change",
        "id": "g4",
        "user": "ann@acme.dev",
        "ts": _ts(D3, 10),
        "source": "QUEST",
        "files": [
            {"fileName": "src/app.py", "linesAdded": 2},
            {"fileName": "docs/readme.md", "linesAdded": 1},
        ],
    },
    # commits
    {
        "type": "commit",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 15),
        "repo": "core",
        "commitHash": "aaaa0001",
        "branch": "main",
        "isPrimaryBranch": True,
        "message": "feat: app",
        "files": [
            {
                "path": "src/app.py",
                "addedLines": _lines(1, 5, "p"),
                "linesDeleted": 2,
                "attribution": {"ideAgentLinesAdded": 3, "ideAgentLinesDeleted": 1},
            },
            {"path": "docs/a.md", "addedLines": _lines(1, 1, "m")},
        ],
    },
    {
        "type": "commit",
        "user": "bob@acme.dev",
        "ts": _ts(D2, 15),
        "repo": "web",
        "commitHash": "bbbb0002",
        "branch": "feat",
        "isPrimaryBranch": False,
        "files": [{"path": "web/ui.ts", "linesAdded": 4, "attribution": {"ideNextLinesAdded": 2}}],
    },
    {
        "type": "commit",
        "user": "ann@acme.dev",
        "ts": _ts(D3, 15),
        "repo": "core",
        "commitHash": "aaaa0003",
        "branch": "main",
        "isPrimaryBranch": True,
        "files": [
            {"path": "src/app.py", "linesAdded": 2, "attribution": {"ideQuestLinesAdded": 2}},
            {"path": "docs/readme.md", "linesAdded": 1, "attribution": {"ideQuestLinesAdded": 1}},
        ],
    },
    {
        "type": "commit",
        "user": "cid@acme.dev",
        "ts": _ts(D3, 17),
        "repo": "core-tools",
        "commitHash": "cccc0004",
        "files": [{"path": "tools/x.go", "linesAdded": 10, "linesDeleted": 5}],
    },
]


@dataclasses.dataclass(frozen=True)
class World:
    """The hand-made organization."""

    store: Store
    org: Organization
    ann: User
    bob: User
    cid: User
    eng: str  # num_path of Eng
    platform: str  # num_path of Eng/Platform


def department_path(store: Store, org: Organization, path: str) -> str:
    """The num_path of a department given by name path (for Filters)."""
    department = next(d for d in store.list_departments(org) if d.path == path)
    num_path = department_num_path(store, org.num, department.id)
    assert num_path is not None
    return num_path


def build_world(store: Store) -> World:
    """Store the hand-made organization's people and facts."""
    org = store.create_organization("acme")
    store.import_people(
        org,
        [
            PersonRecord("ann@acme.dev", "Ann", "Eng/Platform"),
            PersonRecord("bob@acme.dev", "Bob", "Eng/Web"),
            PersonRecord("cid@acme.dev", "Cid"),
        ],
    )
    decoder = msgspec.json.Decoder(Fact)
    facts = [(i, decoder.decode(msgspec.json.encode(f))) for i, f in enumerate(FACTS)]
    outcome = store.ingest(org, facts)
    assert outcome.rejected == []
    assert outcome.accepted == len(FACTS)
    users = {u.email: u for u in store.list_users(org)}
    return World(
        store,
        org,
        users["ann@acme.dev"],
        users["bob@acme.dev"],
        users["cid@acme.dev"],
        department_path(store, org, "Eng"),
        department_path(store, org, "Eng/Platform"),
    )
