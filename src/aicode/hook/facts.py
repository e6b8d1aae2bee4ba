"""The wire facts the clients send: ``commit``, ``rewrite`` and ``change`` (see docs/ingest.md).

Only fingerprints, line numbers, paths and commit metadata go on the wire, never a line of code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from aicode.attribution.fingerprint import fingerprint, is_trivial
from aicode.hook.diff import FileDiff
from aicode.hook.git import BranchInfo, CommitInfo
from aicode.hook.merges import OwnLines
from aicode.hook.transport import USER_AGENT

# Past this many numbered lines a commit (a vendored or generated tree) sends only counts for
# its remaining files: its body stays well under the server's size limit.
MAX_NUMBERED_LINES: Final = 100_000
SHORT_TEXT: Final = 256


def iso(moment: dt.datetime) -> str:
    """An aware date-time as RFC 3339 UTC with a ``Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def numbered(key: bytes, lines: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
    """``{line, fp, trivial}`` for each (line number, text)."""
    return [
        {"line": number, "fp": fingerprint(key, text), "trivial": is_trivial(text)}
        for number, text in lines
    ]


def commit_file(
    key: bytes, diff: FileDiff, *, with_lines: bool, own: OwnLines | None = None
) -> dict[str, Any]:
    """One file of a commit fact; ``own``: a merge's own lines in this file."""
    entry: dict[str, Any] = {"path": diff.path}
    if diff.old_path is not None:
        entry["oldPath"] = diff.old_path
    entry["binary"] = diff.binary
    entry["linesAdded"] = len(diff.added)
    entry["linesDeleted"] = len(diff.deleted)
    if with_lines:
        entry["addedLines"] = numbered(key, diff.added)
        entry["deletedLines"] = numbered(key, diff.deleted)
    if own is not None:
        # Only lines of the first-parent diff: what the combined diff shows is a subset.
        added = sorted(own.added & {number for number, _ in diff.added})
        deleted = sorted(own.deleted & {number for number, _ in diff.deleted})
        if added:
            entry["ownAddedLines"] = added
        if deleted:
            entry["ownDeletedLines"] = deleted
    return entry


def commit_fact(
    key: bytes,
    repo: str,
    commit: CommitInfo,
    files: Sequence[FileDiff],
    branch: BranchInfo,
    own: Mapping[str, OwnLines] | None = None,
) -> dict[str, Any]:
    """The ``commit`` fact: no attribution, the server computes it from the fingerprints.

    The commit must have an author email (``user``): see ``build_commit_facts``. ``own``: of
    a merge, the lines it wrote itself per path; every other line it is sent with is merged.
    """
    budget = MAX_NUMBERED_LINES
    wire_files = []
    for diff in files:
        if diff.submodule:
            continue  # a submodule pointer moved: its lines belong to the other repository
        size = len(diff.added) + len(diff.deleted)
        mine = (own or {}).get(diff.path)
        wire_files.append(commit_file(key, diff, with_lines=size <= budget, own=mine))
        if size <= budget:
            budget -= size
    fact: dict[str, Any] = {
        "type": "commit",
        "repo": repo,
        "commitHash": commit.hash,
        "parents": list(commit.parents),
        "branch": branch.name[:SHORT_TEXT] if branch.name else None,
        "isPrimaryBranch": branch.primary,
        "message": commit.message,
        "ts": iso(commit.author_time),
        # An amend, rebase or cherry-pick keeps the author time: the committer time tells the
        # server that AI edits made since may have written the commit's lines.
        "committedAt": iso(commit.committer_time),
        "user": commit.author_email,
        "clientVersion": USER_AGENT,
        "files": wire_files,
    }
    return fact


def rewrite_fact(
    repo: str, kind: str, mappings: Sequence[tuple[str, str]], user: str, ts: dt.datetime
) -> dict[str, Any]:
    """The ``rewrite`` fact: each old commit is replaced by its new one (amend or rebase).

    ``user`` is who rewrote the history: the new commit's committer (else its author).
    """
    return {
        "type": "rewrite",
        "id": f"{repo}:{kind}:{mappings[0][1]}",
        "user": user,
        "ts": iso(ts),
        "repo": repo,
        "kind": kind,
        "mappings": [{"old": old, "new": new} for old, new in mappings],
        "clientVersion": USER_AGENT,
    }
