"""A squash made with ``git reset`` and ``git commit``: the commits it replaced.

``git reset --soft HEAD~3 && git commit`` squashes three commits into one like an interactive
rebase does, but git runs no post-rewrite hook for it: without a mapping the server would count
the three old commits and the new one. The branch's reflog tells what happened: the new commit,
just before it a reset of the branch to the commit's parent, and before that the tip the reset
left behind. The commits between the parent and that old tip are replaced by the new commit,
except those another local branch still holds (they are not gone).
"""

from __future__ import annotations

from typing import Final

from aicode.hook.git import Repo

# How far back the branch's reflog is read for the commit (later commits may already be there).
REFLOG_DEPTH: Final = 32
# A reset that drops more commits than this is not a squash: nothing is mapped.
MAX_DROPPED: Final = 1000
_FIELD: Final = "\x1f"


def _reflog(repo: Repo, branch: str) -> list[tuple[str, str]]:
    """(hash, subject) of the branch's reflog entries, newest first."""
    out = repo.text(
        "log",
        "-g",
        "-n",
        str(REFLOG_DEPTH),
        f"--format=%H{_FIELD}%gs",
        f"refs/heads/{branch}",
        "--",
        check=False,
    )
    entries = []
    for line in out.splitlines():
        commit, _, subject = line.partition(_FIELD)
        entries.append((commit, subject))
    return entries


def _is_ancestor(repo: Repo, ancestor: str, descendant: str) -> bool:
    return repo.text("merge-base", ancestor, descendant, check=False) == ancestor


def replaced_by_reset(repo: Repo, commit: str, branch: str | None) -> list[str]:
    """The commits (oldest first) a reset dropped from ``branch`` right before ``commit``.

    Empty unless the reflog shows ``commit`` made right after the branch was reset to its
    parent from a descendant of that parent.
    """
    if branch is None:
        return []
    entries = _reflog(repo, branch)
    for i, (made, subject) in enumerate(entries[:-2]):
        if made != commit:
            continue
        # An amend is reported by post-rewrite; a merge is not a squash.
        if not subject.startswith("commit:"):
            return []
        parent, reset_subject = entries[i + 1]
        old_tip = entries[i + 2][0]
        if not reset_subject.startswith("reset: moving to ") or old_tip == parent:
            return []
        if repo.text("rev-parse", f"{commit}^@", check=False).split() != [parent]:
            return []  # the commit does not sit where the reset left the branch
        if not _is_ancestor(repo, parent, old_tip):
            return []  # a reset sideways, to another line of history: not a squash
        dropped = repo.text(
            "rev-list",
            "--reverse",
            "--first-parent",
            old_tip,
            "--not",
            parent,
            "--branches",
            "--",
            check=False,
        ).split()
        return dropped if len(dropped) <= MAX_DROPPED else []
    return []
