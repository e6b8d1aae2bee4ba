"""Temporary git repositories driven by the real ``git``, with fixed identities and dates."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aicode.attribution.fingerprint import encode_key

SRC = str(Path(__file__).resolve().parents[2] / "src")
KEY = bytes(range(32))  # the organization key the tests' servers hand out
EMAIL = "dev@acme.dev"
DATE = "2025-06-02T10:00:00Z"


def git_environment(home: Path) -> dict[str, str]:
    """The environment for git and hooks: no user or system config, fixed dates, our sources."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIT_", "AICODE_")) and k != "PYTHONPATH"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_DATE=DATE,
        GIT_COMMITTER_DATE=DATE,
        PYTHONPATH=SRC,
    )
    return env


class GitRepo:
    """A working tree under a temporary directory."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root = root
        self.env = env

    def git(self, *args: str, stdin: str | None = None) -> str:
        """Run git here and return its output (raises when it fails)."""
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def write(self, path: str, text: str | bytes) -> Path:
        """Write a file of the working tree."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text)
        return target

    def commit(self, message: str, *paths: str) -> str:
        """Stage paths (everything when none) and commit; returns the new hash."""
        self.git("add", *(paths or ("-A",)))
        self.git("commit", "-q", "-m", message)
        return self.head()

    def head(self) -> str:
        """HEAD's full hash."""
        return self.git("rev-parse", "HEAD").strip()

    def configure(self, url: str, token: str) -> None:
        """Point the hook at a server."""
        self.git("config", "aicode.url", url)
        self.git("config", "aicode.token", token)


def make_repo(path: Path, env: dict[str, str], *, branch: str = "main") -> GitRepo:
    """A fresh repository with a committer identity."""
    path.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(path, env)
    repo.git("init", "-q", "-b", branch)
    repo.git("config", "user.email", EMAIL)
    repo.git("config", "user.name", "Dev")
    return repo


def cache_key(repo: GitRepo, url: str, key: bytes = KEY) -> None:
    """Pre-seed ``.git/aicode/key`` as a first contact with the server would have."""
    import json

    state = repo.root / ".git" / "aicode"
    state.mkdir(parents=True, exist_ok=True)
    document = {"url": url, "organizationId": "org", "algorithm": "aicode-fp-v1"}
    (state / "key").write_text(json.dumps(document | {"key": encode_key(key)}))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll until a background process has done something (hooks deliver asynchronously)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def hook_command(*args: str) -> list[str]:
    """``python -m aicode.hook ARGS`` with this interpreter."""
    return [sys.executable, "-m", "aicode.hook", *args]
