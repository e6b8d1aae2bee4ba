"""Git plumbing for the clients: the repository, its identifier, branches and commits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Final

MESSAGE_LIMIT: Final = 65536  # the commit fact's message field holds at most this much
PRIMARY_FALLBACK: Final = ("main", "master")
_FIELD: Final = "\x1f"


class GitError(Exception):
    """A git command failed, or the path is not in a git repository."""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # A hook runs with git's temporary index named here; the background process outlives it.
    env.pop("GIT_INDEX_FILE", None)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    return env


def run_git(
    cwd: Path | str, args: Sequence[str], *, stdin: bytes | None = None, check: bool = True
) -> bytes:
    """Run ``git ARGS`` in a directory and return its standard output."""
    try:
        done = subprocess.run(  # noqa: S603 -- git with arguments we build, no shell
            ["git", *args],  # noqa: S607 -- git is found on PATH, as git itself finds hooks
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise GitError(f"git {args[0]}: {message}")
    return done.stdout


@dataclasses.dataclass(frozen=True)
class Repo:
    """A git working tree: where it is, and where its shared git directory is."""

    root: Path
    common_dir: Path

    def git(self, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
        """Run a git command at the top of the working tree."""
        return run_git(self.root, args, stdin=stdin, check=check)

    def text(self, *args: str, check: bool = True) -> str:
        """A git command's output as text, without the trailing newline."""
        return self.git(*args, check=check).decode("utf-8", "surrogateescape").rstrip("\n")

    @property
    def state_dir(self) -> Path:
        """``.git/aicode``: the key cache, the spool and the log (shared by worktrees)."""
        return self.common_dir / "aicode"

    def git_path(self, name: str) -> Path:
        """``git rev-parse --git-path NAME`` as an absolute path (honours core.hooksPath)."""
        return (self.root / self.text("rev-parse", "--git-path", name)).resolve()

    def config(self, name: str) -> str | None:
        """One git config value (any scope), None when unset."""
        value = self.text("config", "--get", name, check=False)
        return value or None

    def config_section(self, section: str) -> dict[str, str]:
        """Every ``section.*`` value of the git configuration, last one winning."""
        raw = self.git("config", "-z", "--get-regexp", rf"^{re.escape(section)}\.", check=False)
        values: dict[str, str] = {}
        for entry in raw.decode("utf-8", "replace").split("\0"):
            name, _, value = entry.partition("\n")
            if name:
                values[name.lower()] = value
        return values

    def rebase_in_progress(self) -> bool:
        """Whether a rebase is replaying commits (its post-rewrite hook will report them)."""
        return any(self.git_path(name).is_dir() for name in ("rebase-merge", "rebase-apply"))


def find_repo(path: Path | str) -> Repo:
    """The repository a path (a directory or a file in one) belongs to."""
    start = Path(path)
    while not start.is_dir():
        if start.parent == start:
            raise GitError(f"{path} is not in a git repository")
        start = start.parent
    out = run_git(start, ["rev-parse", "--show-toplevel", "--git-common-dir"], check=False)
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 2:
        raise GitError(f"{path} is not in a git working tree")
    root = Path(lines[0])
    common = Path(lines[1])
    if not common.is_absolute():
        common = start / common
    return Repo(root=root.resolve(), common_dir=common.resolve())


# host/owner/name from the URL forms git accepts: scheme://[user@]host[:port]/path and the
# scp-like [user@]host:path.
_SCHEME_URL: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^/:]+)(?::\d*)?/(.+)$")
_SCP_URL: Final = re.compile(r"^(?:[^@/]+@)?([^/:]+):(?!/)(.+)$")


def normalize_remote(url: str) -> str | None:
    """``git@github.com:acme/api.git`` -> ``github.com/acme/api``; None for a local path."""
    url = url.strip()
    if url.startswith("file://"):
        return None
    match = _SCHEME_URL.match(url) or _SCP_URL.match(url)
    if match is None:
        return None
    host, path = match.group(1).lower(), match.group(2).strip("/")
    path = path.removesuffix("/").removesuffix(".git").strip("/")
    if not path:
        return None
    return f"{host}/{path}"


def repo_id(repo: Repo) -> str:
    """The repository's identifier: its normalised ``origin`` URL, else its directory name.

    The directory is the main working tree's, so that every worktree names it alike.
    """
    origin = repo.config("remote.origin.url")
    remote = normalize_remote(origin) if origin else None
    if remote:
        return remote
    main = repo.common_dir.parent if repo.common_dir.name == ".git" else repo.root
    return main.name


