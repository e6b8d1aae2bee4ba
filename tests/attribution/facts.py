"""Wire facts for attribution tests, fingerprinted the way the clients do it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aicode.attribution.fingerprint import fingerprint, is_trivial

KEY = bytes(range(32))
REPO = "github.com/acme/app"
ANN = "ann@acme.dev"

Block = tuple[int, Sequence[str]]  # first line number, consecutive lines


def ts(day: int, hour: int, minute: int = 0) -> str:
    """An instant of June 2025, UTC."""
    return f"2025-06-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def fp(text: str) -> str:
    """The fingerprint of a line under the test organization key."""
    return fingerprint(KEY, text)


def change(
    fact_id: str,
    when: str,
    file: str,
    added: Sequence[str] = (),
    deleted: Sequence[str] = (),
    *,
    source: str = "AGENT",
    product: str = "cli",
    conversation: str | None = "conv-1",
    model: str = "claude-sonnet",
    repo: str | None = REPO,
    user: str = ANN,
    accepted: bool = True,
) -> dict[str, Any]:
    """An AI change to one file, as an agent hook sends it."""
    fact: dict[str, Any] = {
        "type": "change",
        "id": fact_id,
        "user": user,
        "ts": when,
        "source": source,
        "productType": product,
        "model": model,
        "accepted": accepted,
        "files": [
            {
                "fileName": file,
                "addedFingerprints": [fp(t) for t in added],
                "deletedFingerprints": [fp(t) for t in deleted],
            }
        ],
    }
    if conversation is not None:
        fact["conversationId"] = conversation
    if repo is not None:
        fact["repo"] = repo
    return fact


def _numbered(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [
        {"line": start + i, "fp": fp(text), "trivial": is_trivial(text)}
        for start, texts in blocks
        for i, text in enumerate(texts)
    ]


def file(
    path: str,
    added: Sequence[Block] = (),
    deleted: Sequence[Block] = (),
    *,
    old_path: str | None = None,
) -> dict[str, Any]:
    """One file of a commit, as the git hook sends it."""
    added_lines, deleted_lines = _numbered(added), _numbered(deleted)
    out: dict[str, Any] = {
        "path": path,
        "linesAdded": len(added_lines),
        "linesDeleted": len(deleted_lines),
        "addedLines": added_lines,
        "deletedLines": deleted_lines,
    }
    if old_path is not None:
        out["oldPath"] = old_path
    return out


def commit(
    commit_hash: str,
    when: str,
    files: Sequence[dict[str, Any]],
    *,
    repo: str = REPO,
    user: str = ANN,
    branch: str = "main",
    primary: bool = True,
    parents: Sequence[str] = (),
) -> dict[str, Any]:
    """A commit without attribution, as the git hook sends it."""
    return {
        "type": "commit",
        "id": f"{repo}:{commit_hash}",
        "user": user,
        "ts": when,
        "repo": repo,
        "commitHash": commit_hash,
        "branch": branch,
        "isPrimaryBranch": primary,
        "message": f"commit {commit_hash}",
        "parents": list(parents),
        "files": list(files),
    }


def rewrite(
    when: str, kind: str, mappings: Sequence[tuple[str, str]], *, repo: str = REPO, user: str = ANN
) -> dict[str, Any]:
    """A post-rewrite mapping of old commits to new ones."""
    return {
        "type": "rewrite",
        "id": f"{repo}:{kind}:{mappings[0][1]}",
        "user": user,
        "ts": when,
        "repo": repo,
        "kind": kind,
        "mappings": [{"old": old, "new": new} for old, new in mappings],
    }


def group(
    ranges: Sequence[tuple[int, int]],
    *,
    conversation: str | None = "conv-1",
    source: str = "AGENT",
    product: str = "cli",
    kind: str = "added",
) -> dict[str, Any]:
    """One group of a range annotation, every key spelled out."""
    return {
        "conversationId": conversation,
        "source": source,
        "productType": product,
        "type": kind,
        "ranges": [{"start": s, "end": e} for s, e in ranges],
    }
