"""Commit facts from the repository: each commit's diff against its first parent, fingerprinted;
of a merge, also the lines it wrote itself (``merges.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from aicode.hook import facts as wire
from aicode.hook.diff import commit_diff
from aicode.hook.git import BranchInfo, GitError, Repo, read_commits
from aicode.hook.merges import OwnLines, merge_own_lines
from aicode.hook.state import log

NO_EMAIL_HELP: Final = (
    "the server identifies a person by the commit's author email: "
    "set it with `git config --global user.email you@example.com`"
)


def build_commit_facts(
    repo: Repo, key: bytes, repo_name: str, commits: Sequence[tuple[str, BranchInfo]]
) -> list[dict[str, Any]]:
    """One ``commit`` fact per (hash, branch it was made on), in the order given.

    A commit without an author email (``user.email`` set to nothing) names nobody the server
    could count it for: it is left out, and the log says why.
    """
    infos = read_commits(repo, [h for h, _ in commits])
    facts = []
    for info, (_, branch) in zip(infos, commits, strict=True):
        if not info.author_email:
            log(
                repo.state_dir, f"commit {info.hash} has no author email, not sent: {NO_EMAIL_HELP}"
            )
            continue
        files = commit_diff(repo, info.hash, info.parents[0] if info.parents else None)
        own = _own_lines(repo, info.hash, len(info.parents))
        facts.append(wire.commit_fact(key, repo_name, info, files, branch, own))
    return facts


def _own_lines(repo: Repo, commit: str, parents: int) -> dict[str, OwnLines]:
    """A merge's own lines; when git's combined diff cannot be read, none (all carried)."""
    if parents < 2:
        return {}
    try:
        return merge_own_lines(repo, commit, parents)
    except GitError as exc:
        log(repo.state_dir, f"merge {commit}: own lines unknown, all counted as merged: {exc}")
        return {}
