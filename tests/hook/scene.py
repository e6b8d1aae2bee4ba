"""End-to-end scene: a developer's repository with the real hooks, and a real aicode server.

The server is the app over a fresh store, on a loopback socket in this process. The git hook
is installed by ``aicode hook install`` and configured by ``AICODE_URL`` / ``AICODE_TOKEN``; the
Claude Code hook is installed by ``aicode agent-hook install`` and run as Claude Code would run
it: the command from the settings file, the recorded PostToolUse input on stdin.

Agent hooks stamp their changes with the wall clock, so the scene's commits happen later, on
``DAY``: its clock (09:00 to 12:00) starts a few minutes from now, or just after the next
midnight when the scene would not fit in today. Every agent edit is before every commit, inside
the look-back window. Changes the test posts itself carry scene times, between commits, where a
step needs them there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shlex
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from aicode.app import create_app
from aicode.attribution.fingerprint import decode_key, fingerprint
from aicode.cli.main import cli
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import make_tenant
from tests.hook.gitrepo import EMAIL, GitRepo, make_repo, wait_for
from tests.live_server import live_server

INPUTS = Path(__file__).parent / "inputs"
REPO_ID = "github.com/acme/app"
ORIGIN = "git@github.com:acme/app.git"
SESSION = "eb5b0174-0555-4601-804e-672d68069c89"  # the recorded inputs' Claude Code session
DELIVERED = re.compile(r"\] delivered \S+\.json: \d+ stored, \d+ known, 0 refused$")
# The scene's clock reads 09:00 to 12:00; its 09:00 is mapped to a real instant by _start.
SCENE_OPENS = dt.timedelta(hours=9)
SCENE_SPAN = dt.timedelta(hours=3)


def _start(now: dt.datetime) -> dt.datetime:
    """The real instant of the scene's 09:00.

    After ``now`` (agent edits are stamped with the wall clock and must come first), with the
    whole scene on one UTC day (totals are read per day), and less than a day ahead of
    ``now`` (the server refuses facts from further in the future), at any time of day.
    """
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=10)
    if (start + SCENE_SPAN).date() != start.date():
        start = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(0, 10), dt.UTC)
    return start


START = _start(dt.datetime.now(dt.UTC))
DAY = START.date()


def at(hhmm: str) -> str:
    """The real instant of the scene's clock time ``hhmm``, as RFC 3339 UTC."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    offset = dt.timedelta(hours=hours, minutes=minutes) - SCENE_OPENS
    assert dt.timedelta(0) <= offset <= SCENE_SPAN, hhmm
    return (START + offset).strftime("%Y-%m-%dT%H:%M:%SZ")


