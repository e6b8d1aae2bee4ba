"""What the git hooks do: spool the new commit (post-commit) or the rewrite (post-rewrite), then
deliver the spool. They run detached from ``git``, so their time never shows in a commit."""

from __future__ import annotations

from typing import Any, Final

from aicode.hook import facts as wire
from aicode.hook.commits import NO_EMAIL_HELP
from aicode.hook.git import (
    BranchInfo,
    CommitInfo,
    Repo,
    branch_info,
    current_branch,
    read_commits,
    repo_id,
    resolve_commit,
)
from aicode.hook.resets import replaced_by_reset
from aicode.hook.spool import FlushResult, enqueue, flush, pending
from aicode.hook.state import log
from aicode.hook.transport import load_config

REWRITE_KINDS: Final = ("amend", "rebase")
# A repository whose hook cannot deliver for months stops growing its spool here.
MAX_PENDING: Final = 10_000


def _room(repo: Repo) -> bool:
    if len(pending(repo)) < MAX_PENDING:
        return True
    log(repo.state_dir, f"spool full ({MAX_PENDING} batches): run `aicode hook flush`")
    return False


def branch_at_hook(repo: Repo, ref: str | None) -> BranchInfo:
    """The branch HEAD named when the hook ran (``refs/heads/x``; anything else is detached)."""
    if ref is None:
        return current_branch(repo)
    return branch_info(
        repo, ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    )


def post_commit(
    repo: Repo, commit: str | None = None, ref: str | None = None
) -> FlushResult | None:
    """Spool the commit just made and deliver the spool; None when there was nothing to do.

    The installed hook passes the commit and HEAD's ref as they were when git ran it; run by
    hand, both are read now.
    """
    if ref is None and repo.rebase_in_progress():
        # Commits replayed by a rebase are sent by its post-rewrite hook, on their branch.
        return None
    full = resolve_commit(repo, commit or "HEAD")
    if full is None or not _room(repo):
        return None
    name = repo_id(repo)
    branch = branch_at_hook(repo, ref)
    enqueue(repo, name, commits=[(full, branch)], facts=_squash_rewrite(repo, name, full, branch))
    return flush(repo, load_config(repo))


def _rewrite(
    repo: Repo, name: str, kind: str, mappings: list[tuple[str, str]], new: CommitInfo
) -> list[dict[str, Any]]:
    """The rewrite fact, by whoever made the new commit; none when git names nobody."""
    user = new.committer_email or new.author_email
    if not user:
        log(repo.state_dir, f"{kind} of {new.hash} not sent: {NO_EMAIL_HELP}")
        return []
    return [wire.rewrite_fact(name, kind, mappings, user, new.committer_time)]


def _squash_rewrite(repo: Repo, name: str, commit: str, branch: BranchInfo) -> list[dict[str, Any]]:
    """A rewrite mapping the commits a ``git reset`` dropped just before this commit to it.

    Reported as a rebase: ``reset --soft`` then commit is the squash of an interactive rebase.
    """
    dropped = replaced_by_reset(repo, commit, branch.name)
    if not dropped:
        return []
    info = read_commits(repo, [commit])[0]
    return _rewrite(repo, name, "rebase", [(old, commit) for old in dropped], info)


def parse_mappings(text: str) -> list[tuple[str, str]]:
    """``OLD NEW [extra]`` lines, as git gives post-rewrite on standard input.

    A commit "rewritten" into itself (an amend that changed nothing within the same second
    gives the same hash) replaces nothing: the server refuses such a mapping, so it is left out.
    """
    mappings = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0].lower() != fields[1].lower():
            mappings.append((fields[0], fields[1]))
    return mappings


def post_rewrite(repo: Repo, kind: str, text: str, ref: str | None = None) -> FlushResult | None:
    """Spool the rewrite (old -> new) and, after a rebase, the new commits; then deliver."""
    mappings = parse_mappings(text)
    if kind not in REWRITE_KINDS or not mappings or not _room(repo):
        return None
    name = repo_id(repo)
    first_new = read_commits(repo, [mappings[0][1]])[0]
    facts = _rewrite(repo, name, kind, mappings, first_new)
    commits = []
    if kind == "rebase":
        # An amend's new commit was already sent by post-commit; a rebase's were not (its
        # post-commit runs are skipped, HEAD being detached while it replays).
        branch = branch_at_hook(repo, ref)
        commits = [(new, branch) for new in dict.fromkeys(new for _, new in mappings)]
    if not commits and not facts:
        return None
    enqueue(repo, name, commits=commits, facts=facts)
    return flush(repo, load_config(repo))
