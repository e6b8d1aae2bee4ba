"""``aicode attribute``: send commits no hook saw (a squash merge made on the git host)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final

from aicode.hook.commits import build_commit_facts
from aicode.hook.git import BranchInfo, Repo, repo_id
from aicode.hook.transport import ClientConfig, post_all

BATCH_COMMITS: Final = 100
SEND_TIMEOUT_S: Final = 60.0  # run by hand or in CI: waiting beats failing


def commit_facts(
    repo: Repo, key: bytes, revisions: Sequence[str], branch: BranchInfo
) -> Iterator[list[dict[str, Any]]]:
    """Commit facts for these commits, a batch at a time."""
    name = repo_id(repo)
    for start in range(0, len(revisions), BATCH_COMMITS):
        chunk = revisions[start : start + BATCH_COMMITS]
        yield build_commit_facts(repo, key, name, [(h, branch) for h in chunk])


def send(config: ClientConfig, batch: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Send one batch and return the server's answer."""
    return post_all(config, batch, timeout=SEND_TIMEOUT_S)
