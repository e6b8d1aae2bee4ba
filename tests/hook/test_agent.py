"""Agent hooks: recorded Claude Code and Cursor hook inputs become exact change facts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aicode.attribution.fingerprint import fingerprint
from aicode.hook import agent
from aicode.hook.git import find_repo
from aicode.hook.spool import pending
from tests.hook.gitrepo import EMAIL, KEY, GitRepo, cache_key, hook_command, wait_for
from tests.hook.recorder import TOKEN, Recorder

INPUTS = Path(__file__).parent / "inputs"
NOW = dt.datetime(2025, 6, 2, 10, 0, 0, 999_999, tzinfo=dt.UTC)  # sent in whole seconds
SESSION = "eb5b0174-0555-4601-804e-672d68069c89"
ORIGINAL = "import os\n\nLIMIT = 10\n\n\ndef run():\n    return compute(1)\n"
URL = "http://127.0.0.1:9"  # nothing listens: these tests use the cached key and no delivery


def recorded(name: str, repo: GitRepo) -> bytes:
    text = (INPUTS / name).read_text()
    text = text.replace("{repo}", str(repo.root)).replace(
        "{transcript}", str(INPUTS / "claude_code_transcript.jsonl")
    )
    return text.encode()


@pytest.fixture
def project(repo: GitRepo) -> GitRepo:
    repo.git("remote", "add", "origin", "git@github.com:acme/app.git")
    repo.write("src/app.py", ORIGINAL)
    repo.commit("original")
    repo.configure(URL, TOKEN)
    cache_key(repo, URL)
    return repo


def fps(*texts: str) -> list[str]:
    return [fingerprint(KEY, t) for t in texts]


def change(fact_id: str, added: list[str], deleted: list[str], **extra: Any) -> dict[str, Any]:
    fact: dict[str, Any] = {
        "type": "change",
        "id": fact_id,
        "user": EMAIL,
        "ts": "2025-06-02T10:00:00Z",
        "ide": "claude-code",
        "source": "AGENT",
        "productType": "cli",
        "repo": "github.com/acme/app",
        "files": [
            {
                "fileName": "src/app.py",
                "linesAdded": len(added),
                "linesDeleted": len(deleted),
                "bytesAdded": sum(len(x) for x in added),
                "bytesRemoved": sum(len(x) for x in deleted),
                "addedFingerprints": fps(*added),
                "deletedFingerprints": fps(*deleted),
            }
        ],
        "model": "claude-sonnet-4-20250514",
        "conversationId": SESSION,
    }
    return fact | extra


def spooled(path: Path | None) -> list[dict[str, Any]]:
    assert path is not None
    document = json.loads(path.read_text())
    assert document["commits"] == []
    return document["facts"]  # type: ignore[no-any-return]


def test_claude_code_edit(project: GitRepo) -> None:
    project.write(
        "src/app.py",
        ORIGINAL.replace("    return compute(1)", "    total = compute(2)\n    return total"),
    )
    path = agent.handle(
        "claude-code", recorded("claude_code_edit.json", project), now=NOW, deliver=False
    )
    assert spooled(path) == [
        change(
            "claude-code:toolu_01EditXq7Vb8cXb6J3fZ2nDk",
            ["    total = compute(2)", "    return total"],
            ["    return compute(1)"],
        )
    ]


def test_claude_code_multi_edit_with_a_relative_path(project: GitRepo) -> None:
    project.write(
        "src/app.py", ORIGINAL.replace("import os", "import os\nimport sys").replace("10", "20")
    )
    path = agent.handle(
        "claude-code", recorded("claude_code_multiedit.json", project), now=NOW, deliver=False
    )
    assert spooled(path) == [
        change(
            "claude-code:toolu_01MultiYh2Jk9PqRsT4uVwXa",
            ["import sys", "LIMIT = 20"],
            ["LIMIT = 10"],
        )
    ]


def test_claude_code_write_compares_with_head(project: GitRepo) -> None:
    raw = recorded("claude_code_write.json", project)
    project.write("src/app.py", json.loads(raw)["tool_input"]["content"])
    path = agent.handle("claude-code", raw, now=NOW, deliver=False)
    assert spooled(path) == [
        change(
            "claude-code:toolu_01WriteAb3Cd4Ef5Gh6Ij7Kl",
            ["def main():", "    print('hello')", "    return 0"],
            ["LIMIT = 10", "", "def run():", "    return compute(1)"],
        )
    ]


def test_claude_code_write_of_a_new_file_adds_every_line(project: GitRepo) -> None:
    raw = recorded("claude_code_write.json", project).replace(b"src/app.py", b"src/new.py")
    content = json.loads(raw)["tool_input"]["content"]
    project.write("src/new.py", content)
    fact = spooled(agent.handle("claude-code", raw, now=NOW, deliver=False))[0]
    lines = content.splitlines()
    assert fact["files"] == [
        {
            "fileName": "src/new.py",
            "linesAdded": 6,
            "linesDeleted": 0,
            "bytesAdded": sum(len(x) for x in lines),
            "bytesRemoved": 0,
            "addedFingerprints": fps(*lines),
            "deletedFingerprints": [],
        }
    ]


def test_cursor_after_file_edit(project: GitRepo) -> None:
    project.write(
        "src/app.py",
        ORIGINAL.replace("    return compute(1)", "    total = compute(2)\n    return total"),
    )
    raw = recorded("cursor_after_file_edit.json", project)
    facts = spooled(agent.handle("cursor", raw, now=NOW, deliver=False))
    fact_id = facts[0].pop("id")
    expected = change("", ["    total = compute(2)", "    return total"], ["    return compute(1)"])
    del expected["id"]
    assert facts == [
        expected
        | {
            "user": "dev.cursor@acme.dev",
            "ide": "cursor",
            "productType": "ide",
            "model": "claude-4-sonnet",
            "conversationId": "668320d2-2fd8-4888-b33c-2a466fec86e7",
            "clientVersion": "1.7.2",
        }
    ]
    # The same event resent keeps its id (the server stores it once); another edit does not.
    again = spooled(agent.handle("cursor", raw, now=NOW, deliver=False))[0]["id"]
    other = raw.replace(b"compute(1)", b"compute(0)")
    different = spooled(agent.handle("cursor", other, now=NOW, deliver=False))[0]["id"]
    assert fact_id == again != different
    assert fact_id.startswith("cursor:")


def test_cursor_without_email_uses_git_config(project: GitRepo) -> None:
    payload = json.loads(recorded("cursor_after_file_edit.json", project))
    del payload["user_email"], payload["model"]
    facts = spooled(agent.handle("cursor", json.dumps(payload).encode(), now=NOW, deliver=False))
    assert facts[0]["user"] == EMAIL
    assert "model" not in facts[0]


def test_the_person_is_the_author_git_would_record(
    project: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write(
        "src/app.py",
        ORIGINAL.replace("    return compute(1)", "    total = compute(2)\n    return total"),
    )
    raw = recorded("claude_code_edit.json", project)
    project.git("config", "author.email", "ann@acme.dev")  # git commits as ann, not as dev
    assert spooled(agent.handle("claude-code", raw, now=NOW, deliver=False))[0]["user"] == (
        "ann@acme.dev"
    )
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "env@acme.dev")
    assert spooled(agent.handle("claude-code", raw, now=NOW, deliver=False))[0]["user"] == (
        "env@acme.dev"
    )


def test_without_an_author_email_the_edit_is_logged_not_sent(
    project: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMAIL", raising=False)
    project.git("config", "--unset", "user.email")
    project.git("config", "user.useConfigOnly", "true")
    assert agent.handle("claude-code", recorded("claude_code_edit.json", project)) is None
    assert pending(find_repo(project.root)) == []
    log = (project.root / ".git/aicode/hook.log").read_text()
    assert log.endswith(
        "claude-code edit not sent: GitError: git names no author here: the server identifies "
        "a person by the commit's author email: set it with "
        "`git config --global user.email you@example.com`\n"
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"tool_name": "Edit"}',
        b'{"hook_event_name": "PreToolUse", "tool_name": "Edit",'
        b' "tool_input": {"file_path": "/x"}}',
    ],
)
def test_inputs_that_are_not_edits_send_nothing(project: GitRepo, raw: bytes) -> None:
    agent.run_agent_hook("claude-code", __import__("io").BytesIO(raw))
    assert pending(find_repo(project.root)) == []


def test_other_tools_and_files_outside_repositories_send_nothing(
    project: GitRepo, tmp_path: Path
) -> None:
    assert agent.handle("claude-code", recorded("claude_code_bash.json", project)) is None
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "app.py").write_text("x\n")
    raw = recorded("claude_code_edit.json", project).replace(
        str(project.root / "src").encode(), str(outside).encode()
    )
    assert agent.handle("claude-code", raw) is None
    assert pending(find_repo(project.root)) == []


def test_without_a_key_the_edit_is_logged_not_sent(project: GitRepo) -> None:
    (project.root / ".git/aicode/key").unlink()
    assert agent.handle("claude-code", recorded("claude_code_edit.json", project)) is None
    log = (project.root / ".git/aicode/hook.log").read_text()
    assert "claude-code edit not sent, no fingerprint key: server unreachable" in log
    assert TOKEN not in log


def run_hook(tool: str, raw: bytes, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        hook_command("agent", tool), input=raw, capture_output=True, env=env, check=False
    )


def test_the_hook_process_delivers_in_the_background(
    project: GitRepo, recorder: Recorder, git_env: dict[str, str]
) -> None:
    project.configure(recorder.url, TOKEN)
    project.write(
        "src/app.py",
        ORIGINAL.replace("    return compute(1)", "    total = compute(2)\n    return total"),
    )
    done = run_hook("claude-code", recorded("claude_code_edit.json", project), git_env)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
    wait_for(lambda: len(recorder.facts) == 1, "the change to arrive")
    fact = recorder.facts[0]
    fact["ts"] = "2025-06-02T10:00:00Z"
    assert fact == change(
        "claude-code:toolu_01EditXq7Vb8cXb6J3fZ2nDk",
        ["    total = compute(2)", "    return total"],
        ["    return compute(1)"],
    )
    assert recorder.key_requests == 1  # fetched once (the URL changed), then cached
    wait_for(lambda: pending(find_repo(project.root)) == [], "the spool to empty")


@pytest.mark.parametrize("tool", ["claude-code", "cursor", "unknown"])
def test_the_hook_process_is_silent_and_exits_0_on_garbage(
    project: GitRepo, git_env: dict[str, str], tool: str
) -> None:
    done = run_hook(tool, b"\x00garbage{", git_env)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")
