"""Commit facts from the repository: each commit's diff against its first parent, fingerprinted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aicode.hook import facts as wire
from aicode.hook.diff import commit_diff
from aicode.hook.git import BranchInfo, Repo, read_commits


def build_commit_facts(
    repo: Repo, key: bytes, repo_name: str, commits: Sequence[tuple[str, BranchInfo]]
) -> list[dict[str, Any]]:
    """One ``commit`` fact per (hash, branch it was made on), in the order given."""
    infos = read_commits(repo, [h for h, _ in commits])
    facts = []
    for info, (_, branch) in zip(infos, commits, strict=True):
        files = commit_diff(repo, info.hash, info.parents[0] if info.parents else None)
        facts.append(wire.commit_fact(key, repo_name, info, files, branch))
    return facts
