"""Sending facts: large batches go in several requests, and the answers add up."""

from __future__ import annotations

from typing import Any

import pytest

from aicode.app import create_app
from aicode.hook import transport
from aicode.hook.transport import ClientConfig, post_all, split_requests
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.live_server import live_server


def commit(n: int, lines: int, user: str = "dev@acme.dev") -> dict[str, Any]:
    """A commit fact adding ``lines`` numbered lines to one file."""
    return {
        "type": "commit",
        "repo": "github.com/acme/app",
        "commitHash": f"{n:040x}",
        "ts": "2025-06-02T10:00:00Z",
        "user": user,
        "files": [
            {
                "path": "a.py",
                "linesAdded": lines,
                "linesDeleted": 0,
                "addedLines": [
                    {"line": i + 1, "fp": f"{i:016x}", "trivial": False} for i in range(lines)
                ],
                "deletedLines": [],
            }
        ],
    }


def test_requests_hold_a_bounded_number_of_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "MAX_REQUEST_LINES", 3)
    facts = [commit(1, 2), commit(2, 1), commit(3, 2), commit(4, 5), commit(5, 0)]
    parts = split_requests(facts)
    # A fact is never cut: one larger than the bound goes alone.
    assert [[f["commitHash"][-1] for f in part] for part in parts] == [
        ["1", "2"],
        ["3"],
        ["4"],
        ["5"],
    ]
    change = {
        "type": "change",
        "files": [{"addedFingerprints": ["a", "b"], "deletedFingerprints": ["c"]}],
    }
    assert split_requests([change, commit(6, 1)]) == [[change], [commit(6, 1)]]
    assert split_requests([]) == []


def test_answers_add_up_and_refusals_keep_their_place(
    settings: Settings, store: Store, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "MAX_REQUEST_LINES", 2)
    facts = [commit(1, 2), commit(2, 1), commit(3, 1, user="not a person")]
    with live_server(create_app(settings, store=store)) as url:
        answer = post_all(ClientConfig(url, tenant.ingest), facts)
        again = post_all(ClientConfig(url, tenant.ingest), facts[:2])
    assert answer == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {
                "index": 2,
                "field": "user",
                "reason": "unknown user 'not a person': not an email or known id",
            }
        ],
    }
    assert again == {"accepted": 0, "duplicates": 2, "rejected": []}