def cli_run(*args: str) -> str:
    """Run the ``aicode`` command line in this process; its output (fails on a non-zero exit)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@contextlib.contextmanager
def running_scene(
    tmp_path: Path,
    git_env: dict[str, str],
    settings: Settings,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Scene]:
    """A fresh organization on a live server, and the developer's repository hooked to it.

    ``origin`` is the GitHub URL (so the repository is ``github.com/acme/app``), rewritten by
    ``url.<path>.insteadOf`` to a bare repository next to it, the "host".
    """
    tenant = make_tenant(store, "acme")
    bare = tmp_path / "origin.git"
    GitRepo(tmp_path, git_env).git("init", "-q", "--bare", "-b", "main", str(bare))
    repo = make_repo(tmp_path / "app", dict(git_env))
    repo.git("config", f"url.{bare}.insteadOf", ORIGIN)
    repo.git("remote", "add", "origin", ORIGIN)
    (repo.root / ".git/info/exclude").write_text(".claude/\n")
    with live_server(create_app(settings, store=store)) as url:
        for name, value in (("AICODE_URL", url), ("AICODE_TOKEN", tenant.ingest)):
            repo.env[name] = value
            monkeypatch.setenv(name, value)
        root = str(repo.root)
        cli_run("hook", "install", "--repo", root)
        cli_run("agent-hook", "install", "claude-code", "--scope", "local", "--repo", root)
        scene = Scene(repo, bare, url, tenant.org.id, tenant.read, tenant.ingest)
        try:
            yield scene
        finally:
            scene.http.close()


class Scene:
    """The developer's repository, the server, and what the hooks delivered so far."""

    def __init__(
        self, repo: GitRepo, bare: Path, url: str, org_id: str, read: str, ingest: str
    ) -> None:
        self.repo = repo
        self.bare = bare
        self.url = url
        self.org_id = org_id
        self.read = read
        self.ingest = ingest
        self.http = httpx.Client(base_url=url, timeout=30)
        answer = self.http.get("/api/v1/fingerprint-key", headers=self._auth(ingest))
        self.key = decode_key(answer.json()["key"])
        self.batches = 0  # spool batches the hooks delivered so far
        self.edits = 0

    def _auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    # -- the developer's side ------------------------------------------------------------

    def clock(self, hhmm: str) -> None:
        """Author and committer time of the next git commands (git keeps an old commit's
        author time on amend, rebase and cherry-pick, as it always does)."""
        self.repo.env["GIT_AUTHOR_DATE"] = at(hhmm)
        self.repo.env["GIT_COMMITTER_DATE"] = at(hhmm)

    def write(self, path: str, text: str) -> None:
        """The developer edits a file by hand."""
        self.repo.write(path, text)

    def read_file(self, path: str) -> str:
        """A file of the working tree."""
        return (self.repo.root / path).read_text()

    def _claude(self, tool: str, tool_input: dict[str, Any]) -> None:
        """Run the installed Claude Code hook with a recorded PostToolUse input."""
        recorded = json.loads((INPUTS / f"claude_code_{tool.lower()}.json").read_text())
        self.edits += 1
        payload = recorded | {
            "cwd": str(self.repo.root),
            "transcript_path": str(INPUTS / "claude_code_transcript.jsonl"),
            "tool_input": tool_input,
            "tool_response": {"filePath": tool_input["file_path"]},
            "tool_use_id": f"toolu_e2e_{self.edits:02d}",
        }
        settings = json.loads((self.repo.root / ".claude/settings.local.json").read_text())
        command = settings["hooks"]["PostToolUse"][0]["hooks"][0]["command"]
        done = subprocess.run(
            shlex.split(command),
            input=json.dumps(payload).encode(),
            cwd=self.repo.root,
            env=self.repo.env,
            capture_output=True,
            check=False,
        )
        assert (done.returncode, done.stdout) == (0, b""), done.stderr
        self.batches += 1

    def claude_edit(self, path: str, old: str, new: str) -> None:
        """Claude Code's Edit tool replaces ``old`` by ``new`` in a file; its hook reports it."""
        target = self.repo.root / path
        text = target.read_text()
        assert text.count(old) == 1, f"{old!r} is not unique in {path}"
        target.write_text(text.replace(old, new))
        self._claude(
            "Edit",
            {"file_path": str(target), "old_string": old, "new_string": new, "replace_all": False},
        )

    def claude_write(self, path: str, content: str) -> None:
        """Claude Code's Write tool writes a whole file; its hook reports it."""
        target = self.repo.write(path, content)
        self._claude("Write", {"file_path": str(target), "content": content})

    def git(self, *args: str, hooks: int = 0) -> str:
        """Run git; ``hooks`` is how many spool batches the hooks it triggers deliver."""
        out = self.repo.git(*args)
        self.batches += hooks
        return out

    def git_fails(self, *args: str) -> str:
        """Run a git command that stops for the developer (a conflict); its output."""
        done = subprocess.run(
            ["git", *args],
            cwd=self.repo.root,
            env=self.repo.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode != 0, done.stdout
        return done.stdout + done.stderr

    def on_host(self, name: str, hhmm: str, *commands: tuple[str, ...]) -> GitRepo:
        """A clone of the bare repository, without hooks, running git commands as the host.

        Like a git host's squash merge: the developer is the author, the host the committer.
        """
        env = {k: v for k, v in self.repo.env.items() if not k.startswith("AICODE_")}
        env |= {
            "GIT_AUTHOR_DATE": at(hhmm),
            "GIT_COMMITTER_DATE": at(hhmm),
            "GIT_COMMITTER_NAME": "GitHub",
            "GIT_COMMITTER_EMAIL": "noreply@github.com",
        }
        host = GitRepo(self.bare.parent / name, env)
        GitRepo(self.bare.parent, env).git("clone", "-q", str(self.bare), str(host.root))
        host.git("config", "user.email", EMAIL)
        host.git("config", "user.name", "Dev")
        for command in commands:
            host.git(*command)
        return host

    def commit(self, message: str) -> str:
        """Commit every change (one post-commit batch); the new hash."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, hooks=1)
        return self.repo.head()

    def head(self, revision: str = "HEAD") -> str:
        """A revision's full hash."""
        return self.repo.git("rev-parse", revision).strip()

    # -- delivery ------------------------------------------------------------------------

    def _log(self) -> str:
        path = self.repo.root / ".git/aicode/hook.log"
        return path.read_text() if path.exists() else ""

    def settle(self) -> None:
        """Wait until the hooks delivered every batch they wrote, and check none failed.

        Hook runs are detached from git and from the agent: each writes one spool batch, and
        the log records each delivery, so waiting for the count is waiting for all of them.
        """
        spool = self.repo.root / ".git/aicode/spool"

        def delivered() -> bool:
            count = self._log().count(" delivered ")
            assert count <= self.batches, self._log()
            pending = [p for p in spool.iterdir() if p.suffix == ".json"] if spool.is_dir() else []
            return count == self.batches and not pending

        wait_for(delivered, f"{self.batches} delivered batches:\n{self._log()}")
        # Every line of the log is a delivery the server took whole: no refusal, no retry.
        for line in self._log().splitlines():
            assert DELIVERED.search(line), self._log()
        assert not (self.repo.root / ".git/aicode/rejected").exists()

    # -- AI changes reported by other tools ------------------------------------------------

    def post_change(
        self,
        fact_id: str,
        ts: str,
        path: str,
        *,
        added: Sequence[str],
        deleted: Sequence[str] = (),
        source: str = "AGENT",
        product_type: str = "cli",
        conversation: str | None = None,
    ) -> None:
        """POST an AI ``change`` as an IDE plugin would: fingerprints of its lines."""
        fact: dict[str, Any] = {
            "type": "change",
            "id": fact_id,
            "user": EMAIL,
            "ts": ts,
            "source": source,
            "productType": product_type,
            "repo": REPO_ID,
            "files": [
                {
                    "fileName": path,
                    "linesAdded": len(added),
                    "linesDeleted": len(deleted),
                    "addedFingerprints": [fingerprint(self.key, x) for x in added],
                    "deletedFingerprints": [fingerprint(self.key, x) for x in deleted],
                }
            ],
        }
        if conversation is not None:
            fact["conversationId"] = conversation
        answer = self.http.post("/api/v1/ingest", json=[fact], headers=self._auth(self.ingest))
        assert answer.json() == {"accepted": 1, "duplicates": 0, "rejected": []}

    # -- what the server says --------------------------------------------------------------

    def detail(self, commit: str) -> dict[str, Any]:
        """The native API's commit detail, without the fields every commit shares."""
        answer = self.http.get(
            f"/api/v1/organizations/{self.org_id}/commits/{commit}", headers=self._auth(self.read)
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        assert (body["repo"], body["email"]) == (REPO_ID, EMAIL)
        by_source = {
            k: v for k, v in body.pop("bySource").items() if v != {"added": 0, "deleted": 0}
        }
        for name in ("repo", "email", "userId", "commitHash", "message", "aiShareRate"):
            body.pop(name)
        return body | {"bySource": by_source}

    def totals(self, *, primary_branch_only: bool = False) -> dict[str, Any]:
        """The overview's committed totals on ``DAY``, AI pairs without lines left out."""
        params = {"start": DAY.isoformat(), "end": DAY.isoformat()}
        if primary_branch_only:
            params["primaryBranchOnly"] = "true"
        answer = self.http.get(
            f"/api/v1/organizations/{self.org_id}/overview",
            params=params,
            headers=self._auth(self.read),
        )
        assert answer.status_code == 200, answer.text
        committed: dict[str, Any] = answer.json()["committed"]
        committed["bySource"] = {
            k: v for k, v in committed["bySource"].items() if v != {"added": 0, "deleted": 0}
        }
        committed.pop("aiShareRate")
        return committed