@dataclasses.dataclass(frozen=True)
class BranchInfo:
    """The checked-out branch (None when HEAD is detached) and whether it is the primary one."""

    name: str | None
    primary: bool


def default_branch(repo: Repo) -> str | None:
    """The remote's default branch as ``origin/HEAD`` records it, if it is known."""
    ref = repo.text("symbolic-ref", "-q", "refs/remotes/origin/HEAD", check=False)
    return ref.removeprefix("refs/remotes/origin/") if ref else None


def branch_info(repo: Repo, name: str | None) -> BranchInfo:
    """A branch; primary when it is the remote's default (else when it is main or master)."""
    if not name:
        return BranchInfo(None, False)
    default = default_branch(repo)
    primary = name == default if default else name in PRIMARY_FALLBACK
    return BranchInfo(name, primary)


def current_branch(repo: Repo) -> BranchInfo:
    """HEAD's branch (none when HEAD is detached)."""
    return branch_info(repo, repo.text("symbolic-ref", "-q", "--short", "HEAD", check=False))


@dataclasses.dataclass(frozen=True)
class CommitInfo:
    """What a commit fact needs from the commit object itself."""

    hash: str
    parents: tuple[str, ...]
    author_email: str
    author_time: dt.datetime
    committer_email: str
    committer_time: dt.datetime
    message: str


def _utc(epoch: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def read_commits(repo: Repo, revisions: Sequence[str]) -> list[CommitInfo]:
    """The commit objects of these revisions, in the order given."""
    if not revisions:
        return []
    fmt = _FIELD.join(("%H", "%P", "%ae", "%at", "%ce", "%ct", "%B"))
    out = repo.git(
        "-c",
        "log.showSignature=false",
        "log",
        "--no-walk=unsorted",
        "-z",
        "--no-color",
        f"--format={fmt}",
        *revisions,
        "--",
    )
    commits = []
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        fields = record.split(_FIELD, 6)
        commits.append(
            CommitInfo(
                hash=fields[0],
                parents=tuple(fields[1].split()),
                author_email=fields[2],
                author_time=_utc(fields[3]),
                committer_email=fields[4],
                committer_time=_utc(fields[5]),
                message=fields[6].rstrip("\n")[:MESSAGE_LIMIT],
            )
        )
    return commits


def existing_commits(repo: Repo, hashes: Sequence[str]) -> set[str]:
    """Which of these hashes name commits still in the repository (one git process)."""
    if not hashes:
        return set()
    out = repo.git("cat-file", "--batch-check", stdin="\n".join(hashes).encode() + b"\n")
    found = set()
    for asked, answer in zip(hashes, out.decode("utf-8", "replace").splitlines(), strict=False):
        fields = answer.split()
        if len(fields) >= 2 and fields[1] == "commit":
            found.add(asked)
    return found


_IDENT_EMAIL: Final = re.compile(r"<([^<>]*)>")


def author_email(repo: Repo) -> str | None:
    """The email git would record as the author of a commit made here now, None without one.

    ``git var GIT_AUTHOR_IDENT`` applies git's own rules (``GIT_AUTHOR_EMAIL``,
    ``author.email``, ``user.email``, ``EMAIL``, auto-detection where git allows it), so AI
    edits and commits name the same person.
    """
    ident = repo.text("var", "GIT_AUTHOR_IDENT", check=False)
    match = _IDENT_EMAIL.search(ident)
    return (match.group(1).strip() or None) if match else None


def resolve_commit(repo: Repo, revision: str) -> str | None:
    """The full hash of a revision, None when it names no commit."""
    out = repo.text("rev-parse", "-q", "--verify", f"{revision}^{{commit}}", check=False)
    return out or None


def revision_range(repo: Repo, spec: str) -> list[str]:
    """Commits of ``A..B`` (oldest first), or the one commit a plain revision names."""
    if ".." not in spec and not spec.startswith("^"):
        found = resolve_commit(repo, spec)
        if found is None:
            raise GitError(f"{spec!r} names no commit")
        return [found]
    out = repo.text("rev-list", "--reverse", spec, "--")
    return out.split()


def file_at(repo: Repo, revision: str, path: str) -> bytes | None:
    """A file's content at a revision (``HEAD``), None when it is not there."""
    done = run_git(repo.root, ["cat-file", "blob", f"{revision}:{path}"], check=False)
    # cat-file prints nothing on stdout for a missing object; an empty file is b"" too,
    # so ask whether the path exists when the content is empty.
    if done:
        return done
    exists = repo.git("ls-tree", "--name-only", revision, "--", path, check=False)
    return b"" if exists.strip() else None
