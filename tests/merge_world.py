"""A hand-made history with a merge commit, every number of which the tests work out by hand.

Repository ``core``; ann works on branch ``feat``, bob on ``main`` (the primary branch):

- ``a1`` (D1, ann, AI change): AGENT added the lines ``f1 f2 f3`` to ``src/app.py``;
  ``a2`` (D1, ann): TAB added ``r1`` to ``src/app.py`` (the conflict resolution, when there is
  one).
- ``f1`` (D1, ann, feat): ``src/app.py`` +3 (``f1 f2`` AI, ``h1`` human), ``docs/a.md`` +1.
- ``f2`` (D1, ann, feat): ``src/app.py`` +1 (``f3`` AI) -1 (``h1`` again: churn on the branch).
- ``m1`` (D1, bob, main): ``src/util.py`` +2, human.
- ``mm`` (D2, ann, main, parents ``m1 f2``): the merge of feat, diffed against ``m1``: it
  carries ``src/app.py`` +3 (``f1 f2 f3``, lines 1-3) and ``docs/a.md`` +1. With a resolution
  it also wrote ``src/app.py`` line 4 (``r1``, TAB) and removed line 10 of ``m1`` (human).

Over all branches the branch commits count and the merge only for its own lines; on the
primary branch ``m1`` and the whole merge count (the branch's churn never reached it).

The merge's own lines are listed as the git hook lists them (``ownAddedLines``,
``ownDeletedLines``); without them (``own=False``) it is sent as before the hook knew them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from aicode.model.facts import Fact
from aicode.model.tenancy import Organization
from aicode.store.base import IngestOutcome, Store

D1, D2 = dt.date(2025, 6, 2), dt.date(2025, 6, 3)
MERGE = "4d4d0005"


def _ts(day: dt.date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00Z"


def _added(*fingerprints: str, start: int = 1) -> list[dict[str, Any]]:
    return [{"line": start + i, "fp": fp} for i, fp in enumerate(fingerprints)]


CHANGES: list[dict[str, Any]] = [
    {
        "type": "change",
        "id": "a1",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 8),
        "source": "AGENT",
        "files": [{"fileName": "src/app.py", "addedFingerprints": ["f1", "f2", "f3"]}],
    },
    {
        "type": "change",
        "id": "a2",
        "user": "ann@acme.dev",
        "ts": _ts(D1, 9),
        "source": "TAB",
        "files": [{"fileName": "src/app.py", "addedFingerprints": ["r1"]}],
    },
]


def _commit(
    commit_hash: str, user: str, ts: str, branch: str, files: list[dict[str, Any]], **rest: Any
) -> dict[str, Any]:
    return {
        "type": "commit",
        "user": user,
        "ts": ts,
        "repo": "core",
        "commitHash": commit_hash,
        "branch": branch,
        "isPrimaryBranch": branch == "main",
        "files": files,
        **rest,
    }


BRANCH_COMMITS: list[dict[str, Any]] = [
    _commit(
        "f1f10001",
        "ann@acme.dev",
        _ts(D1, 10),
        "feat",
        [
            {"path": "src/app.py", "addedLines": _added("f1", "f2", "h1")},
            {"path": "docs/a.md", "addedLines": _added("m1")},
        ],
        parents=["00000001"],
    ),
    _commit(
        "f2f20002",
        "ann@acme.dev",
        _ts(D1, 11),
        "feat",
        [
            {
                "path": "src/app.py",
                "addedLines": _added("f3", start=3),
                "deletedLines": [{"line": 3, "fp": "h1"}],
            }
        ],
        parents=["f1f10001"],
    ),
    _commit(
        "b1b10003",
        "bob@acme.dev",
        _ts(D1, 12),
        "main",
        [{"path": "src/util.py", "addedLines": _added("u1", "u2")}],
        parents=["00000001"],
    ),
]


def merge_commit(*, resolution: bool, own: bool = True) -> dict[str, Any]:
    """The merge of feat into main, with or without a conflict resolution of its own."""
    app: dict[str, Any] = {"path": "src/app.py", "addedLines": _added("f1", "f2", "f3")}
    if resolution:
        app["addedLines"] = _added("f1", "f2", "f3", "r1")
        app["deletedLines"] = [{"line": 10, "fp": "x10"}]
        if own:
            app["ownAddedLines"] = [4]
            app["ownDeletedLines"] = [10]
    return _commit(
        MERGE,
        "ann@acme.dev",
        _ts(D2, 9),
        "main",
        [app, {"path": "docs/a.md", "addedLines": _added("m1")}],
        parents=["b1b10003", "f2f20002"],
        message="Merge branch 'feat'",
    )


def history(*, resolution: bool, own: bool = True) -> list[dict[str, Any]]:
    """Every fact of the history, in the order a hook and an IDE would send them."""
    return [*CHANGES, *BRANCH_COMMITS, merge_commit(resolution=resolution, own=own)]


def send(store: Store, org: Organization, *facts: dict[str, Any]) -> IngestOutcome:
    """Ingest wire facts into the store."""
    decoder = msgspec.json.Decoder(Fact)
    decoded = [(i, decoder.decode(msgspec.json.encode(f))) for i, f in enumerate(facts)]
    return store.ingest(org, decoded)


def build(store: Store, org: Organization, *, resolution: bool, own: bool = True) -> None:
    """Store the history for an organization."""
    outcome = send(store, org, *history(resolution=resolution, own=own))
    assert outcome.rejected == []
    assert outcome.accepted == 6
