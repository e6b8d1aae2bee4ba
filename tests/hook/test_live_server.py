"""Against a real ``aicode serve`` process: spool while it is down, every commit once after."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aicode.hook import install as installer
from aicode.hook.git import find_repo
from aicode.model.tenancy import Scope
from aicode.store import open_store
from tests.hook.gitrepo import GitRepo, wait_for

SERVE = "from aicode.cli.main import main; main()"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``aicode serve`` in its own process, stopped and started again on the same port."""

    def __init__(self, db: Path, port: int, env: dict[str, str]) -> None:
        self.db, self.port, self.env = db, port, env
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-c", SERVE, "serve", "--db", str(self.db)]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--log-level", "warning"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._healthy, "the server to start", timeout=60)

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError("the server exited")
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def get(self, path: str, token: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture
def server(tmp_path: Path, git_env: dict[str, str]) -> Iterator[tuple[Server, str, str]]:
    db = tmp_path / "server.duckdb"
    store = open_store(str(db))
    try:
        org = store.create_organization("acme")
        _, token = store.create_token(org, "laptop", [Scope.INGEST, Scope.READ])
    finally:
        store.close()
    running = Server(db, free_port(), git_env)
    running.start()
    try:
        yield running, org.id, token
    finally:
        running.stop()


def test_spooled_commits_reach_a_restarted_server_exactly_once(
    server: tuple[Server, str, str], repo: GitRepo
) -> None:
    running, org_id, token = server
    repo.configure(running.url, token)
    installer.install(find_repo(repo.root))
    listing = f"/api/v1/organizations/{org_id}/commits?start=2025-06-01&end=2025-06-03"

    def stored() -> list[str]:
        return [c["commitHash"] for c in running.get(listing, token)["items"]]

    def postponed() -> int:
        log = repo.root / ".git/aicode/hook.log"
        return log.read_text().count("delivery postponed") if log.exists() else 0

    repo.write("a.py", "print('a')\n")
    made = [repo.commit("first")]
    wait_for(lambda: stored() == made, "the first commit")
    assert (repo.root / ".git/aicode/key").exists()

    running.stop()
    for i in (2, 3):
        repo.write(f"f{i}.py", f"x = {i}\n")
        made.append(repo.commit(f"commit {i}"))  # git succeeds with the server down
        wait_for(lambda n=i: postponed() == n - 1, "the hook to give up for now")
    assert len(list((repo.root / ".git/aicode/spool").iterdir())) == 2

    running.start()
    repo.write("f4.py", "x = 4\n")
    made.append(repo.commit("commit 4"))  # its hook run delivers the spool too
    wait_for(lambda: sorted(stored()) == sorted(made), "every commit")
    assert list((repo.root / ".git/aicode/spool").iterdir()) == []
    body = running.get(listing, token)
    assert body["total"] == 4
    assert sorted((c["commitHash"], c["linesAdded"], c["branch"]) for c in body["items"]) == [
        (h, 1, "main") for h in sorted(made)
    ]
